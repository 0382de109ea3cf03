"""Every exercise, in both languages, under real nbgrader: the solution earns every autograded
point, the student version earns none, and the structure the course promises is there."""
import pytest
from nbgrader import utils
from nbgrader.api import Gradebook

from autograder.integrity import HIDDEN
from coursebuild import LANGUAGES
from coursebuild.course import notebook_file, run_nbgrader
from coursebuild.notebooks import exercise_sources, for_language, language_tags, read_source

from conftest import copy_submission, make_course

EXERCISES = exercise_sources()


def autograded_test_cells(nb):
    return [c for c in nb.cells if utils.is_grade(c) and not utils.is_solution(c)]


@pytest.mark.parametrize("source", EXERCISES, ids=[p.parent.name for p in EXERCISES])
def test_exercise_structure(source):
    nb = read_source(source)
    tests = autograded_test_cells(nb)
    assert len(tests) >= 4, f"at least 4 autograded test cells, found {len(tests)}"
    for cell in tests:
        grade_id = cell.metadata.nbgrader["grade_id"]
        assert HIDDEN.search(cell.source), f"{grade_id}: every test cell has hidden tests"
        visible = HIDDEN.sub("", cell.source)
        assert "assert" in visible, f"{grade_id}: every test cell has visible tests"
        assert "tr(" in visible, f"{grade_id}: visible tests explain failures in the learner's language with tr(de, en)"
    assert not [c for c in nb.cells if c.cell_type == "code" and language_tags(c)], "code is shared, not per language"
    for lang in LANGUAGES:
        cells = for_language(nb, lang).cells
        manual = [c for c in cells if utils.is_grade(c) and utils.is_solution(c)]
        assert len(manual) == 1 and manual[0].cell_type == "markdown", f"{lang}: one reflection question graded by a trainer"
        text = "\n".join(c.source for c in cells if c.cell_type == "markdown")
        assert "<details>" in text, f"{lang}: hints come as collapsible <details> blocks"


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("source", EXERCISES, ids=[p.parent.name for p in EXERCISES])
def test_solution_earns_all_points_and_release_earns_none(source, lang, tmp_path_factory, generated_data):
    name = source.parent.name
    course = make_course(tmp_path_factory, generated_data, lang, only=[name])
    root = course["root"]
    copy_submission(root, "solution", name, root / "source" / name / notebook_file(name))
    copy_submission(root, "release", name, root / "release" / name / notebook_file(name))
    for student in ("solution", "release"):
        for data in (root / "source" / name).glob("*.csv"):
            (root / "submitted" / student / name / data.name).write_bytes(data.read_bytes())
    run_nbgrader(["autograde", name, "--force"], root)   # raises with nbgrader's output on failure

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        solution = gb.find_submission_notebook(name, name, "solution")
        release = gb.find_submission_notebook(name, name, "release")
        auto_max = sum(g.max_score for g in solution.grades if g.auto_score is not None or g.cell_type == "code")
        failed = [g.name for g in solution.grades if g.cell_type == "code" and g.auto_score != g.max_score]
        assert not failed, f"[{course['lang']}] the solution loses points in {failed}"
        earned = [g.name for g in release.grades if g.cell_type == "code" and g.auto_score]
        assert not earned, f"[{course['lang']}] the empty student version earns points in {earned}"
        assert auto_max > 0
        print(f"{name} [{course['lang']}]: {solution.code_score}/{solution.max_code_score} autograded points")
