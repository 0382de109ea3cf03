"""The standard nbgrader course folder, read the way nbgrader reads it (its nbgrader_config.py, its
folder layout, its gradebook), and what the course says about itself (its language), with clear
messages for a trainer's wrong input. Every command opens its course here; the record of
`autograder grade` runs (run.json) is runrecord.py's."""
import fnmatch
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from autograder.cli import UserError
from autograder.i18n import N_

CONFIG_FILE = "nbgrader_config.py"
LANG_LINE = re.compile(r"""^LANG\s*=\s*["'](de|en)["']\s*$""", re.M)
COURSE_ID = re.compile(r"""course_id\s*=\s*["']([^"']*)["']""")
DEFAULT_LANG = "en"


def add_course_argument(parser) -> None:
    parser.add_argument("--course", type=Path, default=Path("."),
                        help="the nbgrader course folder (default: the current folder)")


@dataclass
class Course:
    root: Path
    config: Config
    coursedir: CourseDirectory

    @classmethod
    def open(cls, path: Path) -> "Course":
        root = Path(path).resolve()
        if not root.is_dir():
            raise UserError(N_("the course folder {path} does not exist"), path=path)
        if (not (root / CONFIG_FILE).is_file() and not (root / "gradebook.db").is_file()
                and not (root / "submitted").is_dir()):
            raise UserError(N_("{path} is not an nbgrader course (no {config}, gradebook.db or submitted/); "
                               "pass the course folder with --course"), path=path, config=CONFIG_FILE)
        config = PyFileConfigLoader(CONFIG_FILE, path=str(root)).load_config() if (root / CONFIG_FILE).is_file() \
            else Config()
        coursedir = CourseDirectory(config=config)
        coursedir.root = str(root)   # the folder the trainer named, wherever the config says it was made
        return cls(root=root, config=config, coursedir=coursedir)

    @property
    def db_url(self) -> str:
        return self.coursedir.db_url

    @property
    def course_id(self) -> str:
        return self.coursedir.course_id

    def has_gradebook(self) -> bool:
        """False where nbgrader's gradebook would be a new, empty SQLite file."""
        prefix = "sqlite:///"
        return not self.db_url.startswith(prefix) or Path(self.db_url[len(prefix):]).is_file()

    def gradebook(self) -> Gradebook:
        """nbgrader's gradebook; refuses to create an empty one where grading has not happened yet."""
        if not self.has_gradebook():
            raise UserError(N_("{folder} has no gradebook.db yet: grade the submissions first"), folder=self.root)
        # nbgrader runs `alembic` as a program from the interpreter's bin/.
        os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
        return Gradebook(self.db_url, self.course_id)

    def folder(self, kind: str, student: str | None, assignment: str) -> Path:
        """kind is one of nbgrader's folders: source, release (student None), submitted, autograded,
        feedback; laid out as nbgrader's config says (by default <kind>/<student>/<assignment>)."""
        for name in (student, assignment):
            if name is not None and not is_plain_name(name):
                raise UserError(N_("{name!r} cannot be a student or assignment name: it must be one plain folder name"), name=name)
        directory = getattr(self.coursedir, f"{kind}_directory")
        return Path(self.coursedir.format_path(directory, "." if student is None else student, assignment))

    def notebook_names(self, assignment: str) -> list[str]:
        """The assignment's notebooks (without .ipynb), from release/ or else source/."""
        for kind in ("release", "source"):
            names = sorted(p.stem for p in self.folder(kind, None, assignment).glob("*.ipynb"))
            if names:
                return names
        return []

    def course_language(self) -> str | None:
        """The -de/-en of the course id, read from nbgrader_config.py each time it is asked."""
        try:
            config = (self.root / CONFIG_FILE).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        match = COURSE_ID.search(config)
        suffix = match.group(1).rsplit("-", 1)[-1] if match else ""
        return suffix if suffix in ("de", "en") else None

    def language(self, assignment: str, notebook: str | None = None) -> str:
        """The exercise's language: its `LANG = "de"` line, else the course id's -de/-en, else English."""
        names = [notebook] if notebook else self.notebook_names(assignment)
        for name in names:
            for kind in ("source", "release"):
                found = notebook_language(self.folder(kind, None, assignment) / f"{name}.ipynb")
                if found:
                    return found
        return self.course_language() or DEFAULT_LANG


