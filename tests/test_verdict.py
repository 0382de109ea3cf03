"""Tests judged outside the student's kernel (autograder/judging/verdict.py): one grading run (real
nbgrader, real bubblewrap, real kernels) with an honest submission and hostile ones that rewrite
what the tests use or the values they compare with, hook the compiler, hand in objects that equal everything, forge the capture
of their values, or make a call of their function hang or kill their kernel. None of them scores
more than the same wrong answers without the trick, and no hidden test input reaches the feedback."""
import base64
import json
import re

import nbformat

import pytest
from nbformat.v4 import new_code_cell

from grading_helpers import (answer, check_cell, grade, make_course, meta, notebook, outputs, require_bwrap, run_record,
                             scores, submit, totals)

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]

SETUP = "import numpy as np\nimport pandas as pd\nEXPECTED = 42"
HIDDEN_INPUT = 1234567
TESTS = {
    "t1": "assert np.isclose(total, EXPECTED)\n"
          "### BEGIN HIDDEN TESTS\nassert type(total) is int and total == 42\n### END HIDDEN TESTS",
    "t2": "pd.testing.assert_frame_equal(table, pd.DataFrame({'site': ['a', 'b'], 'kg': [1.5, 2.0]}))\n"
          "### BEGIN HIDDEN TESTS\nassert isinstance(table, pd.DataFrame) and table['kg'].sum() == 3.5\n"
          "### END HIDDEN TESTS",
    "t3": "assert half(7) == 3.5\n"
          f"### BEGIN HIDDEN TESTS\nassert half(-{HIDDEN_INPUT}) == -{HIDDEN_INPUT / 2}\n### END HIDDEN TESTS",
    "t4": "assert list(model.predict([1, 2])) == [2, 4]\n"
          "### BEGIN HIDDEN TESTS\nassert model.predict(np.array([3]))[0] == 6 and model.factor == 2\n"
          "### END HIDDEN TESTS",
}
RIGHT = {"q1": "total = 42", "q2": "table = pd.DataFrame({'site': ['a', 'b'], 'kg': [1.5, 2.0]})",
         "q3": "def half(x):\n    return x / 2",
         "q4": "class Model:\n    factor = 2\n    def predict(self, x):\n        return np.asarray(x) * 2\n"
               "model = Model()"}
WRONG = {"q1": "total = 41", "q2": "table = pd.DataFrame({'site': ['a', 'b'], 'kg': [1.5, 9.0]})",
         "q3": "def half(x):\n    return x / 3",
         "q4": "class Model:\n    factor = 3\n    def predict(self, x):\n        return np.asarray(x) * 3\n"
               "model = Model()"}
EVERYTHING = "type('Everything', (), {'__eq__': lambda self, other: True, '__bool__': lambda self: True, " \
             "'__getitem__': lambda self, key: self, '__iter__': lambda self: iter([2, 4]), " \
             "'__array__': lambda self, *a, **k: np.array([2, 4])})()"


def _forged() -> str:
    """A capture that claims the right values, a pickled array, and a proxy for numpy itself."""
    data = {"total": {"t": "ndarray", "v": base64.b64encode(b"\x93NUMPY pickle").decode()},
            "table": {"t": "pickle", "v": ""}, "np": {"t": "handle", "id": 1}, "pd": {"t": "handle", "id": 1},
            "half": {"t": "handle", "id": 99}, "isinstance": {"t": "handle", "id": 1}}
    return base64.b64encode(json.dumps(data).encode()).decode()


# student -> (answers, what the same answers earn without the trick)
CASES = {
    "honest": (RIGHT, 4),
    "wrong": (WRONG, 0),
    "patches_libraries": ({**WRONG, "q1": "import builtins\nnp.isclose = lambda *a, **k: True\n"
                           "pd.testing.assert_frame_equal = lambda *a, **k: None\n"
                           "builtins.isinstance = lambda *a: True\nAssertionError = type('AssertionError', (Exception,), {})\n"
                           "total = 41"}, 0),
    "compiler_hooks": ({**WRONG, "q1": "import ast\nclass Drop(ast.NodeTransformer):\n"
                        "    def visit_Assert(self, node):\n        return ast.Pass()\n"
                        "ip = getattr(exit, '_ip', None) or get_ipython()\nip.ast_transformers.append(Drop())\n"
                        "ip.compile.ast_parse = lambda *a, **k: ast.parse('pass')\ntotal = 41"}, 0),
    "equals_everything": ({**WRONG, "q1": f"total = {EVERYTHING}",
                           "q3": f"def half(x):\n    return {EVERYTHING}",
                           "q4": f"class Model:\n    factor = {EVERYTHING}\n    def predict(self, x):\n"
                                 f"        return {EVERYTHING}\nmodel = Model()"}, 0),
    "replaces_the_reference": ({**WRONG, "q1": "EXPECTED = 41\ntotal = 41"}, 0),
    "forged_capture": ({**WRONG, "q1": "import sys\nsys.modules['__autograder_answers__'].capture = "
                        f"lambda names: {_forged()!r}\ntotal = 41"}, 0),
    "hangs_and_dies": ({**RIGHT, "q3": "def half(x):\n    if x < 0:\n        while True:\n            pass\n    return x / 2",
                        "q4": "class Model:\n    factor = 2\n    def predict(self, x):\n"
                              "        if list(x) == [3]:\n            import os\n            os._exit(1)\n"
                              "        return np.asarray(x) * 2\nmodel = Model()"}, 2),
    "leaks_hidden_inputs": ({**RIGHT, "q3": "seen = []\ndef half(x):\n    seen.append(x)\n    print('SAW', x)\n"
                             "    return x / 2", "q4": RIGHT["q4"] + "\nprint('SAW', seen)"}, 4),
}


