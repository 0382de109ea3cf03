"""`autograder return ASSIGNMENT`: the feedback pages and grades back to the learners.

With --moodle-zip FILE: a zip for Moodle's "Upload multiple feedback files in a zip". Moodle reads
the participant number from the second `_`-separated part of each entry's first folder
(`Full Name_12345_assignsubmission_file_/...`, the folder names of its own download; see Moodle's
mod/assign/feedback/file/importziplib.php), so every page goes into the folder collect recorded for
that learner. Beside it a grades CSV for Moodle's "Upload grading worksheet" (the columns its
offline-grading importer looks for: Identifier "Participant N", Grade, Last modified (grade),
Feedback comments; Moodle matches them in English).
With --folder DIR: one folder per learner with clear file names (02-data-quality_Ben-Bauer.html).

Only complete results are returned: a submission with answers still to grade by hand, or without
a feedback page of ours (e.g. overwritten by formgrader's "Generate Feedback"), is named and left out."""
import csv
import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

from autograder.cli import UserError
from autograder.course import names
from autograder.course.coursedir import Course, add_course_argument
from autograder.course.files import write_atomically
from autograder.i18n import N_, translator
from autograder.pages.templating import points

NAME = "return"
HELP = "write the feedback pages and grades for the learners: a Moodle feedback zip and grades CSV, or one folder each"
MARK = '<meta name="generator" content="autograder">'
PARTICIPANT = "Participant "   # Moodle's string 'hiddenuser' (English), which its importer strips off
WORKSHEET = ["Identifier", "Full name", "Grade", "Maximum Grade", "Last modified (grade)", "Feedback comments"]


def add_arguments(parser) -> None:
    parser.add_argument("assignment", help="the assignment, e.g. 02-data-quality")
    add_course_argument(parser)
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--moodle-zip", type=Path, metavar="FILE",
                        help="write a zip for Moodle's 'Upload multiple feedback files in a zip'")
    target.add_argument("--folder", type=Path, metavar="DIR", help="write one folder per learner into DIR")
    parser.add_argument("--grades-csv", type=Path, metavar="FILE",
                        help="with --moodle-zip: where the grading worksheet goes (default: beside the zip, .csv)")


def file_label(full_name: str) -> str:
    """A name that works as part of a file name on every system, keeping its letters ("Ben-Bauer")."""
    return re.sub(r"[\s/\\:*?\"<>|_]+", "-", full_name).strip("-.") or "student"


def collected(course: Course, assignment: str) -> dict[str, dict]:
    path = course.root / "autograder" / assignment / "collect.csv"
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8") as file:
        return {row["student_id"]: row for row in csv.DictReader(file)}


def results(course: Course, assignment: str) -> list[dict]:
    """Every graded submission with its score, whether it still waits for hand grading, its pages."""
    from nbgrader.api import MissingEntry

    with course.gradebook() as gb:
        try:
            found = gb.find_assignment(assignment)
        except MissingEntry:
            raise UserError(N_("the gradebook has no assignment {assignment}: grade it first"), assignment=assignment) from None
        rows = []
        for submission in sorted(found.submissions, key=lambda s: s.student.id):
            student = submission.student
            rows.append({"id": student.id, "score": submission.score - (submission.late_submission_penalty or 0),
                         "max_score": found.max_score, "open": submission.needs_manual_grade,
                         "name": " ".join(n for n in (student.first_name, student.last_name) if n),
                         "notebooks": [nb.name for nb in found.notebooks]})
    return rows


def pages(course: Course, assignment: str, row: dict) -> dict[str, bytes] | None:
    """notebook -> our feedback page, or None when one is missing or is not ours."""
    found = {}
    for notebook in row["notebooks"]:
        path = course.folder("feedback", row["id"], assignment) / f"{notebook}.html"
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if MARK.encode() not in data:
            return None
        found[notebook] = data
    return found


def run(args) -> int:
    course = Course.open(args.course)
    _ = translator(course.language(args.assignment))
    lang = course.language(args.assignment)
    mapping = collected(course, args.assignment)
    registry = names.Registry.load(course.root)
    ready, skipped = [], []
    for row in results(course, args.assignment):
        row["name"] = (mapping.get(row["id"]) or {}).get("full_name") or registry.full_name(row["id"]) \
            or row["name"] or row["id"]
        if row["open"]:
            skipped.append((row["id"], _("answers still to grade by hand (autograder mark or formgrader)")))
        elif (found := pages(course, args.assignment, row)) is None:
            skipped.append((row["id"], _("no feedback page of autograder (run: autograder feedback {assignment})",
                                         assignment=args.assignment)))
        else:
            ready.append({**row, "pages": found})
    if args.moodle_zip:
        in_moodle = [r for r in ready if (mapping.get(r["id"]) or {}).get("moodle_participant_id")]
        skipped += [(r["id"], _("no Moodle number: not collected from a Moodle download")) for r in ready
                    if r not in in_moodle]
        write_moodle_zip(args.moodle_zip, args.assignment, in_moodle, mapping)
        worksheet = args.grades_csv or args.moodle_zip.with_suffix(".csv")
        write_atomically(worksheet, grades_csv(in_moodle, mapping, args.assignment, _, lang))
        print(_("Wrote the feedback of {count} learner(s) to {zip} (Moodle: Upload multiple feedback files in a "
                "zip) and their grades to {csv} (Moodle: Upload grading worksheet)",
                count=len(in_moodle), zip=args.moodle_zip, csv=worksheet))
    else:
        for row in ready:
            for notebook, data in row["pages"].items():
                target = args.folder / row["id"] / f"{notebook}_{file_label(row['name'])}.html"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        print(_("Wrote the feedback of {count} learner(s) into {folder}/<student>/", count=len(ready),
                folder=args.folder))
    if skipped:
        print(_("Not returned ({count}):", count=len(skipped)))
        for student, why in skipped:
            print(f"  {student}: {why}")
    return 1 if skipped else 0


def write_moodle_zip(path: Path, assignment: str, rows: list[dict], mapping: dict) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for row in rows:
            folder = f"{mapping[row['id']]['folder_in_zip']}_assignsubmission_file_"
            for notebook, data in row["pages"].items():
                archive.writestr(f"{folder}/{notebook}_{file_label(row['name'])}.html", data)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.tmp")
    partial.write_bytes(buffer.getvalue())
    partial.replace(path)


def grades_csv(rows: list[dict], mapping: dict, assignment: str, _, lang: str) -> str:
    now = datetime.now().strftime("%Y-%m-%d %H:%M")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(WORKSHEET)
    for row in rows:
        files = ", ".join(f"{notebook}_{file_label(row['name'])}.html" for notebook in row["pages"])
        comment = _("{score} of {max_score} points. Your detailed feedback is in the file {files}.",
                    score=points(row["score"], lang), max_score=points(row["max_score"], lang), files=files)
        writer.writerow([PARTICIPANT + mapping[row["id"]]["moodle_participant_id"], row["name"],
                         f"{round(row['score'], 2):g}", f"{row['max_score']:g}", now, comment])
    return buffer.getvalue()
