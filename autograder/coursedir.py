"""Where things are in a standard nbgrader course directory, and what the course says about itself
(language, the last `autograder grade` run). Shared by feedback, export, report and collect."""
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .cli import UserError

LANG_LINE = re.compile(r"""^LANG\s*=\s*["'](de|en)["']\s*$""", re.M)
COURSE_ID = re.compile(r"""course_id\s*=\s*["']([^"']*)["']""")
DEFAULT_LANG = "en"


def add_course_argument(parser) -> None:
    parser.add_argument("--course", type=Path, default=Path("."),
                        help="the nbgrader course folder (default: the current folder)")


@dataclass(frozen=True)
class Course:
    root: Path

    @classmethod
    def open(cls, root: Path) -> "Course":
        root = root.resolve()
        if not (root / "nbgrader_config.py").is_file() and not (root / "gradebook.db").is_file():
            raise UserError(f"{root} is not an nbgrader course (no nbgrader_config.py and no gradebook.db); "
                            "pass the course folder with --course")
        return cls(root)

    def gradebook(self):
        """nbgrader's gradebook; refuses to create an empty one where grading has not happened yet."""
        path = self.root / "gradebook.db"
        if not path.is_file():
            raise UserError(f"{self.root} has no gradebook.db yet: grade the submissions first")
        # nbgrader runs `alembic` as a program from the interpreter's bin/.
        os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
        from nbgrader.api import Gradebook
        return Gradebook(f"sqlite:///{path}")

    def folder(self, kind: str, student: str | None, assignment: str) -> Path:
        """nbgrader's layout: source/<a>, release/<a>, submitted|autograded|feedback/<student>/<a>."""
        for name in (student, assignment):
            if name is not None and not is_plain_name(name):
                raise UserError(f"{name!r} cannot be a student or assignment name: it must be one plain folder name")
        if student is None:
            return self.root / kind / assignment
        return self.root / kind / student / assignment

    def notebook_names(self, assignment: str) -> list[str]:
        """The assignment's notebooks (without .ipynb), from release/ or else source/."""
        for kind in ("release", "source"):
            names = sorted(p.stem for p in self.folder(kind, None, assignment).glob("*.ipynb"))
            if names:
                return names
        return []

    def run_record(self, assignment: str) -> dict:
        """The students part of `autograder grade`'s run.json, or {} when grading was done otherwise."""
        path = self.root / "autograder" / assignment / "run.json"
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:
            raise UserError(f"{path} cannot be read ({error}); grade the assignment again") from error
        students = record.get("students") if isinstance(record, dict) else None
        return students if isinstance(students, dict) else {}

    def course_language(self) -> str | None:
        try:
            config = (self.root / "nbgrader_config.py").read_text(encoding="utf-8")
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
