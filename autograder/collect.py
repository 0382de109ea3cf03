"""`autograder collect ASSIGNMENT --zip FILE`: imports an LMS download into
submitted/<student>/<assignment>/ with a timestamp.txt, as nbgrader's own collect would.

Every student's files are checked first (notebook names, valid notebooks); each submission is
written into a fresh folder inside submitted/ and then renamed into place, so an interrupted run
never leaves half a submission, and an existing one is only replaced with --force. The names and
Moodle numbers go to autograder/<assignment>/collect.csv, for carrying grades back to the LMS."""
import csv
import io
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

import nbformat

from .cli import UserError
from .coursedir import Course, add_course_argument
from .files import write_atomically
from .lms_zip import Upload, read_uploads

NAME = "collect"
HELP = "import submissions from an LMS download (Moodle's 'download all submissions' zip, or one folder per student)"


def add_arguments(parser) -> None:
    parser.add_argument("assignment", help="the assignment, e.g. 01-reading-data")
    parser.add_argument("--zip", type=Path, required=True, metavar="FILE", help="the zip downloaded from the LMS")
    add_course_argument(parser)
    parser.add_argument("--force", action="store_true", help="replace submissions that were already collected")
    parser.add_argument("--max-mb", type=int, default=500, help="refuse zips that unpack to more than this (default 500)")


def check_notebooks(upload: Upload, expected: list[str]) -> str | None:
    """Puts the notebooks under the assignment's names; returns why the upload cannot be used, if so."""
    notebooks = sorted(r for r in upload.files if len(r) == 1 and r[0].endswith(".ipynb"))
    if not notebooks:
        return "no notebook (.ipynb) in the upload"
    names = {r[0][: -len(".ipynb")] for r in notebooks}
    if len(expected) == 1 and len(notebooks) == 1 and notebooks[0][0] != f"{expected[0]}.ipynb":
        # The one notebook of a one-notebook assignment, renamed by the learner or their browser.
        upload.files[(f"{expected[0]}.ipynb",)] = upload.files.pop(notebooks[0])
        upload.notes.append(f"renamed {notebooks[0][0]} to {expected[0]}.ipynb")
        names = {expected[0]}
    unknown = sorted(names - set(expected))
    if unknown:
        return (f"notebook(s) {', '.join(n + '.ipynb' for n in unknown)} do not belong to the assignment "
                f"(expected {', '.join(n + '.ipynb' for n in expected)})")
    for name in sorted(names):
        try:
            nbformat.reads(upload.files[(f"{name}.ipynb",)].decode("utf-8"), as_version=4)
        except (UnicodeDecodeError, ValueError, KeyError, AttributeError) as error:
            return f"{name}.ipynb is not a valid notebook ({type(error).__name__})"
    missing = sorted(set(expected) - names)
    if missing:
        upload.notes.append(f"missing {', '.join(n + '.ipynb' for n in missing)} (scores 0)")
    return None


def timestamp(upload: Upload) -> str:
    """The newest file time in the zip (Moodle stores the upload time), in local time with its offset:
    zip times carry no zone, so the LMS and this computer are assumed to share one."""
    moment = upload.submitted_at() or datetime.now()
    return moment.astimezone().isoformat(" ")


def write_submission(course: Course, student: str, assignment: str, upload: Upload, force: bool) -> None:
    target = course.folder("submitted", student, assignment)
    submitted = course.root / course.coursedir.submitted_directory
    submitted.mkdir(exist_ok=True)
    target.parent.mkdir(exist_ok=True)
    for folder in (submitted, target.parent):
        if not folder.resolve().is_relative_to(course.root):
            raise UserError(f"{folder} leads outside the course (a symbolic link?); refusing to write there")
    exists = target.exists() or target.is_symlink()
    if exists and not force:
        raise FileExistsError(target)
    scratch = Path(tempfile.mkdtemp(prefix=".collect-", dir=submitted))
    try:
        fresh = scratch / "new"
        for relative, data in upload.files.items():
            path = fresh.joinpath(*relative)
            if not path.resolve().is_relative_to(fresh.resolve()):
                raise UserError(f"{upload.key}: {'/'.join(relative)} would leave the submission folder")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        (fresh / "timestamp.txt").write_text(timestamp(upload) + "\n", encoding="utf-8")
        if exists:
            target.rename(scratch / "old")  # the old one goes only once the new one is in place
        fresh.rename(target)
    finally:
        shutil.rmtree(scratch)


def mapping_csv(uploads: dict[str, Upload]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student_id", "full_name", "moodle_participant_id", "folder_in_zip", "submitted_at"])
    for student, upload in sorted(uploads.items()):
        writer.writerow([student, upload.full_name or "", upload.participant or "", upload.key, timestamp(upload)])
    return buffer.getvalue()


def run(args) -> int:
    course = Course.open(args.course)
    if not args.zip.is_file():
        raise UserError(f"{args.zip} does not exist or is not a file")
    expected = course.notebook_names(args.assignment)
    if not expected:
        raise UserError(f"{args.assignment} has no notebooks in release/ or source/: "
                        "is the name right, and was the assignment generated?")
    uploads = read_uploads(args.zip, args.max_mb * 2**20)
    problems = {student: why for student, upload in uploads.items() if (why := check_notebooks(upload, expected))}
    usable = {student: upload for student, upload in uploads.items() if student not in problems}
    if not usable:
        details = "; ".join(f"{student}: {why}" for student, why in sorted(problems.items()))
        raise UserError(f"{args.zip} holds no usable submission of {args.assignment} ({details})")
    written, kept = [], []
    for student, upload in sorted(usable.items()):
        try:
            write_submission(course, student, args.assignment, upload, args.force)
            written.append(student)
        except FileExistsError:
            kept.append(student)
    write_atomically(course.root / "autograder" / args.assignment / "collect.csv", mapping_csv(uploads))
    report(args.assignment, uploads, written, kept, problems)
    return 1 if problems else 0


def report(assignment: str, uploads: dict, written: list, kept: list, problems: dict) -> None:
    print(f"Collected {len(written)} submission(s) of {assignment} into submitted/<student>/{assignment}/")
    for student in written:
        notes = uploads[student].notes
        print(f"  {student}" + (f" ({'; '.join(notes)})" if notes else ""))
    if kept:
        print(f"Kept {len(kept)} already collected submission(s) unchanged (use --force to replace them): "
              + ", ".join(kept))
    if problems:
        print(f"Skipped {len(problems)} upload(s); fix them in the LMS or by hand:")
        for student, why in sorted(problems.items()):
            print(f"  {student} ({uploads[student].key}): {why}")
