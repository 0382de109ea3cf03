"""The adversarial corpus for `autograder grade`: one grading run (real nbgrader, real bubblewrap,
real kernels) with honest submissions and one submission per attack class. Each attack hands in a
wrong answer (or a right one plus an escape attempt); the test checks its grade, that honest
submissions in the same run keep their grades, and that nothing outside the sandbox changed."""
import shutil
import socket
import tempfile
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell

from coursebuild.course import nbgrader_env
from grading_helpers import (answer, check_cell, fingerprint, grade, make_course, notebook, outputs, require_bwrap,
                             run_record, sandbox_processes, scores, submit, totals)

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]

SETUP = "import numpy as np\nimport sys\nimport unittest"
RIGHT = {"q1": "total = 42", "q2": "values = np.array([1.0, 2.0, 3.0])", "q3": "def half(x):\n    return x / 2",
         "q4": "ratio = 0.25"}
WRONG = {"q1": "total = 41", "q2": "values = np.array([1.0, 2.0, 4.0])", "q3": "def half(x):\n    return x / 3",
         "q4": "ratio = 0.3"}
SECRETS = ["ROOTONLY_walrus", "ENVSECRET_narwhal"]
HIDDEN_TEST = "assert total + 0 == 42, 'HIDDEN_kestrel'"
ESCAPE_MARKER = Path("/tmp/autograder-test-escape-marker")   # the sandbox's /tmp is its own
ALL_CELLS_PATCH = "[line for line in lines if not any(w in line for w in ('assert', 'testing', 'TestCase'))]"


def quiz():
    return notebook(
        new_code_cell(SETUP),
        answer("q1", RIGHT["q1"]), check_cell("t1", "unittest.TestCase().assertEqual(total, 42)\n"
                                           f"### BEGIN HIDDEN TESTS\n{HIDDEN_TEST}\n### END HIDDEN TESTS"),
        answer("q2", RIGHT["q2"]), check_cell("t2", "np.testing.assert_allclose(values, [1.0, 2.0, 3.0])"),
        answer("q3", RIGHT["q3"]), check_cell("t3", "assert abs(half(7) - 3.5) < 1e-9"),
        answer("q4", RIGHT["q4"]),
        check_cell("t4", "import warnings\nwarnings.warn('a warning costs nothing')\n"
                         "print('note on stderr', file=sys.stderr)\nassert ratio == 0.25"),
    )


def wrong_with(code: str, **answers) -> dict:
    return {**WRONG, **answers, "q1": code + "\n" + answers.get("q1", WRONG["q1"])}


def escape_attempts(course, port: int) -> str:
    """Student code that tries to get out; it prints what it managed."""
    return f'''
import os, shutil, socket, sys
def attempt(label, action):
    try:
        found = action()
    except Exception as error:
        print(label, "blocked:", type(error).__name__)
    else:
        print(label, "SUCCEEDED" if found else "found nothing", repr(found)[:200])
attempt("read gradebook", lambda: open({str(course / "gradebook.db")!r}, "rb").read(100))
attempt("read root-only file", lambda: open("/staging/secret.txt").read())
attempt("read copied secret", lambda: open("secret.txt").read())
attempt("read hidden tests", lambda: os.listdir({str(course / "source")!r}))
attempt("read other student", lambda: os.listdir({str(course / "submitted" / "honest")!r}))
attempt("read trainer home", lambda: [name for name in os.listdir({str(Path.home())!r})  # bind-mount points aside
                                     if not sys.base_prefix.startswith(os.path.join({str(Path.home())!r}, name))])
attempt("environment", lambda: [v for v in os.environ.values() if "SECRET" in v])
attempt("delete source", lambda: shutil.rmtree({str(course / "source")!r}))
attempt("overwrite gradebook", lambda: open({str(course / "gradebook.db")!r}, "w").write("x"))
attempt("write staging", lambda: open("/staging/planted.txt", "w").write("x"))
attempt("write venv", lambda: open(os.__file__ + ".planted", "w").write("x"))
attempt("network", lambda: socket.create_connection(("127.0.0.1", {port}), timeout=2))
attempt("write scratch", lambda: open("scratch-file.txt", "w").write("fine"))
attempt("write private tmp", lambda: open({str(ESCAPE_MARKER)!r}, "w").write("fine"))
'''


