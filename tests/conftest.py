import os
import shutil
import sys
from pathlib import Path

import pytest

from coursebuild import LANGUAGES, REPO
from coursebuild.course import build_course
from coursebuild.datasets import write_all

# nbgrader runs `alembic` and Jupyter kernels from the interpreter's bin/.
os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")

SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def generated_data(tmp_path_factory) -> dict[str, Path]:
    return write_all(tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="session", params=LANGUAGES)
def course(request, tmp_path_factory, generated_data):
    """A fresh nbgrader course with every exercise, as `autograder init-course` makes it."""
    root = tmp_path_factory.mktemp(f"course-{request.param}")
    names = build_course(root, request.param, generated_data)
    return {"root": root, "lang": request.param, "assignments": names}


def copy_submission(course_root: Path, student: str, assignment: str, notebook: Path) -> None:
    folder = course_root / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(notebook, folder / notebook.name)
