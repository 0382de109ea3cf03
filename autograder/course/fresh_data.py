"""`autograder grade ... --fresh-data [SEED]`: grades every submission against a new variant of
the assignment's datasets (same files, columns and story, other numbers), made by the course's
seeded generators in data/generators/. A copy of the assignment's source folder holds the variant,
so grading reads the data from there exactly as it reads the published files from source/: student
numbers typed in by hand no longer match, code that computes from the data still does. The seed
goes into the run record, so `--fresh-data SEED` regrades on the same variant."""
import secrets
import shutil
from dataclasses import replace
from pathlib import Path

from nbgrader.coursedir import CourseDirectory

from autograder.cli import UserError
from autograder.course.coursedir import Course
from autograder.i18n import N_

NEW = "new"


def add_argument(parser) -> None:
    parser.add_argument("--fresh-data", nargs="?", const=NEW, metavar="SEED",
                        help="grade against a new variant of the assignment's datasets (other numbers, same columns); "
                             "give the SEED of an earlier run (in its run record) to grade on the same variant again")


def seed_from(argument: str) -> int:
    """A new seed for `--fresh-data` alone, else the one given."""
    if argument == NEW:
        return secrets.randbelow(2**31 - 1) + 1
    try:
        seed = int(argument)
    except ValueError:
        raise UserError(N_("--fresh-data takes a whole number as its seed, not {argument!r}"), argument=argument) from None
    if seed < 0:
        raise UserError(N_("--fresh-data takes a seed of 0 or more"))
    return seed


def use_fresh_data(course: Course, assignment: str, seed: int, workspace: Path) -> Course:
    """The course as grading sees it, with its source/ folder of this assignment replaced by a copy
    in `workspace` whose data files are the variant for `seed`."""
    from coursebuild.datasets import write_all   # the generators are part of the course's repository

    source = course.folder("source", None, assignment)
    fresh_source = workspace / "fresh-data" / "source"
    target = Path(course.coursedir.format_path(str(fresh_source), ".", assignment))
    shutil.copytree(source, target, symlinks=False)
    variant = write_all(_folder(workspace / "fresh-data" / "generated"), seed)
    replaced = [name for name, path in variant.items() if (target / name).is_file()]
    if not replaced:
        raise UserError(N_("{assignment} has no data file that the course's generators write "
                           "({files}); --fresh-data can only vary those"), assignment=assignment,
                        files=", ".join(sorted(variant)))
    for name in replaced:
        shutil.copyfile(variant[name], target / name)
        (target / name).chmod(0o644)
    coursedir = CourseDirectory(config=course.config)
    coursedir.root = course.coursedir.root
    coursedir.source_directory = str(fresh_source)
    return replace(course, coursedir=coursedir)


def mark(entries: dict[str, dict], seed: int) -> dict[str, dict]:
    """Run-record entries that say which variant each student was graded on."""
    return {student: {**entry, "fresh_data_seed": seed} for student, entry in entries.items()}


def _folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
