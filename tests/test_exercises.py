"""Every exercise, in both languages, under real nbgrader: the solution earns every autograded
point, the student version earns none, and the structure the course promises is there."""
import re
import subprocess
import sys

import nbformat
import pytest
from nbgrader.api import Gradebook

from coursebuild import LANGUAGES
from coursebuild.course import NOTEBOOK, nbgrader_env
from coursebuild.notebooks import exercise_sources, for_language, language_tags, read_source

from conftest import copy_submission, make_course

EXERCISES = exercise_sources()
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS", re.S)


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def autograded_test_cells(nb):
    return [c for c in nb.cells if nbgrader_meta(c).get("grade") and not nbgrader_meta(c).get("solution")]


@pytest.mark.parametrize("source", EXERCISES, ids=[p.parent.name for p in EXERCISES])
def test_exercise_structure(source):
    nb = read_source(source)
    tests = autograded_test_cells(nb)
    assert len(tests) >= 4, f"at least 4 autograded test cells, found {len(tests)}"
    for cell in tests:
        grade_id = nbgrader_meta(cell)["grade_id"]
        assert HIDDEN.search(cell.source), f"{grade_id}: every test cell has hidden tests"
        visible = HIDDEN.sub("", cell.source)
        assert "assert" in visible, f"{grade_id}: every test cell has visible tests"
        assert "tr(" in visible, f"{grade_id}: visible tests explain failures in the learner's language with tr(de, en)"
    assert not [c for c in nb.cells if c.cell_type == "code" and language_tags(c)], "code is shared, not per language"
    for lang in LANGUAGES:
        cells = for_language(nb, lang).cells
        manual = [c for c in cells if nbgrader_meta(c).get("grade") and nbgrader_meta(c).get("solution")]
        assert len(manual) == 1 and manual[0].cell_type == "markdown", f"{lang}: one reflection question graded by a trainer"
        text = "\n".join(c.source for c in cells if c.cell_type == "markdown")
        assert "<details>" in text, f"{lang}: hints come as collapsible <details> blocks"


def autograde(course, assignment: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "nbgrader", "autograde", assignment, "--force"],
        cwd=course["root"], env=nbgrader_env(), capture_output=True, text=True,
    )


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("source", EXERCISES, ids=[p.parent.name for p in EXERCISES])
def test_solution_earns_all_points_and_release_earns_none(source, lang, tmp_path_factory, generated_data):
    name = source.parent.name
    course = make_course(tmp_path_factory, generated_data, lang, only=[name])
    root = course["root"]
    copy_submission(root, "solution", name, root / "source" / name / NOTEBOOK)
    copy_submission(root, "release", name, root / "release" / name / NOTEBOOK)
    for student in ("solution", "release"):
        for data in (root / "source" / name).glob("*.csv"):
            (root / "submitted" / student / name / data.name).write_bytes(data.read_bytes())
    result = autograde(course, name)
    assert result.returncode == 0, result.stderr[-3000:]

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        solution = gb.find_submission_notebook("exercise", name, "solution")
        release = gb.find_submission_notebook("exercise", name, "release")
        auto_max = sum(g.max_score for g in solution.grades if g.auto_score is not None or g.cell_type == "code")
        failed = [g.name for g in solution.grades if g.cell_type == "code" and g.auto_score != g.max_score]
        assert not failed, f"[{course['lang']}] the solution loses points in {failed}"
        earned = [g.name for g in release.grades if g.cell_type == "code" and g.auto_score]
        assert not earned, f"[{course['lang']}] the empty student version earns points in {earned}"
        assert auto_max > 0
        print(f"{name} [{course['lang']}]: {solution.code_score}/{solution.max_code_score} autograded points")
