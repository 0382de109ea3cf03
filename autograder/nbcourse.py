"""A standard nbgrader course folder, read the way nbgrader reads it (its config, its folder
layout, its gradebook), with clear messages for a trainer's wrong input."""
import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from .cli import UserError

CONFIG_FILE = "nbgrader_config.py"


@dataclass
class Course:
    root: Path
    config: Config
    coursedir: CourseDirectory

    @property
    def db_url(self) -> str:
        return self.coursedir.db_url

    @property
    def course_id(self) -> str:
        return self.coursedir.course_id

    def path(self, kind: str, student: str, assignment: str) -> Path:
        """kind is one of nbgrader's folders: source, release, submitted, autograded, feedback."""
        folder = getattr(self.coursedir, f"{kind}_directory")
        return Path(self.coursedir.format_path(folder, student or ".", assignment))


def open_course(path: Path) -> Course:
    root = Path(path).resolve()
    if not root.is_dir():
        raise UserError(f"the course folder {path} does not exist")
    if not (root / CONFIG_FILE).exists() and not (root / "gradebook.db").exists() and not (root / "submitted").is_dir():
        raise UserError(f"{path} is not an nbgrader course (no {CONFIG_FILE}, gradebook.db or submitted/); "
                        "pass the course folder with --course")
    config = PyFileConfigLoader(CONFIG_FILE, path=str(root)).load_config() if (root / CONFIG_FILE).exists() else Config()
    coursedir = CourseDirectory(config=config)
    coursedir.root = str(root)   # the folder the trainer named, wherever the config says it was made
    return Course(root=root, config=config, coursedir=coursedir)


def assignment_notebooks(course: Course, assignment: str) -> list[str]:
    """The assignment's notebook names as the gradebook knows them (nbgrader grades only those)."""
    if not (course.root / "gradebook.db").exists() and course.db_url.startswith("sqlite:///"):
        raise UserError(f"{course.root} has no gradebook yet; run `nbgrader generate_assignment {assignment}` first")
    with Gradebook(course.db_url, course.course_id) as gb:
        try:
            notebooks = [nb.name for nb in gb.find_assignment(assignment).notebooks]
        except MissingEntry:
            known = ", ".join(a.name for a in gb.assignments) or "none"
            raise UserError(f"the gradebook has no assignment {assignment!r} (known: {known}); "
                            f"check the name or run `nbgrader generate_assignment {assignment}`") from None
    if not notebooks:
        raise UserError(f"assignment {assignment!r} has no notebooks in the gradebook; run "
                        f"`nbgrader generate_assignment {assignment}` first")
    return notebooks


def students(course: Course, assignment: str, wanted: list[str] | None) -> list[str]:
    submitted = course.root / course.coursedir.submitted_directory
    found = sorted(p.parent.name for p in submitted.glob(f"*/{assignment}") if p.is_dir()) if submitted.is_dir() else []
    if wanted:
        unknown = [s for s in wanted if s not in found]
        if unknown:
            raise UserError(f"no submission of {assignment!r} from {', '.join(unknown)} in {submitted}")
        return [s for s in found if s in wanted]
    if not found:
        raise UserError(f"no submissions of {assignment!r} in {submitted}/<student>/{assignment}/; "
                        "collect them first (e.g. autograder collect)")
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
    files = _files(course.path("submitted", student, assignment), ignore)
    keep = set(course.config.get("Autograde", {}).get("exclude_overwriting", {}).get(assignment, []))
    source = course.path("source", "", assignment)
    files.update({name: path for name, path in _files(source, ignore).items() if name not in keep})
    return files


def source_code(course: Course, assignment: str) -> list[str]:
    """The code cells of the assignment's source notebooks (trusted: written by the trainer); the
    gradebook keeps only graded and locked cells, so read source/ where it is there."""
    sources = []
    with Gradebook(course.db_url, course.course_id) as gb:
        for notebook in gb.find_assignment(assignment).notebooks:
            path = course.path("source", "", assignment) / f"{notebook.name}.ipynb"
            if path.exists():
                sources += [cell.source for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]
            else:
                sources += [cell.source for cell in notebook.source_cells if cell.cell_type == "code"]
    return sources
