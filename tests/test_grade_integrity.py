"""Issue 8's classes of attack on `autograder grade`, one hostile notebook (or more) per class, all
graded in one run with real nbgrader, real bubblewrap and real kernels. Every hostile notebook hands
in wrong answers plus its trick (or right ones plus a leak); each test asserts that it scores no
more than the same answers without the trick, that it carries its flag and reason, that nothing
outside the sandbox changed, and that no hidden test reaches the student, plain or encoded.

The first test needs no kernel: every shape a test cell can end in, and only one that really ran
without an error scores."""
import base64
import binascii
import re
import shutil
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_output

from autograder.judging import runner, scoring
from coursebuild.course import nbgrader_env
from grading_helpers import (AUTOGRADER, answer, check_cell, fingerprint, grade, make_course, notebook, outputs, require_bwrap,
                             run_record, sandbox_processes, scores, submit, totals)

SETUP = "import numpy as np\nimport pandas as pd"
# t1's visible message names the column its hidden test uses too: the learner must still see it whole.
VISIBLE_MESSAGE = "the column amount_eur should add up to 42"
HIDDEN_MARK = "HIDDEN_osprey"
T1 = (f"assert frame['amount_eur'].sum() == 42, '{VISIBLE_MESSAGE}'\n"
      f"### BEGIN HIDDEN TESTS\nassert list(frame['amount_eur']) == [40, 2], '{HIDDEN_MARK}'\n### END HIDDEN TESTS")
RIGHT = {"q1": "frame = pd.DataFrame({'amount_eur': [40, 2]})", "q2": "values = [1.0, 2.0, 3.0]", "q3": "ratio = 0.25"}
WRONG = {"q1": "frame = pd.DataFrame({'amount_eur': [40, 1]})", "q2": "values = [1.0, 2.0, 4.0]", "q3": "ratio = 0.3"}
# right on the visible test, wrong on the hidden one
HIDDEN_WRONG = {**RIGHT, "q1": "frame = pd.DataFrame({'amount_eur': [41, 1]})"}
SECRET = "ROOTONLY_heron"


def quiz():
    return notebook(
        new_code_cell(SETUP),
        answer("q1", RIGHT["q1"]), check_cell("t1", T1),
        answer("q2", RIGHT["q2"]), check_cell("t2", "assert values == [1.0, 2.0, 3.0], 'values are not right'"),
        answer("q3", RIGHT["q3"]), check_cell("t3", "2.0 if ratio == 0.25 else 0.0", points=2),
    )


def with_trick(code: str, base: dict = WRONG, where: str = "q1") -> dict:
    return {**base, where: code + "\n" + base[where]}


RUNTIME_WRITE = '''import os, sys
connection = sys.argv[sys.argv.index("-f") + 1]
for label, path, mode in (("runtime folder", os.path.join(os.path.dirname(connection), "planted.bin"), "wb"),
                          ("connection file", connection, "ab")):
    try:
        with open(path, mode) as handle:
            handle.write(b"x" * 100000)
        print(label, "SUCCEEDED")
    except OSError as error:
        print(label, "blocked", type(error).__name__)'''
