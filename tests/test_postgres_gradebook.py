"""A course whose gradebook is a PostgreSQL database (nbgrader's `CourseDirectory.db_url`), on a real
server started by the test: nbgrader's own commands and `autograder grade`, `export`, `feedback` and
`report` work on it, and two grading runs at the same time (two trainers, each with their own
copy of the course, grading two assignments) leave every grade in place. The expected scores are those plain `nbgrader autograde` gave (club101's grades.csv)."""
import csv
import shutil
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from nbgrader.api import Gradebook

from autograder.cli import main as autograder
from autograder.course import gradebook_writer
from autograder.course.coursedir import Course
from coursebuild.course import nbgrader_env
from grading_helpers import AUTOGRADER, CLUB101, nbgrader, require_bwrap
from postgres_server import create_database, postgres_server

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]

ASSIGNMENTS = ["ps1", "ps2"]   # ps2 is a copy of ps1 under another name


def expected_totals() -> dict[str, float]:
    with open(CLUB101 / "grades.csv") as file:
        return {row["student_id"]: float(row["score"]) for row in csv.DictReader(file)}


def make_course(folder, db_url: str, generate: list[str]):
    shutil.copytree(CLUB101, folder, ignore=shutil.ignore_patterns("grades.csv"))
    shutil.copytree(folder / "source" / "ps1", folder / "source" / "ps2")
    for student in ("ann", "ben"):
        shutil.copytree(folder / "submitted" / student / "ps1", folder / "submitted" / student / "ps2")
    with open(folder / "nbgrader_config.py", "a") as config:
        config.write(f"c.CourseDirectory.db_url = {db_url!r}\n")
    for assignment in generate:
        nbgrader(folder, "generate_assignment", assignment, "--force")
    return folder


def start_grading(course, assignment):
    return subprocess.Popen([sys.executable, "-c", AUTOGRADER, "grade", assignment, "--course", str(course),
                             "--workers", "1"], env=nbgrader_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


@pytest.fixture(scope="module")
def server():
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="module")
def courses(server, tmp_path_factory):
    require_bwrap()
    root = tmp_path_factory.mktemp("pg")
    db_url = create_database(server, "club101")
    trainer_a = make_course(root / "trainer-a", db_url, generate=ASSIGNMENTS)
    # The second trainer's copy of the course: same gradebook, their own autograded/ folder.
    trainer_b = make_course(root / "trainer-b", db_url, generate=[])
    runs = [start_grading(trainer_a, "ps1"), start_grading(trainer_b, "ps2")]
    outputs = [run.communicate(timeout=600)[0] for run in runs]
    return {"a": trainer_a, "b": trainer_b, "db_url": db_url,
            "runs": [(run.returncode, output) for run, output in zip(runs, outputs)]}


def test_concurrent_grade_runs_leave_every_grade_in_place(courses):
    for status, output in courses["runs"]:
        assert status == 0, output
    want = expected_totals()
    with Gradebook(courses["db_url"], "club101") as gb:
        assert sorted(s.id for s in gb.students) == sorted(want)
        for assignment in ASSIGNMENTS:
            submissions = gb.assignment_submissions(assignment)
            assert {s.student.id: s.score for s in submissions} == want, assignment
            for submission in submissions:
                assert all(grade.auto_score is not None for nb in submission.notebooks for grade in nb.grades
                           if grade.name != "why_it_matters"), (assignment, submission.student.id)
    assert (courses["a"] / "autograded" / "ann" / "ps1" / "problem2.ipynb").is_file()
    assert (courses["b"] / "autograded" / "ann" / "ps2" / "problem2.ipynb").is_file()
    assert not (courses["a"] / "gradebook.db").exists(), "no SQLite gradebook beside the PostgreSQL one"


def test_simultaneous_first_writes_of_the_same_submissions(server, tmp_path):
    """Grading processes recording new students' first submissions at the same moment: each
    submission ends up recorded once, whole (the loser of a race for a new row writes again)."""
    db_url = create_database(server, "race")
    course = Course.open(make_course(tmp_path / "race", db_url, generate=["ps1"]))
    students = [f"new{i}" for i in range(4)]
    start = threading.Barrier(8)

    def record(student):
        start.wait()
        gradebook_writer.record(course, "ps1", student, None, {"problem1": None, "problem2": None})

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(record, students * 2))
    with Gradebook(db_url, "club101") as gb:
        assert sorted(s.student.id for s in gb.assignment_submissions("ps1")) == students
        assert all(gb.find_submission("ps1", s).score == 0 for s in students)


def test_export_equals_nbgraders_own_export(courses, tmp_path):
    course = courses["a"]
    nbgrader(course, "export", "--to", str(tmp_path / "nbgrader.csv"))
    assert autograder(["export", "--course", str(course), "--csv", str(tmp_path / "ours.csv")]) == 0
    with open(tmp_path / "nbgrader.csv") as theirs, open(tmp_path / "ours.csv") as ours:
        their_rows, our_rows = list(csv.DictReader(theirs)), list(csv.DictReader(ours))
    assert len(our_rows) == len(their_rows) == 4
    for their_row, our_row in zip(their_rows, our_rows):
        assert {key: our_row[key] for key in their_row} == their_row
    assert {(r["assignment"], r["student_id"]): float(r["score"]) for r in our_rows} == {
        (a, s): score for a in ASSIGNMENTS for s, score in expected_totals().items()}


def test_feedback_and_report_read_the_postgresql_gradebook(courses, tmp_path):
    course = courses["b"]
    assert autograder(["feedback", "ps2", "--course", str(course)]) == 0
    html = (course / "feedback" / "ben" / "ps2" / "problem1.html").read_text(encoding="utf-8")
    assert "AssertionError: 20 + 5.5 euros make 25.5 euros" in html
    assert autograder(["report", "ps1", "--course", str(course), "--html", str(tmp_path / "report.html")]) == 0
    report = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "why_it_matters" in report.split('id="manual"')[1]