def is_plain_name(name: str) -> bool:
    """One path component that stays where it is put (no separators, no '..', no hidden files)."""
    return bool(name) and name == name.strip() and not name.startswith(".") and not re.search(r"[/\\\0]", name)


def notebook_language(path: Path) -> str | None:
    try:
        nb = nbformat.read(path, as_version=4)
    except (OSError, ValueError):
        return None
    for cell in nb.cells:
        if cell.cell_type == "code":
            match = LANG_LINE.search(cell.source)
            if match:
                return match.group(1)
    return None


def assignment_notebooks(course: Course, assignment: str) -> list[str]:
    """The assignment's notebook names as the gradebook knows them (nbgrader grades only those)."""
    if not course.has_gradebook():
        raise UserError(N_("{folder} has no gradebook yet; run `nbgrader generate_assignment {assignment}` first"),
                        folder=course.root, assignment=assignment)
    with Gradebook(course.db_url, course.course_id) as gb:
        try:
            notebooks = [nb.name for nb in gb.find_assignment(assignment).notebooks]
        except MissingEntry:
            known = ", ".join(a.name for a in gb.assignments) or "–"
            raise UserError(N_("the gradebook has no assignment {assignment!r} (known: {known}); "
                               "check the name or run `nbgrader generate_assignment {assignment}`"),
                            assignment=assignment, known=known) from None
    if not notebooks:
        raise UserError(N_("assignment {assignment!r} has no notebooks in the gradebook; run "
                           "`nbgrader generate_assignment {assignment}` first"), assignment=assignment)
    return notebooks


def students(course: Course, assignment: str, wanted: list[str] | None) -> list[str]:
    submitted = course.root / course.coursedir.submitted_directory
    found = sorted(p.parent.name for p in submitted.glob(f"*/{assignment}") if p.is_dir()) if submitted.is_dir() else []
    if wanted:
        unknown = [s for s in wanted if s not in found]
        if unknown:
            raise UserError(N_("no submission of {assignment!r} from {students} in {folder}"), assignment=assignment,
                            students=", ".join(unknown), folder=submitted)
        return [s for s in found if s in wanted]
    if not found:
        raise UserError(N_("no submissions of {assignment!r} in {folder}/<student>/{assignment}/; "
                           "collect them first (e.g. autograder collect)"), assignment=assignment, folder=submitted)
    return found


def _ignored(relative: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatch(part, pattern) for part in Path(relative).parts for pattern in patterns)


def _files(folder: Path, patterns: list[str]) -> dict[str, Path]:
    """Regular files below `folder` by relative name. Symbolic links are skipped: copying one as
    root would hand its target (any file of the machine) to the sandbox."""
    found = {}
    for dirpath, _, filenames in os.walk(folder):
        for filename in filenames:
            path = Path(dirpath) / filename
            relative = str(path.relative_to(folder))
            if not path.is_symlink() and path.is_file() and not _ignored(relative, patterns):
                found[relative] = path
    return found


def submission_files(course: Course, assignment: str, student: str) -> dict[str, Path]:
    """What nbgrader puts beside the notebooks when it autogrades: the student's other files,
    overwritten by the assignment's own (data) files from source/."""
    ignore = list(course.coursedir.ignore) + ["*.ipynb"]
    files = _files(course.folder("submitted", student, assignment), ignore)
    keep = set(course.config.get("Autograde", {}).get("exclude_overwriting", {}).get(assignment, []))
    source = course.folder("source", None, assignment)
    files.update({name: path for name, path in _files(source, ignore).items() if name not in keep})
    return files


def source_code(course: Course, assignment: str) -> list[str]:
    """The code cells of the assignment's source notebooks (trusted: written by the trainer); the
    gradebook keeps only graded and locked cells, so read source/ where it is there."""
    sources = []
    with Gradebook(course.db_url, course.course_id) as gb:
        for notebook in gb.find_assignment(assignment).notebooks:
            path = course.folder("source", None, assignment) / f"{notebook.name}.ipynb"
            if path.exists():
                sources += [cell.source for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]
            else:
                sources += [cell.source for cell in notebook.source_cells if cell.cell_type == "code"]
    return sources