FORK = '''import subprocess, os
subprocess.Popen(["sleep", "300"], start_new_session=True)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        import time
        time.sleep(300)
    os._exit(0)
'''

# student: (answers, expected total, expected status, flagged)
CASES = {
    "honest": (RIGHT, 4, "graded", False),
    "wrong": (WRONG, 0, "graded", False),
    "partial": ({**WRONG, "q1": RIGHT["q1"], "q3": RIGHT["q3"]}, 2, "graded", False),
    # honest habits that must not look like tampering: data under builtin or imported names
    "honest_names": ({**RIGHT, "q1": "sum = 0\nid = 7\nunittest_result = None\n" + RIGHT["q1"],
                      "q2": "import numpy\n" + RIGHT["q2"]}, 4, "graded", False),
    "showtraceback": (wrong_with("get_ipython().showtraceback = lambda *a, **k: None"), 0, "graded", True),
    "custom_exc": (wrong_with("get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)"), 0, "graded", True),
    "excepthook": (wrong_with("import sys\nsys.excepthook = lambda *a: None"), 0, "graded", True),
    "input_transformer": (wrong_with(f"get_ipython().input_transformers_cleanup.append(lambda lines: {ALL_CELLS_PATCH})"),
                          0, "graded", True),
    "ast_transformer": (wrong_with("import ast\nclass Strip(ast.NodeTransformer):\n"
                                   "    def visit_Assert(self, node):\n        return ast.Pass()\n"
                                   "get_ipython().ast_transformers.append(Strip())"), 0, "graded", True),
    "events": (wrong_with("get_ipython().events.register('post_run_cell', "
                          "lambda result: setattr(result, 'error_in_exec', None))"), 0, "graded", True),
    "numpy_testing": (wrong_with("np.testing.assert_allclose = lambda *a, **k: None"), 0, "graded", True),
    "unittest": (wrong_with("unittest.TestCase.assertEqual = lambda *a, **k: None"), 0, "graded", True),
    "builtins": (wrong_with("import builtins\nbuiltins.abs = lambda value: 0"), 0, "graded", True),
    "shadow_builtin": (wrong_with("abs = lambda value: 0"), 0, "graded", True),
    "os_exit": ({**RIGHT, "q2": "import os\nos._exit(0)"}, 1, "failed", True),
    "ipython_exit": ({**RIGHT, "q2": "exit()"}, 3, "graded", True),   # ipykernel 7 keeps running
    # its outputs come from a run without hidden tests: there is nothing to leak, and nothing to flag
    "leak_hidden_test": ({**RIGHT, "q2": "print(In)\n" + RIGHT["q2"]}, 4, "graded", False),
    "sigkill": (wrong_with("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"), 0, "failed", True),
    "ignores_interrupt": (wrong_with("import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"),
                          0, "timeout", True),
    "endless_loop": ({**RIGHT, "q1": "while True:\n    pass"}, 3, "timeout", False),
    "output_flood": (wrong_with("import time\nwhile True:\n    print('x' * 20000)\n    time.sleep(0.002)"),
                     0, "failed", False),
    "memory": (wrong_with("hog = b'x' * (1500 * 2**20)"), 0, "failed", False),
    "fork_bomb_lite": ({**RIGHT, "q1": FORK + RIGHT["q1"]}, 4, "graded", True),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    require_bwrap()
    ESCAPE_MARKER.unlink(missing_ok=True)
    course = make_course(tmp_path_factory.mktemp("attacks") / "course", "quiz", {"quiz": quiz()})
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.2)
    port = server.getsockname()[1]
    for student, (answers, *_) in CASES.items():
        submit(course, "quiz", student, "quiz", answers)
    escape = submit(course, "quiz", "escape", "quiz", {**RIGHT, "q1": escape_attempts(course, port) + RIGHT["q1"]})
    secret = escape.parent / "secret.txt"
    secret.write_text(SECRETS[0])
    secret.chmod(0o600)
    outside = [course / "source", course / "release", course / "submitted"]
    before = fingerprint(*outside)
    # the grader's temporary folder, named in its sandboxes' command lines: other grading runs on
    # this machine are not counted as leftovers
    workspace = Path(tempfile.mkdtemp(prefix="autograder-test-"))
    workspace.chmod(0o711)
    result = grade(course, "quiz", "--timeout", "10", "--memory", "1024",
                   env={**nbgrader_env(), "AUTOGRADER_TEST": SECRETS[1], "TMPDIR": str(workspace)})
    leftover = sandbox_processes(str(workspace))
    shutil.rmtree(workspace)
    try:
        server.accept()
        connected = True
    except OSError:
        connected = False
    server.close()
    return {"course": course, "result": result, "before": before, "after": fingerprint(*outside),
            "connected": connected, "leftover": leftover}


