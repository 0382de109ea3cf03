"""`autograder collect ASSIGNMENT --zip FILE`: imports an LMS download into
submitted/<student>/<assignment>/ with a timestamp.txt, as nbgrader's own collect would.

Every student's files are checked first: the notebooks must be valid and belong to the assignment
(they carry most of its nbgrader cell ids; another assignment's notebook is refused by name). Each
upload is judged on its own: a broken one is set aside with its reason and the others go on. Each
submission is written into a fresh folder inside submitted/ and then renamed into place, so an
interrupted run never leaves half a submission. A newer upload of a student replaces their older
one (with a message); an older or equally old one never replaces anything unless --force is given.
Student ids come from names.py; names and Moodle numbers go to autograder/<assignment>/collect.csv,
for carrying results back to the LMS, and the names into the gradebook."""
import csv
import io
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import nbformat
from nbgrader.utils import parse_utc

from autograder.cli import UserError
from autograder.course import names
from autograder.course.coursedir import Course, add_course_argument
from autograder.course.files import write_atomically
from autograder.course.lms_zip import Upload, read_uploads
from autograder.i18n import N_, translator

NAME = "collect"
HELP = "import submissions from an LMS download (Moodle's 'download all submissions' zip, or one folder per student)"
# A notebook belongs to the assignment when it carries more than this share of its nbgrader cell ids:
# learners may delete a cell, but another assignment shares only a few generic ids ("setup").
BELONGS = 0.5


def add_arguments(parser) -> None:
    parser.add_argument("assignment", help="the assignment, e.g. 01-reading-data")
    parser.add_argument("--zip", type=Path, required=True, metavar="FILE", help="the zip downloaded from the LMS")
    add_course_argument(parser)
    parser.add_argument("--force", action="store_true",
                        help="replace collected submissions even with an older or equally old upload")
    parser.add_argument("--max-mb", type=int, default=500, help="refuse zips that unpack to more than this (default 500)")