def quiz():
    return notebook(new_code_cell(SETUP, metadata=meta("setup", locked=True)), *[cell for n in "1234" for cell in
                                            (answer(f"q{n}", RIGHT[f"q{n}"]), check_cell(f"t{n}", TESTS[f"t{n}"]))])


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    require_bwrap()
    course = make_course(tmp_path_factory.mktemp("verdict") / "course", "quiz", {"quiz": quiz()})
    for student, (answers, _) in CASES.items():
        submit(course, "quiz", student, "quiz", answers)
    result = grade(course, "quiz", "--timeout", "8")
    return course, result


def test_grading_worked(graded):
    course, result = graded
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("student", list(CASES))
def test_a_trick_scores_no_more_than_the_same_answers_without_it(graded, student):
    course, _ = graded
    assert totals(course, "quiz")[student] == CASES[student][1], scores(course, "quiz")[student]


def test_a_hanging_or_dying_answer_fails_its_own_tests_with_a_reason(graded):
    course, _ = graded
    got = scores(course, "quiz")["hangs_and_dies"]
    assert got["t1"] == got["t2"] == 1 and got["t3"] == got["t4"] == 0, got
    assert run_record(course, "quiz")["hangs_and_dies"]["reason"]


def test_no_hidden_test_input_reaches_the_feedback(graded):
    """The student's function saw the hidden input in the verdict run, but every output the learner
    sees was recorded before that."""
    course, _ = graded
    for student in CASES:
        shown = outputs(course / "autograded" / student / "quiz" / "quiz.ipynb")
        assert str(HIDDEN_INPUT) not in shown and "type(total) is int" not in shown, student
    assert "SAW 7" in outputs(course / "autograded" / "leaks_hidden_inputs" / "quiz" / "quiz.ipynb")


def test_the_learner_sees_the_whole_traceback_of_a_failed_test(graded):
    """The clean kernel formats only an error's name and message (its tracebacks are never shown);
    the feedback run keeps the traceback with the failing line."""
    course, _ = graded
    nb = nbformat.read(course / "autograded" / "replaces_the_reference" / "quiz" / "quiz.ipynb", as_version=4)
    test = next(cell for cell in nb.cells if cell.metadata.get("nbgrader", {}).get("grade_id") == "t2")
    errors = [output for output in test.outputs if output.output_type == "error"]
    assert errors and errors[0].ename == "AssertionError", test.outputs
    shown = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(errors[0].traceback))
    assert "Cell In[" in shown and "pd.testing.assert_frame_equal(table" in shown, shown


def test_the_course_can_judge_in_the_students_kernel(tmp_path):
    """nbgrader's own example deletes a function in the test's kernel to see whether another answer
    calls it; a course that relies on this sets judge_in_student_kernel."""
    require_bwrap()
    answers = {"q1": "def squares(n):\n    return [i * i for i in range(1, n + 1)]",
               "q2": "def total(n):\n    return sum(squares(n))"}
    test = ("saved = squares\ndel squares\ntry:\n    total(1)\nexcept NameError:\n    pass\n"
            "else:\n    raise AssertionError('total does not use squares')\nfinally:\n    squares = saved")
    nb = notebook(answer("q1", answers["q1"]), answer("q2", answers["q2"]),
                  check_cell("t1", "assert total(3) == 14"), check_cell("t2", test))
    got = {}
    for option in (False, True):
        course = make_course(tmp_path / f"course-{option}", "ps", {"ps": nb})
        if option:
            with open(course / "nbgrader_config.py", "a") as config:
                config.write("c.Autograder.judge_in_student_kernel = True\n")
        submit(course, "ps", "ann", "ps", answers)
        result = grade(course, "ps")
        assert result.returncode == 0, result.stdout + result.stderr
        got[option] = scores(course, "ps")["ann"]
    assert (got[False]["t1"], got[False]["t2"]) == (1, 0)
    assert (got[True]["t1"], got[True]["t2"]) == (1, 1)