def test_grading_worked_and_nothing_outside_changed(graded):
    result = graded["result"]
    assert result.returncode == 0, result.stdout + result.stderr
    assert graded["before"] == graded["after"], "source/, release/ and submitted/ are untouched"
    assert not graded["connected"], "no connection left the sandbox"
    assert graded["leftover"] == [], "no process of any sandbox survives grading"
    assert "graded" in result.stdout and "waiting for manual grading" in result.stdout


@pytest.mark.parametrize("student", list(CASES))
def test_attack_earns_nothing_and_honest_work_keeps_its_points(graded, student):
    answers, expected, status, flagged = CASES[student]
    course = graded["course"]
    assert totals(course, "quiz")[student] == expected, scores(course, "quiz")[student]
    entry = run_record(course, "quiz")[student]
    assert entry["status"] == status, entry
    assert bool(entry["flags"]) == flagged, entry
    assert entry["status"] == "graded" or entry["reason"], "every failure has a reason"


def test_warnings_cost_nothing_and_are_recorded(graded):
    entry = run_record(graded["course"], "quiz")["honest"]
    assert any("a warning costs nothing" in warning for warning in entry["warnings"])
    assert any("note on stderr" in warning for warning in entry["warnings"])


def test_reasons_name_the_cause(graded):
    record = run_record(graded["course"], "quiz")
    assert "memory" in record["memory"]["reason"]
    assert "output" in record["output_flood"]["reason"]
    assert "ignored the interrupt" in record["ignores_interrupt"]["reason"]
    assert "died" in record["os_exit"]["reason"]
    assert any("tampering" in flag for flag in record["input_transformer"]["flags"])


def test_hidden_tests_do_not_leak_into_student_outputs(graded):
    """Every output, of test cells too, comes from a run that never saw a hidden test."""
    course = graded["course"]
    for student in [*CASES, "escape"]:
        assert "HIDDEN_kestrel" not in outputs(course / "autograded" / student / "quiz" / "quiz.ipynb")
    assert "total = 42" in outputs(course / "autograded" / "leak_hidden_test" / "quiz" / "quiz.ipynb")


def test_escape_attempts_fail(graded):
    course = graded["course"]
    assert totals(course, "quiz")["escape"] == 4
    text = outputs(course / "autograded" / "escape" / "quiz" / "quiz.ipynb")
    succeeded = {line.split(" SUCCEEDED")[0] for line in text.splitlines() if " SUCCEEDED" in line}
    assert succeeded == {"write scratch", "write private tmp"}, text
    assert not ESCAPE_MARKER.exists()
    for secret in SECRETS:
        assert secret not in text
    assert not (course / "submitted" / "escape" / "quiz" / "planted.txt").exists()


def test_grading_again_gives_the_same_result_and_keeps_the_other_entries(graded):
    course = graded["course"]
    first = totals(course, "quiz")
    result = grade(course, "quiz", "--student", "honest", "showtraceback", "--timeout", "10")
    assert result.returncode == 0, result.stderr
    assert totals(course, "quiz") == first
    assert set(run_record(course, "quiz")) == set(CASES) | {"escape"}
