"""`autograder init-course`: a ready nbgrader course that plain nbgrader accepts, and no overwriting."""
import subprocess
import sys
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from coursebuild.notebooks import exercise_sources
from grading_helpers import nbgrader

AUTOGRADER = [sys.executable, "-m", "autograder"]


def init_course(path: Path, lang: str = "de") -> subprocess.CompletedProcess:
    return subprocess.run([*AUTOGRADER, "init-course", str(path), "--lang", lang], capture_output=True, text=True)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    path = tmp_path_factory.mktemp("trainer") / "kurs"
    result = init_course(path, "en")
    assert result.returncode == 0, result.stderr
    return path


def test_course_holds_every_exercise_with_its_data(course):
    names = sorted(p.parent.name for p in exercise_sources())
    assert sorted(p.name for p in (course / "source").iterdir()) == names
    for name in names:
        released = (course / "release" / name / f"{name}.ipynb").read_text(encoding="utf-8")
        assert "NotImplementedError" in released and "BEGIN SOLUTION" not in released
        assert 'LANG = \\"en\\"' in released
        assert list((course / "release" / name).glob("*.csv")), f"{name}: the data file is released with the notebook"
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        assert sorted(a.name for a in gb.assignments) == names


def test_plain_nbgrader_works_in_the_course(course):
    assert exercise_sources()[0].parent.name in nbgrader(course, "db", "assignment", "list")


def test_refuses_an_existing_course_and_a_non_empty_folder(course, tmp_path):
    before = sorted(p.relative_to(course) for p in course.rglob("*"))
    again = init_course(course)
    assert again.returncode == 2 and "already holds an nbgrader course" in again.stderr
    assert sorted(p.relative_to(course) for p in course.rglob("*")) == before

    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    busy = init_course(tmp_path)
    assert busy.returncode == 2 and "not empty" in busy.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]

    a_file = tmp_path / "notes.txt"
    assert "not a folder" in init_course(a_file).stderr