def grade_ids(nb) -> set[str]:
    return {cell.metadata["nbgrader"]["grade_id"] for cell in nb.cells
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")}


def released_ids(course: Course, assignment: str) -> dict[str, set[str]]:
    """notebook name -> its nbgrader cell ids, from release/ or else source/."""
    result = {}
    for name in course.notebook_names(assignment):
        for kind in ("release", "source"):
            path = course.folder(kind, None, assignment) / f"{name}.ipynb"
            try:
                result[name] = grade_ids(nbformat.read(path, as_version=4))
                break
            except (OSError, ValueError):
                continue
        result.setdefault(name, set())
    return result


def share(found: set[str], expected: set[str]) -> float:
    return len(found & expected) / len(expected) if expected else 1.0


def other_assignment(course: Course, found: set[str], assignment: str) -> str | None:
    """The assignment in release/ that this notebook belongs to, if it is another one."""
    release = course.root / course.coursedir.release_directory
    best, best_share = None, BELONGS
    for folder in sorted(release.iterdir()) if release.is_dir() else []:
        if folder.name == assignment or not folder.is_dir():
            continue
        for expected in released_ids(course, folder.name).values():
            if expected and share(found, expected) > best_share:
                best, best_share = folder.name, share(found, expected)
    return best


def check_notebooks(course: Course, assignment: str, upload: Upload, expected: dict[str, set[str]], _) -> str | None:
    """Puts the notebooks under the assignment's names; returns why the upload cannot be used, if so."""
    if upload.problem:
        return _(upload.problem[0], **upload.problem[1])
    notebooks = sorted(r for r in upload.files if len(r) == 1 and r[0].endswith(".ipynb"))
    if not notebooks:
        return _("no notebook (.ipynb) in the upload")
    parsed = {}
    for relative in notebooks:
        try:
            parsed[relative[0]] = nbformat.reads(upload.files[relative].decode("utf-8"), as_version=4)
        except (UnicodeDecodeError, ValueError, KeyError, AttributeError) as error:
            return _("{notebook} is not a valid notebook ({error})", notebook=relative[0], error=type(error).__name__)
    for filename, nb in parsed.items():
        found = grade_ids(nb)
        name = filename[: -len(".ipynb")]
        if name in expected and share(found, expected[name]) > BELONGS:
            continue
        fitting = [n for n, ids in expected.items() if ids and share(found, ids) > BELONGS]
        if len(expected) == 1 and not any(expected.values()):
            fitting = list(expected)   # an assignment without nbgrader cells: the one notebook is its notebook
        if len(fitting) == 1 and (f"{fitting[0]}.ipynb",) in upload.files:
            return _("several notebooks in the upload are {notebook}; keep only one",
                     notebook=f"{fitting[0]}.ipynb")
        if len(fitting) == 1:
            # The learner's browser or the learner renamed it ("Übung 1 (1).ipynb").
            upload.files[(f"{fitting[0]}.ipynb",)] = upload.files.pop((filename,))
            upload.notes.append((N_("renamed {old} to {new}"), {"old": filename, "new": f"{fitting[0]}.ipynb"}))
            continue
        other = other_assignment(course, found, assignment)
        if other:
            return _("{notebook} is the notebook of {other}, not of {assignment}",
                     notebook=filename, other=other, assignment=assignment)
        if not found:
            return _("{notebook} has none of the cells of {assignment} (a new notebook, not the one handed out?)",
                     notebook=filename, assignment=assignment)
        return _("{notebook} does not belong to {assignment}: its cells are another exercise's (expected {expected})",
                 notebook=filename, assignment=assignment, expected=", ".join(n + ".ipynb" for n in expected))
    missing = sorted(n for n in expected if (f"{n}.ipynb",) not in upload.files)
    if missing:
        upload.notes.append((N_("missing {notebooks} (scores 0)"),
                             {"notebooks": ", ".join(n + ".ipynb" for n in missing)}))
    return None


def upload_time(upload: Upload) -> datetime:
    """The newest file time in the zip (Moodle stores the upload time), in local time with its offset:
    zip times carry no zone, so the LMS and this computer are assumed to share one."""
    return (upload.submitted_at() or datetime.now()).astimezone()


def collected_time(folder: Path) -> datetime | None:
    try:
        return parse_utc((folder / "timestamp.txt").read_text(encoding="utf-8").strip()).replace(tzinfo=timezone.utc)
    except (OSError, ValueError):
        return None


def write_submission(course: Course, student: str, assignment: str, upload: Upload) -> None:
    target = course.folder("submitted", student, assignment)
    submitted = course.root / course.coursedir.submitted_directory
    submitted.mkdir(exist_ok=True)
    target.parent.mkdir(exist_ok=True)
    for folder in (submitted, target.parent):
        if not folder.resolve().is_relative_to(course.root):
            raise UserError(N_("{folder} leads outside the course (a symbolic link?); refusing to write there"),
                            folder=folder)
    exists = target.exists() or target.is_symlink()
    scratch = Path(tempfile.mkdtemp(prefix=".collect-", dir=submitted))
    try:
        fresh = scratch / "new"
        for relative, data in upload.files.items():
            path = fresh.joinpath(*relative)
            if not path.resolve().is_relative_to(fresh.resolve()):
                raise UserError(N_("{upload}: {path} would leave the submission folder"), upload=upload.key,
                                path="/".join(relative))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        (fresh / "timestamp.txt").write_text(upload_time(upload).isoformat(" ") + "\n", encoding="utf-8")
        if exists:
            target.rename(scratch / "old")  # the old one goes only once the new one is in place
        fresh.rename(target)
    finally:
        shutil.rmtree(scratch)


def assign_ids(course: Course, uploads: list[Upload]) -> tuple[dict[str, Upload], names.Registry]:
    """student id -> upload; plain folder ids first, so `alice-smith-2` keeps its own name."""
    full_names = [names.key(u.full_name) for u in uploads if u.full_name]
    twice = [u.full_name is not None and full_names.count(names.key(u.full_name)) > 1 for u in uploads]
    people = [names.person(u.full_name, u.key, u.participant, same) for u, same in zip(uploads, twice)]
    order = sorted(range(len(uploads)), key=lambda i: people[i].wanted != uploads[i].key)
    registry = names.Registry.load(course.root)
    ids = registry.assign([people[i] for i in order])
    for student, i in zip(ids, order):
        if student != people[i].wanted:
            uploads[i].notes.append((N_("{wanted} is someone else's id, so this is {id}"),
                                     {"wanted": people[i].wanted, "id": student}))
        if twice[i]:
            uploads[i].notes.append((N_("two uploads in the download have this name: check that they are two people"),
                                     {}))
    return {student: uploads[i] for student, i in zip(ids, order)}, registry


def record_names(course: Course, students: dict[str, Upload]) -> None:
    """First and last names into the gradebook, for export and formgrader."""
    if not course.has_gradebook():
        return
    with course.gradebook() as gb:
        for student, upload in students.items():
            if upload.full_name:
                first, last = names.split_name(upload.full_name)
                gb.update_or_create_student(student, first_name=first, last_name=last)


def mapping_csv(uploads: dict[str, Upload]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student_id", "full_name", "moodle_participant_id", "folder_in_zip", "submitted_at"])
    for student, upload in sorted(uploads.items()):
        writer.writerow([student, upload.full_name or "", upload.participant or "", upload.key,
                         upload_time(upload).isoformat(" ")])
    return buffer.getvalue()


def merge_mapping(path: Path, fresh: str) -> str:
    """This download's rows replace the same students' older rows; the others stay (an LMS download
    of only the resubmissions must not forget the first ones)."""
    rows = {}
    if path.is_file():
        with path.open(newline="", encoding="utf-8") as file:
            rows = {row["student_id"]: row for row in csv.DictReader(file)}
    rows.update({row["student_id"]: row for row in csv.DictReader(io.StringIO(fresh))})
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=next(csv.reader(io.StringIO(fresh))), lineterminator="\n",
                            extrasaction="ignore")
    writer.writeheader()
    writer.writerows(row for _, row in sorted(rows.items()))
    return buffer.getvalue()


def run(args) -> int:
    course = Course.open(args.course)
    if not args.zip.is_file():
        raise UserError(N_("{zip} does not exist or is not a file"), zip=args.zip)
    expected = released_ids(course, args.assignment)
    if not expected:
        raise UserError(N_("{assignment} has no notebooks in release/ or source/: is the name right, and was "
                           "the assignment generated?"), assignment=args.assignment)
    _ = translator(course.language(args.assignment))
    students, registry = assign_ids(course, read_uploads(args.zip, args.max_mb * 2**20))
    problems = {student: why for student, upload in students.items()
                if (why := check_notebooks(course, args.assignment, upload, expected, _))}
    usable = {student: upload for student, upload in students.items() if student not in problems}
    if not usable:
        details = "; ".join(f"{student}: {why}" for student, why in sorted(problems.items()))
        raise UserError(N_("{zip} holds no usable submission of {assignment} ({details})"),
                        zip=args.zip, assignment=args.assignment, details=details)
    registry.save()
    written, kept = [], []
    for student, upload in sorted(usable.items()):
        old = collected_time(course.folder("submitted", student, args.assignment))
        new = upload_time(upload)
        if old is not None and not args.force and new <= old:
            kept.append(student)
            continue
        write_submission(course, student, args.assignment, upload)
        if old is not None:
            upload.notes.append((N_("replaced the upload of {old}"),
                                 {"old": old.astimezone().strftime("%Y-%m-%d %H:%M")}))
        written.append(student)
    mapping = course.root / "autograder" / args.assignment / "collect.csv"
    write_atomically(mapping, merge_mapping(mapping, mapping_csv(students)))
    record_names(course, usable)
    summary(_, args.assignment, students, written, kept, problems)
    return 1 if problems else 0


def summary(_, assignment: str, students: dict, written: list, kept: list, problems: dict) -> None:
    print(_("Collected {count} submission(s) of {assignment} into submitted/<student>/{assignment}/",
            count=len(written), assignment=assignment))
    for student in written:
        upload = students[student]
        notes = ([upload.full_name] if upload.full_name else []) + [_(note, **values) for note, values in upload.notes]
        print(f"  {student}" + (f" ({'; '.join(notes)})" if notes else ""))
    if kept:
        print(_("Kept {count} collected submission(s): the upload is not newer (use --force to replace anyway): "
                "{students}", count=len(kept), students=", ".join(kept)))
    if problems:
        print(_("Set aside {count} upload(s); nothing of them was collected. Fix them in the LMS or by hand:",
                count=len(problems)))
        for student, why in sorted(problems.items()):
            print(f"  {student} ({students[student].key}): {why}")
