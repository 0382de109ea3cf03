import os
import shutil
import sys
from pathlib import Path

import pytest

from coursebuild import BUILD, LANGUAGES
from coursebuild.course import build_course
from coursebuild.datasets import write_all

# nbgrader runs `alembic` and Jupyter kernels from the interpreter's bin/.
os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")


@pytest.fixture(scope="session")
def generated_data(tmp_path_factory) -> dict[str, Path]:
    return write_all(tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="session")
def site() -> Path:
    """The site, built once per test run (a no-change rebuild is quick). Raises on any Sphinx warning."""
    from coursebuild.site import build_site

    build_site()
    return BUILD / "html"


def make_course(tmp_path_factory, generated_data, lang: str, only=None) -> dict:
    """A fresh nbgrader course, as `autograder init-course` makes it (optionally with some exercises only)."""
    root = tmp_path_factory.mktemp(f"course-{lang}")
    names = build_course(root, lang, generated_data, only)
    return {"root": root, "lang": lang, "assignments": names}


@pytest.fixture(scope="session")
def released_courses(tmp_path_factory, generated_data) -> dict[str, Path]:
    """Each language's course with every exercise, as `autograder init-course` makes it, released once
    (one nbgrader run for all exercises). Read it, or work in a copy: other tests share it."""
    return {lang: make_course(tmp_path_factory, generated_data, lang)["root"] for lang in LANGUAGES}


def copy_submission(course_root: Path, student: str, assignment: str, notebook: Path) -> None:
    folder = course_root / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(notebook, folder / notebook.name)


def shared_code(nb, lang: str) -> list[str]:
    """The code cells of the notebook in this language, written as the English ones would be: `LANG`
    set to "en" and without German's decimal-comma cell. Equal in both languages when the code is."""
    from coursebuild.notebooks import for_language

    return [c.source.replace(f'LANG = "{lang}"', 'LANG = "en"') for c in for_language(nb, lang).cells
            if c.cell_type == "code" and c.id != "decimal-comma"]
