"""`autograder export --csv FILE`: the grades as CSV, with the columns of `nbgrader export` (same
rows and values) followed by two of our own: whether answers still wait for manual grading, and
the status from `autograder grade`'s run.json. Assignments nobody has handed in yet are left out
unless --all asks for them; names missing in the gradebook come from collect's records."""
import csv
import io
from pathlib import Path

from autograder.cli import UserError
from autograder.course import names, runrecord
from autograder.course.coursedir import Course, add_course_argument
from autograder.course.files import write_atomically
from autograder.i18n import N_, translator

NAME = "export"
HELP = "write the grades as CSV (the columns of `nbgrader export`, plus manual-grading and grading status)"
NBGRADER_COLUMNS = ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
                    "raw_score", "late_submission_penalty", "score", "max_score"]
COLUMNS = NBGRADER_COLUMNS + ["needs_manual_grade", "grading_status"]


def add_arguments(parser) -> None:
    add_course_argument(parser)
    parser.add_argument("--assignment", action="append", metavar="A", help="only this assignment (repeatable)")
    parser.add_argument("--csv", type=Path, required=True, metavar="FILE", help="the CSV file to write")
    parser.add_argument("--all", action="store_true",
                        help="also assignments without any submission (every learner then scores 0)")


def text(value) -> str:
    """nbgrader export writes str() of every value and '' for None; so do we, for identical cells."""
    return "" if value is None else str(value)


def rows(gb, course: Course, only: list[str] | None, everything: bool = False) -> list[dict]:
    """One row per assignment and student, like nbgrader: a student without a submission scores 0."""
    from nbgrader.api import MissingEntry

    result = []
    registry = names.Registry.load(course.root)
    for assignment in gb.assignments:
        if only and assignment.name not in only:
            continue
        if not (everything or only) and not assignment.submissions:
            continue
        record = runrecord.students(course.root, assignment.name)
        for student in gb.students:
            first, last = student.first_name, student.last_name
            if not (first or last) and (full_name := registry.full_name(student.id)):
                first, last = names.split_name(full_name)
            row = {"assignment": assignment.name, "duedate": assignment.duedate, "student_id": student.id,
                   "last_name": last, "first_name": first, "email": student.email,
                   "max_score": assignment.max_score,
                   "grading_status": (record.get(student.id) or {}).get("status")}
            try:
                submission = gb.find_submission(assignment.name, student.id)
            except MissingEntry:
                row.update(timestamp="", raw_score=0.0, late_submission_penalty=0.0, score=0.0, needs_manual_grade="")
            else:
                penalty = submission.late_submission_penalty
                row.update(timestamp=submission.timestamp, raw_score=submission.score,
                           late_submission_penalty=penalty, score=max(0.0, submission.score - penalty),
                           needs_manual_grade=submission.needs_manual_grade)
            result.append({key: text(row[key]) for key in COLUMNS})
    return result


def run(args) -> int:
    course = Course.open(args.course)
    with course.gradebook() as gb:
        known = {a.name for a in gb.assignments}
        unknown = sorted(set(args.assignment or []) - known)
        if unknown:
            raise UserError(N_("the gradebook has no assignment {unknown}; it has: {known}"), unknown=", ".join(unknown),
                            known=", ".join(sorted(known)) or "–")
        table = rows(gb, course, args.assignment, args.all)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    write_atomically(args.csv, buffer.getvalue())
    _ = translator(course.course_language() or "en")
    print(_("Wrote {count} row(s) to {file}", count=len(table), file=args.csv))
    return 0