LEAK = "import base64, zlib\nprint(base64.b64encode(zlib.compress('\\n'.join(In).encode())).decode())"
HTML = ("from IPython.display import HTML, Javascript, SVG, display\n"
        "display(HTML('<b>bold</b><script>document.title = \"pwned\"</script><img src=x onerror=\"alert(1)\">'))\n"
        "display(Javascript('document.title = \"pwned\"'))\n"
        "display(SVG('<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"></svg>'))")
UPDATES = ("handle = display({'text/plain': 'x'}, raw=True, display_id=True)\n"
           "for _ in range(400):\n    handle.update({'text/plain': 'y' * 20000}, raw=True)")

# student: (answers, extra unmarked cell after q1 or None, score of the same answers without the trick,
#           expected status, expected words in a flag (None: no flag), words in the reason)
CASES = {
    "honest": (RIGHT, None, 4, "graded", None, None),
    "wrong": (WRONG, None, 0, "graded", None, None),
    "hidden_wrong": (HIDDEN_WRONG, None, 3, "graded", None, None),
    # class 1: execution itself breaks; the tests that never ran must not count
    "raw_transient": (with_trick("display({'text/plain': 'x'}, raw=True, transient='x')"), None, 0, "failed",
                      "execution of quiz broke", "execution stopped"),
    "bad_widget_state": (with_trick("from comm import create_comm\n"
                                    "create_comm(target_name='jupyter.widget', data={'state': 'not a dict'})"),
                         None, 0, "failed", "execution of quiz broke", "execution stopped"),
    # class 5: nbgrader's partial-credit rule would raise (the result is above the points)
    "partial_raise": (with_trick("get_ipython().display_formatter.formatters['text/plain'].for_type("
                                 "float, lambda value, printer, cycle: printer.text('99'))"), None, 0, "graded",
                      "no valid score", "not a valid partial score"),
    # class 3: the kernel's input history, compressed and encoded, into its own output
    "leak_encoded": (RIGHT, LEAK, 4, "graded", None, None),
    # class 4: display updates and output metadata count against the output limit; the kernel's
    # connection folder is not writable
    "display_updates": (with_trick(UPDATES), None, 0, "failed", None, "more output than allowed"),
    "output_metadata": (with_trick("display({'text/plain': 'x'}, raw=True, metadata={'junk': 'y' * 4000000})\n"
                                   "display({'text/plain': 'x'}, raw=True, metadata={'junk': 'y' * 4000000})"),
                        None, 0, "failed", None, "more output than allowed"),
    "runtime_write": (with_trick(RUNTIME_WRITE), None, 0, "graded", None, None),
    # one message above the limit is refused as it arrives, not taken into the grader's memory
    "one_huge_message": (with_trick("display({'text/plain': 'x' * 50000000}, raw=True)"), None, 0, "failed",
                         None, "larger than the output limit"),
    # class 2: a class made with type(...) that equals everything; a cell without nbgrader metadata
    "type_eq": ({**WRONG, "q2": "values = type('Values', (), {'__eq__': lambda self, other: True})()"},
                None, 0, "graded", "judged by a class the submission made", None),
    "compile_patch": (with_trick("import ast\nip = getattr(exit, '_ip')\nparse = ip.compile.ast_parse\n"
                                 "def no_asserts(*args, **kwargs):\n    tree = parse(*args, **kwargs)\n"
                                 "    tree.body = [node for node in tree.body if not isinstance(node, ast.Assert)]\n"
                                 "    return tree\nip.compile.ast_parse = no_asserts"), None, 0, "graded",
                      "tampering", None),
    "unmarked_cell": (WRONG, "import ctypes", 0, "graded", "imports ctypes", None),
    # class 7: HTML and JavaScript for the trainer's browser
    "html": (with_trick(HTML, base=RIGHT), None, 4, "graded", None, None),
}
# class 6: a notebook that is a link (to the source notebook, to a root-only file)
LINKS = {"link_source": 0, "link_secret": 0}


def hand_in(course: Path, student: str, answers: dict, extra: str | None) -> Path:
    path = submit(course, "quiz", student, "quiz", answers)
    if extra:
        nb = nbformat.read(path, as_version=4)
        position = next(i for i, cell in enumerate(nb.cells) if cell.metadata.get("nbgrader", {}).get("grade_id") == "t1")
        nb.cells.insert(position + 1, new_code_cell(extra))
        nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    require_bwrap()
    course = make_course(tmp_path_factory.mktemp("integrity") / "course", "quiz", {"quiz": quiz()})
    # class 5: an honest first grade that a failing regrade must not keep
    hand_in(course, "regrade", RIGHT, None)
    first = grade(course, "quiz", "--timeout", "20")
    assert first.returncode == 0, first.stdout + first.stderr
    first_total = totals(course, "quiz")["regrade"]
    hand_in(course, "regrade", *CASES["partial_raise"][:2])
    for student, (answers, extra, *_) in CASES.items():
        hand_in(course, student, answers, extra)
    secret = tmp_path_factory.mktemp("secret") / "secret.ipynb"
    secret.write_text(SECRET)
    secret.chmod(0o600)
    for student, target in (("link_source", course / "source" / "quiz" / "quiz.ipynb"), ("link_secret", secret)):
        folder = course / "submitted" / student / "quiz"
        folder.mkdir(parents=True)
        (folder / "quiz.ipynb").symlink_to(target)
    (course / "submitted" / "honest" / "quiz" / "notes.txt").symlink_to(secret)
    outside = [course / "source", course / "release", course / "submitted", secret.parent]
    before = fingerprint(*outside)
    # The grader's temporary folder, named in the command line of its sandboxes (the sandboxes' users
    # must pass through it, so not below pytest's private folder).
    workspace = Path(tempfile.mkdtemp(prefix="autograder-test-"))
    workspace.chmod(0o711)
    result = grade(course, "quiz", "--timeout", "20", env={**nbgrader_env(), "TMPDIR": str(workspace)})
    leftover = sandbox_processes(str(workspace))
    shutil.rmtree(workspace)
    feedback = grade_feedback(course, list(CASES))
    return {"course": course, "result": result, "first_total": first_total, "before": before,
            "after": fingerprint(*outside), "leftover": leftover, "feedback": feedback}


def grade_feedback(course: Path, students: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", AUTOGRADER, "feedback", "quiz", "--course", str(course),
                           "--student", *students], env=nbgrader_env(), capture_output=True, text=True)


