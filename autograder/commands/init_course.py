"""`autograder init-course DIR --lang de|en`: a ready nbgrader course with every exercise."""
import tempfile
from pathlib import Path

from coursebuild import LANGUAGES

from autograder.cli import UserError
from autograder.i18n import N_, translator

NAME = "init-course"
HELP = "create an nbgrader course directory with every exercise of the course in one language"


def add_arguments(parser) -> None:
    parser.add_argument("directory", type=Path, help="the new course folder (must not exist or be empty)")
    parser.add_argument("--lang", choices=LANGUAGES, required=True, help="language of the exercises")


def run(args) -> int:
    target = args.directory
    if target.exists() and not target.is_dir():
        raise UserError(N_("{folder} exists and is not a folder; choose a new folder for the course"), folder=target)
    if (target / "nbgrader_config.py").exists() or (target / "gradebook.db").exists():
        raise UserError(N_("{folder} already holds an nbgrader course; nothing was changed. Choose a new folder."),
                        folder=target)
    if target.exists() and any(target.iterdir()):
        raise UserError(N_("{folder} is not empty; nothing was changed. Choose a new or empty folder."), folder=target)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Built beside the target and moved in at the end, so a failure leaves no half-made course.
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=f".{target.name}-") as scratch:
        building = Path(scratch) / "course"
        # Imported here: pandas and the course build would slow every other autograder command's start.
        from coursebuild.course import build_course
        from coursebuild.datasets import write_all

        names = build_course(building, args.lang, write_all(Path(scratch) / "data"))
        if target.exists():
            target.rmdir()
        building.rename(target)
    _ = translator(args.lang)
    print(_("Created the course in {folder} ({lang}) with {count} assignments: {names}", folder=target, lang=args.lang,
            count=len(names), names=", ".join(names)))
    print(_("Next: collect the submissions, e.g. autograder collect <assignment> --zip FILE --course {folder}, then "
            "autograder grade <assignment> --course {folder}", folder=target))
    return 0
