"""Writes one submission's results into nbgrader's gradebook in a single transaction, from the
trusted side only: an interrupted run leaves each submission either fully old or fully new."""
import datetime
import random
import time
import warnings

from nbgrader import utils
from nbgrader.api import Gradebook, InvalidEntry
from nbgrader.preprocessors import AssignLatePenalties
from sqlalchemy.exc import IntegrityError, OperationalError

from autograder.course.coursedir import Course
from autograder.judging import scoring


ATTEMPTS = 6


def record(course: Course, assignment: str, student: str, timestamp: datetime.datetime | None,
           notebooks: dict[str, object | None], scores: dict[str, dict[str, float]] | None = None) -> None:
    """`notebooks` maps each of the assignment's notebook names to its graded notebook, or None
    when the student did not hand it in (or it could not be read): then it scores 0, as in nbgrader.
    `scores` (notebook -> grade_id -> points) are the test cells' scores where the grader measured
    them apart from the notebook's outputs. Every autograded cell gets a new score: one the notebook
    does not have (or no longer has) scores 0, never keeps an old grade."""
    for attempt in range(ATTEMPTS):
        try:
            return _record(course, assignment, student, timestamp, notebooks, scores or {})
        # With a shared gradebook (PostgreSQL, or several runs on one SQLite file) another run may
        # have added the same new student or submission meanwhile, or the database broke a deadlock
        # or stayed locked: the transaction was rolled back whole, so writing it again is safe.
        except (IntegrityError, OperationalError, InvalidEntry):
            if attempt == ATTEMPTS - 1:
                raise
            time.sleep(random.uniform(0.05, 0.25) * (attempt + 1))


def _record(course: Course, assignment: str, student: str, timestamp: datetime.datetime | None,
            notebooks: dict[str, object | None], scores: dict[str, dict[str, float]]) -> None:
    late = AssignLatePenalties(config=course.config)
    late.init_plugin()
    with Gradebook(course.db_url, course.course_id) as gb:
        session = gb.db
        commit = session.commit
        # nbgrader's API commits after every change; flushing instead keeps them in one transaction.
        session.commit = session.flush
        try:
            with warnings.catch_warnings():
                # nbgrader's add_submission builds its rows in a way SQLAlchemy warns about; harmless.
                warnings.simplefilter("ignore", category=Warning)
                gb.update_or_create_student(student)
                extra = {"timestamp": timestamp} if timestamp else {}
                submission = gb.update_or_create_submission(assignment, student, **extra)
            for name, nb in notebooks.items():
                submitted = gb.find_submission_notebook(name, assignment, student)
                for grade in submitted.grades:
                    grade.auto_score = 0
                    grade.needs_manual_grade = False
                if nb is not None:
                    _record_cells(gb, nb, name, assignment, student, scores.get(name, {}))
                session.flush()
                submitted.late_submission_penalty = None
                if submission.total_seconds_late > 0:
                    penalty = late.plugin_inst.late_submission_penalty(student, submitted.score,
                                                                       submission.total_seconds_late)
                    if penalty is not None:
                        submitted.late_submission_penalty = late._check_late_penalty(submitted, penalty)
            commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.commit = commit


def _record_cells(gb: Gradebook, nb, name: str, assignment: str, student: str, scores: dict[str, float]) -> None:
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if utils.is_grade(cell):
            grade = gb.find_grade(grade_id, name, assignment, student)
            grade.auto_score = scores[grade_id] if grade_id in scores else scoring.cell_grade(cell)[0]
            # A grade the trainer gave by hand stays given: the terminal, export and report then agree.
            grade.needs_manual_grade = grade.auto_score is None and grade.manual_score is None
        elif utils.is_task(cell):
            # A task is judged by a person only (as in nbgrader): no automatic score, not even the reset's 0.
            grade = gb.find_grade(grade_id, name, assignment, student)
            grade.auto_score = None
            grade.needs_manual_grade = grade.manual_score is None
        if utils.is_solution(cell) or utils.is_task(cell):
            comment = gb.find_comment(grade_id, name, assignment, student)
            unchanged = cell.metadata.nbgrader.get("checksum") == utils.compute_checksum(cell)
            comment.auto_comment = "No response." if unchanged and not utils.is_task(cell) else None