# --- class 1: the shapes a test cell can end in (no kernel) ---

def _test_cell(*outs):
    cell = check_cell("t", "assert x", points=2)
    cell.outputs = list(outs)
    return cell


SHAPES = {   # name: (cell outputs, reply arrived, reply said ok) -> scores only if it really ran without error
    "ran, no outputs": ([], True, True),
    "ran, printed": ([new_output("stream", name="stdout", text="fine\n")], True, True),
    "ran, partial result": ([new_output("execute_result", data={"text/plain": "1.5"}, execution_count=3)], True, True),
    "no outputs, never executed": ([], False, False),
    "printed, then killed mid-cell": ([new_output("stream", name="stdout", text="half")], False, False),
    "error in output handling (no reply)": ([new_output("display_data", data={"text/plain": "x"})], False, False),
    "reply says error, traceback hidden": ([], True, False),
    "reply ok, partial result above the points": (
        [new_output("execute_result", data={"text/plain": "99"}, execution_count=3)], True, True),
    "reply ok, partial result not a number": (
        [new_output("execute_result", data={"text/plain": "nan"}, execution_count=3)], True, True),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_only_a_test_cell_that_really_ran_without_error_scores(shape):
    outs, reached, ok = SHAPES[shape]
    nb = notebook(_test_cell(*outs))
    execution = runner.Execution(reason="the kernel died in cell 3")
    if reached:
        execution.reached.add(0)
    if ok:
        execution.passed.add(0)
    runner.give_verdicts(nb, execution)
    score, max_points = scoring.cell_grade(nb.cells[0])
    valid_partial = shape not in ("reply ok, partial result above the points", "reply ok, partial result not a number")
    if ok and valid_partial:
        assert score == (1.5 if "partial" in shape else max_points)
    else:
        assert score == 0
        assert any(out.output_type == "error" and out.evalue for out in nb.cells[0].outputs), "the cell says why"


# --- the grading run ---

@pytest.mark.sandbox
@pytest.mark.slow
def test_grading_worked_and_nothing_outside_changed(graded):
    result = graded["result"]
    assert result.returncode == 0, result.stdout + result.stderr
    assert graded["before"] == graded["after"], "source/, release/, submitted/ and the linked files are untouched"
    assert graded["leftover"] == [], "no process of any sandbox survives grading"
    assert graded["feedback"].returncode == 0, graded["feedback"].stdout + graded["feedback"].stderr


@pytest.mark.sandbox
@pytest.mark.slow
@pytest.mark.parametrize("student", list(CASES))
def test_a_trick_earns_nothing_and_is_flagged(graded, student):
    answers, extra, without_trick, status, flag, why = CASES[student]
    course = graded["course"]
    assert totals(course, "quiz")[student] <= without_trick, scores(course, "quiz")[student]
    if student in ("honest", "hidden_wrong", "leak_encoded", "html"):
        assert totals(course, "quiz")[student] == without_trick, "honest work keeps its points"
    entry = run_record(course, "quiz")[student]
    assert entry["status"] == status, entry
    if flag:
        assert any(flag in text for text in entry["flags"]), entry
    elif student in ("wrong", "hidden_wrong", "leak_encoded"):
        assert entry["flags"] == [], entry
    if why:
        assert why in (entry["reason"] or ""), entry


@pytest.mark.sandbox
@pytest.mark.slow
def test_a_failed_regrade_keeps_no_old_grade_and_a_first_grade_is_zero(graded):
    course = graded["course"]
    assert graded["first_total"] == 4
    assert totals(course, "quiz")["regrade"] == 0, scores(course, "quiz")["regrade"]
    assert totals(course, "quiz")["partial_raise"] == 0, "a first-time student gets a grade of 0, not none"
    entry = run_record(course, "quiz")["regrade"]
    assert "not a valid partial score" in entry["reason"] and entry["flags"]


@pytest.mark.sandbox
@pytest.mark.slow
def test_linked_notebooks_are_refused_not_followed(graded):
    course = graded["course"]
    record = run_record(course, "quiz")
    for student, expected in LINKS.items():
        assert totals(course, "quiz")[student] == expected
        assert record[student]["status"] == "failed"
        assert any("link" in flag for flag in record[student]["flags"]), record[student]
        assert "not a regular file" in record[student]["reason"]
        assert not (course / "autograded" / student / "quiz" / "quiz.ipynb").exists()
    honest = record["honest"]
    assert honest["flags"] == ["notes.txt is a link or a special file"], "a linked file beside the notebook"
    assert totals(course, "quiz")["honest"] == 4 and not (course / "autograded" / "honest" / "quiz" / "notes.txt").exists()
    everything = graded["result"].stdout + graded["result"].stderr + (course / "autograder" / "quiz" / "run.json").read_text()
    assert SECRET not in everything


@pytest.mark.sandbox
@pytest.mark.slow
def test_the_kernels_connection_folder_is_not_writable(graded):
    text = outputs(graded["course"] / "autograded" / "runtime_write" / "quiz" / "quiz.ipynb")
    assert "runtime folder blocked" in text and "connection file blocked" in text, text


def _decoded(text: str) -> str:
    """The text and everything in it that decodes from base64 (zlib-compressed or not)."""
    found = [text]
    for run in re.findall(r"[A-Za-z0-9+/=]{24,}", text):
        try:
            raw = base64.b64decode(run + "=" * (-len(run) % 4))
        except (binascii.Error, ValueError):
            continue
        for attempt in (lambda: zlib.decompress(raw), lambda: raw):
            try:
                found.append(attempt().decode("utf-8", "replace"))
                break
            except zlib.error:
                continue
    return "\n".join(found)


@pytest.mark.sandbox
@pytest.mark.slow
def test_no_hidden_test_reaches_the_student_plain_or_encoded(graded):
    course = graded["course"]
    leaked = outputs(course / "autograded" / "leak_encoded" / "quiz" / "quiz.ipynb")
    assert "frame = pd.DataFrame" in _decoded(leaked), "the leak ran and its output is there"
    for student in CASES:
        page = course / "feedback" / student / "quiz" / "quiz.html"
        text = page.read_text() + outputs(course / "autograded" / student / "quiz" / "quiz.ipynb")
        decoded = _decoded(text)
        assert HIDDEN_MARK not in decoded and "list(frame" not in decoded, student


@pytest.mark.sandbox
@pytest.mark.slow
def test_visible_messages_show_whole_and_hidden_failures_are_named(graded):
    course = graded["course"]
    wrong = (course / "feedback" / "wrong" / "quiz" / "quiz.html").read_text()
    assert VISIBLE_MESSAGE in wrong
    hidden_wrong = course / "feedback" / "hidden_wrong" / "quiz" / "quiz.html"
    assert scores(course, "quiz")["hidden_wrong"]["t1"] == 0
    assert HIDDEN_MARK not in hidden_wrong.read_text()


@pytest.mark.sandbox
@pytest.mark.slow
def test_student_html_and_javascript_are_made_safe_for_trainers(graded):
    nb = nbformat.read(graded["course"] / "autograded" / "html" / "quiz" / "quiz.ipynb", as_version=4)
    data = [out.get("data", {}) for cell in nb.cells for out in cell.get("outputs", [])]
    html = "".join(d.get("text/html", "") for d in data)
    assert "<b>bold</b>" in html
    assert "<script" not in html and "onerror" not in html
    assert not any(mime in d for d in data for mime in ("application/javascript", "image/svg+xml"))


def formgrader_page(path: Path) -> str:
    """The page formgrader shows a trainer for this autograded notebook (its exporter and template)."""
    from nbconvert.exporters import HTMLExporter
    from nbgrader.server_extensions.formgrader import handlers
    from traitlets.config import Config

    config = Config()
    config.HTMLExporter.template_name = "formgrade"
    config.HTMLExporter.extra_template_basedirs = [handlers.template_path]
    resources = {"assignment_id": "quiz", "notebook_id": "quiz", "submission_id": "x", "index": 0, "total": 1,
                 "base_url": "/", "student": "html", "last_name": None, "first_name": None,
                 "notebook_path": "/notebook"}
    html, _ = HTMLExporter(config=config).from_filename(str(path), resources=resources)
    return html


def scripts_that_ran(browser, html: str) -> list[str]:
    """Opens the page offline in chromium and reports what student script did."""
    context = browser.new_context()
    page = context.new_page()
    ran = []
    page.on("dialog", lambda dialog: (ran.append("alert"), dialog.dismiss()))
    page.route("**/*", lambda route: route.abort())
    page.set_content(html, wait_until="load")
    page.wait_for_timeout(300)
    if page.title() == "pwned":
        ran.append("script")
    context.close()
    return ran


@pytest.mark.sandbox
@pytest.mark.slow
@pytest.mark.browser
def test_student_html_runs_nothing_in_the_trainers_browser(graded, tmp_path):
    import os

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(chromium):
        if os.environ.get("CI"):
            raise RuntimeError("chromium is missing: run `make system-deps`")
        pytest.skip("Debian's chromium is not installed (make system-deps)")
    from playwright.sync_api import sync_playwright

    # the same outputs as the student's, unsanitised: proof that the page would run them
    raw = notebook(new_code_cell("x", outputs=[
        new_output("display_data", data={"text/html": '<script>document.title = "pwned"</script>',
                                         "text/plain": "x"}),
        new_output("display_data", data={"application/javascript": 'document.title = "pwned"', "text/plain": "x"})]))
    nbformat.write(raw, tmp_path / "raw.ipynb")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium,
                                             args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            assert scripts_that_ran(browser, formgrader_page(tmp_path / "raw.ipynb")), "control: raw output runs"
            page = formgrader_page(graded["course"] / "autograded" / "html" / "quiz" / "quiz.ipynb")
            assert "<b>bold</b>" in page
            assert scripts_that_ran(browser, page) == []
        finally:
            browser.close()


@pytest.mark.sandbox
@pytest.mark.slow
def test_when_grading_itself_breaks_the_old_grade_goes_and_a_zero_is_recorded(tmp_path):
    """A grader error (here: a course configured with a post-processing step that cannot be built)
    replaces an old full grade by 0 with the reason, for a graded student and for a new one."""
    require_bwrap()
    course = make_course(tmp_path / "course", "small",
                         {"small": notebook(answer("q1", "x = 2"), check_cell("t1", "assert x == 2"))})
    submit(course, "small", "alice", "small", {"q1": "x = 2"})
    assert grade(course, "small").returncode == 0
    assert totals(course, "small") == {"alice": 1.0}
    submit(course, "small", "bob", "small", {"q1": "x = 2"})
    with open(course / "nbgrader_config.py", "a") as config:
        config.write("c.Autograde.autograde_preprocessors = ['nbgrader.preprocessors.LimitOutput', 'builtins.len']\n")
    result = grade(course, "small")
    assert result.returncode == 1 and "grader error" in result.stdout, result.stdout + result.stderr
    assert totals(course, "small") == {"alice": 0.0, "bob": 0.0}
    for student in ("alice", "bob"):
        entry = run_record(course, "small")[student]
        assert entry["status"] == "failed" and "grader error" in entry["reason"], entry


def test_what_crosses_the_execution_boundary_is_plain_picklable_data():
    """A cluster runs grading.run() elsewhere: its input and output must survive pickling."""
    import pickle

    from autograder.judging import grading
    from autograder.kernels.kernel import Settings

    nb = quiz()
    submission = grading.Submission("alice", {"quiz": nb}, {"data.csv": Path("/course/data.csv")}, None,
                                    grading.Outcome("alice"))
    task = grading.Assignment("quiz", ["quiz"], {"np", "pd"}, {"assert x"}, {"import numpy as np"})
    result = grading.failed_result(task, "alice", grading.Outcome("alice"), RuntimeError("broken"))
    for value in (submission, task, Settings(timeout=5, submission_seconds=60, memory_bytes=2**30), result):
        assert pickle.loads(pickle.dumps(value)) == value
    assert result.outcome.status == "failed" and "grader error" in result.outcome.reasons[0]
    assert result.notebooks == {"quiz": None}, "nothing of it counts"
