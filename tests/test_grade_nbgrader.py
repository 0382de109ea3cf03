"""`autograder grade` gives nbgrader's own scores: on our example course (tests/fixtures/club101, whose
grades.csv holds the scores of `nbgrader autograde`) and on nbgrader's test notebooks (cheat
attempts, changed locked and grade cells, relative files, time-outs, infinite loops). The expected
scores were measured with plain `nbgrader autograde` (0.9.6) on the same course (with
`Execute.timeout = 2`), except for the cheat attempts: tests after detected tampering score 0.
We grade with 4 s per cell, which gives the same results (the slow cell sleeps 5 s) and leaves
ordinary cells room on a busy machine."""
import csv
import shutil

import nbformat
import pytest

from grading_helpers import (CLUB101, NBGRADER_FILES, copy_club101, fingerprint, grade, make_course, nbgrader, require_bwrap,
                             run_record, scores, submit, totals)

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]

NOTEBOOKS = NBGRADER_FILES
SOURCES = {"p1": "submitted-unchanged.ipynb", "files": "open_relative_file.ipynb",
           "env": "validating-environment-variable.ipynb", "squares": "test.ipynb",
           "slow": "timeout.ipynb", "loop": "infinite-loop.ipynb", "effects": "side-effects.ipynb"}
SUBMISSIONS = {
    "unchanged": {"p1": "submitted-unchanged.ipynb"},
    "changed": {"p1": "submitted-changed.ipynb", "files": "open_relative_file.ipynb",
                "env": "validating-environment-variable.ipynb", "squares": "test.ipynb",
                "effects": "side-effects.ipynb"},
    "cheat": {"p1": "submitted-cheat-attempt.ipynb"},
    "cheat_alternative": {"p1": "submitted-cheat-attempt-alternative.ipynb"},
    "grade_cell_changed": {"p1": "submitted-grade-cell-changed.ipynb"},
    "locked_cell_changed": {"p1": "submitted-locked-cell-changed.ipynb"},
    "slowpoke": {"slow": "timeout.ipynb", "loop": "infinite-loop.ipynb"},
}
# (total score, status); per-cell scores below where they matter
EXPECTED = {
    "unchanged": (1.0, "graded"),
    # foo 1, bar 1, open_file 10, env 0, squares 1 + 1 + 0.5 + 0: the test that deletes `squares` in
    # its own kernel to see whether `sum_of_squares` calls it cannot reach the student's kernel, where
    # the answer runs (nbgrader: 15; the course option judge_in_student_kernel gives that, see test_verdict.py).
    "changed": (14.5, "graded"),
    # nbgrader gives these 1 (for `print("Success!")`); once tampering is seen, no later test counts.
    "cheat": (0.0, "graded"),
    "cheat_alternative": (0.0, "graded"),
    "grade_cell_changed": (1.0, "graded"),
    "locked_cell_changed": (1.0, "graded"),
    "slowpoke": (0.0, "timeout"),
}


@pytest.fixture(scope="module")
def test_notebooks_course(tmp_path_factory):
    require_bwrap()
    root = tmp_path_factory.mktemp("nbgrader-tests") / "course"
    sources = {name: nbformat.read(NOTEBOOKS / file, as_version=4) for name, file in SOURCES.items()}
    course = make_course(root, "ps1", sources, files={"data.txt": (NOTEBOOKS / "data.txt").read_text()})
    shutil.copy(NOTEBOOKS / "jupyter.png", course / "source" / "ps1")
    for student, notebooks in SUBMISSIONS.items():
        for name, file in notebooks.items():
            submit(course, "ps1", student, name, notebook=NOTEBOOKS / file)
    outside = [course / "source", course / "release", course / "submitted"]
    before = fingerprint(*outside)
    result = grade(course, "ps1", "--timeout", "4")
    assert fingerprint(*outside) == before, "source/, release/ and submitted/ are untouched"
    return course, result


def test_grading_worked(test_notebooks_course):
    course, result = test_notebooks_course
    assert result.returncode == 0, result.stdout + result.stderr
    assert not list((course / "autograded").rglob("side-effect.txt")), "files written while grading stay in the sandbox"


@pytest.mark.parametrize("student", list(EXPECTED))
def test_scores_match_nbgrader(test_notebooks_course, student):
    course, _ = test_notebooks_course
    total, status = EXPECTED[student]
    assert totals(course, "ps1")[student] == total, scores(course, "ps1")[student]
    assert run_record(course, "ps1")[student]["status"] == status


def test_cheat_attempts_are_flagged_and_tests_fail(test_notebooks_course):
    course, _ = test_notebooks_course
    record = run_record(course, "ps1")
    for student in ("cheat", "cheat_alternative"):
        assert scores(course, "ps1")[student]["bar"] == 0
        assert any("showtraceback" in flag for flag in record[student]["flags"]), record[student]
        assert any(flag.startswith("tampering") for flag in record[student]["flags"]), record[student]


def test_hanging_notebooks_get_a_grade_and_a_reason(test_notebooks_course):
    course, _ = test_notebooks_course
    entry = run_record(course, "ps1")["slowpoke"]
    assert "longer than 4 s" in entry["reason"]
    assert scores(course, "ps1")["slowpoke"]["correct_squares"] == 0


def test_club101_scores_equal_nbgrader_autograde(tmp_path):
    require_bwrap()
    course = copy_club101(tmp_path / "club101")
    result = grade(course, "ps1")
    assert result.returncode == 0, result.stdout + result.stderr
    nbgrader(course, "export", "--to", str(tmp_path / "ours.csv"))
    with open(CLUB101 / "grades.csv") as expected, open(tmp_path / "ours.csv") as ours:
        want = {row["student_id"]: row for row in csv.DictReader(expected)}
        got = {row["student_id"]: row for row in csv.DictReader(ours)}
    assert set(got) == set(want)
    for student, row in want.items():
        assert got[student]["timestamp"] == row["timestamp"]
        for column in ("raw_score", "score", "late_submission_penalty"):
            assert float(got[student][column]) == float(row[column]), (student, column)
    autograded = course / "autograded" / "ben" / "ps1"
    assert {p.name for p in autograded.iterdir()} >= {"problem1.ipynb", "problem2.ipynb", "members.csv", "timestamp.txt"}
