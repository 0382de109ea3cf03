"""`autograder grade` with a trainer's wrong input and without a sandbox. Our own exercises' solutions
and student versions are graded in tests/test_exercises.py, on the course `init-course` makes of each."""
import os
import shutil
import sys

import pytest

from grading_helpers import (answer, check_cell, fingerprint, grade, make_course, notebook, require_bwrap,
                             run_record, submit, totals)


@pytest.fixture(scope="module")
def small_course(tmp_path_factory):
    nb = notebook(answer("q1", "x = 2"), check_cell("t1", "assert x == 2"))
    course = make_course(tmp_path_factory.mktemp("cli") / "course", "small", {"small": nb})
    submit(course, "small", "alice", "small", {"q1": "x = 2"})
    return course


@pytest.mark.parametrize("args, message", [
    (["nope"], "no assignment 'nope'"),
    (["small", "--student", "bob"], "no submission of 'small' from bob"),
    (["small", "--workers", "0"], "--workers must be at least 1"),
])
def test_bad_input_gets_a_clear_message_and_changes_nothing(small_course, args, message):
    before = fingerprint(small_course)
    result = grade(small_course, *args)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert fingerprint(small_course) == before


def test_not_a_course_and_no_submissions(tmp_path, small_course):
    result = grade(tmp_path, "small")
    assert result.returncode == 2 and "is not an nbgrader course" in result.stderr
    empty = tmp_path / "empty"
    shutil.copytree(small_course, empty, ignore=shutil.ignore_patterns("submitted", "autograded", "autograder"))
    result = grade(empty, "small")
    assert result.returncode == 2 and "no submissions of 'small'" in result.stderr


def without_sandbox_tools() -> dict:
    """An environment whose PATH has Python but no bubblewrap, setpriv or prlimit."""
    return {**os.environ, "PATH": os.path.dirname(sys.executable)}


def test_refuses_without_a_sandbox_unless_told(small_course):
    before = fingerprint(small_course)
    refused = grade(small_course, "small", env=without_sandbox_tools())
    assert refused.returncode == 2
    assert "cannot grade safely" in refused.stderr and "--unsafe-no-sandbox" in refused.stderr
    assert "gradebook" in refused.stderr, "it says what the trainer would give up"
    assert fingerprint(small_course) == before
    unsafe = grade(small_course, "small", "--unsafe-no-sandbox", env=without_sandbox_tools())
    assert unsafe.returncode == 0, unsafe.stderr
    assert "WITHOUT a sandbox" in unsafe.stderr
    assert totals(small_course, "small")["alice"] == 1.0


@pytest.mark.sandbox
def test_a_notebook_over_its_total_time_scores_zero(small_course):
    require_bwrap()
    # the test cell itself hangs (in a comparison the student wrote) after printing something
    slow_equal = ("class Slow:\n    def __eq__(self, other):\n        print('partial output')\n"
                  "        import time\n        time.sleep(60)\n        return True\nx = Slow()")
    submit(small_course, "small", "dawdler", "small", {"q1": slow_equal})
    result = grade(small_course, "small", "--student", "dawdler", "--timeout", "30", "--submission-timeout", "3")
    assert result.returncode == 0, result.stderr
    assert totals(small_course, "small")["dawdler"] == 0
    entry = run_record(small_course, "small")["dawdler"]
    assert entry["status"] == "timeout" and "in total" in entry["reason"]
