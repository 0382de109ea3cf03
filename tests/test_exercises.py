"""Every exercise, in both languages, graded as nbgrader grades it: the solution earns every autograded
point on the published data and on a fresh variant, the student version earns none, the solution's
values typed in as constants earn none that depend on the data, every wrong answer of
tests/wrong_answers.py loses points, marking guides reach the trainer but never the learner, and
the structure the course promises is there."""
import re
import shutil
import time
from pathlib import Path

import nbformat
import pytest
from nbgrader import utils
from nbgrader.api import Gradebook

from autograder.judging.integrity import HIDDEN
from coursebuild import LANGUAGES
from coursebuild.course import notebook_file, run_nbgrader
from coursebuild.datasets import write_all
from coursebuild.notebooks import data_files, exercise_sources, for_language, language_tags, read_source

from conftest import make_course, shared_code
from exercise_variants import constants_answers, checks_by_answer, with_answers
from grading_helpers import grade, require_bwrap, run_record
from wrong_answers import DATA_FREE, WRONG_ANSWERS

EXERCISES = exercise_sources()
MARK_SCHEME = re.compile(r"### BEGIN MARK SCHEME\n.+?### END MARK SCHEME", re.S)
GUIDE_MARKERS = ("in der Fassung für Teilnehmende entfernt", "removed from the participants")   # in every guide


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
        for task in [c for c in cells if utils.is_task(c)]:
            grade_id = task.metadata.nbgrader["grade_id"]
            assert task.cell_type == "markdown" and task.metadata.nbgrader.get("points"), f"{grade_id}: a task with points"
            guide = MARK_SCHEME.search(task.source)
            assert guide and any(m in guide.group(0) for m in GUIDE_MARKERS), f"{lang}: {grade_id} has a marking guide"


FRESH_SEED = 4711   # any seed but the published ones gives a variant


@pytest.fixture(scope="session")
def fresh_data(tmp_path_factory) -> dict[str, Path]:
    return write_all(tmp_path_factory.mktemp("fresh"), seed=FRESH_SEED)


def submit_all(root, name: str, notebooks: dict[str, nbformat.NotebookNode], data: dict[str, Path]) -> None:
    for student, nb in notebooks.items():
        folder = root / "submitted" / student / name
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / notebook_file(name))
        for filename, path in data.items():
            shutil.copyfile(path, folder / filename)


def all_text(path: Path) -> str:
    return "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)


def code_scores(root, name: str) -> dict[str, dict[str, tuple[float, float]]]:
    """{student: {test grade_id: (auto score, max score)}} for the autograded cells."""
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        return {s.student.id: {g.name: (g.auto_score or 0, g.max_score) for nb in s.notebooks for g in nb.grades
                               if g.cell_type == "code"} for s in gb.assignment_submissions(name)}


def total_scores(root, name: str, lang: str) -> dict[str, tuple[float, float]]:
    """{student: (total score, the most the autograded cells give)} as the gradebook sums them."""
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", f"daten-ki-gemeinwohl-{lang}") as gb:
        return {s.student.id: (s.score, sum(g.max_score for nb in s.notebooks for g in nb.grades if g.auto_score is not None))
                for s in gb.assignment_submissions(name)}


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("source", EXERCISES, ids=[p.parent.name for p in EXERCISES])
def test_points_follow_the_work_on_published_and_fresh_data(source, lang, tmp_path_factory, generated_data, fresh_data,
                                                           released_courses):
    """Graded as nbgrader grades (`autograder grade`, whose scores are nbgrader's: test_grade_nbgrader.py),
    with the scores from the verdict run, so every exercise's tests are shown to work in a clean kernel:
    the solution earns every autograded point (and raises no integrity flag) on the published data and on a fresh variant, the
    student version none; the solution's values typed in as constants earn no point that depends on
    the data once the data is fresh; each wrong answer of the table loses points in the test cells
    of its answer. The wrong answers and the fresh data run in German only: the code and the tests
    are the same in both languages (test_the_languages_grade_the_same_code), only the messages differ,
    and the English solution and student version show those work in a clean kernel too.
    All of them are students of one grading run, each with its own data beside the notebook
    (nbgrader's Autograde.exclude_overwriting keeps the submitted data files)."""
    require_bwrap()
    started = time.monotonic()
    name = source.parent.name
    root = tmp_path_factory.mktemp(f"course-{lang}")
    shutil.copytree(released_courses[lang], root, dirs_exist_ok=True)
    files = {f: generated_data[f] for f in data_files(read_source(source))}
    with open(root / "nbgrader_config.py", "a") as config:
        config.write(f"c.Autograde.exclude_overwriting = {{{name!r}: {sorted(files)!r}}}\n")
    solution = nbformat.read(root / "source" / name / notebook_file(name), as_version=4)
    tests = checks_by_answer(solution)
    wrong = WRONG_ANSWERS.get(name, []) if lang == "de" else []
    published = {"solution": solution, "release": nbformat.read(root / "release" / name / notebook_file(name), as_version=4)}
    published.update({f"wrong-{n}": with_answers(solution, {answer: code}) for n, (answer, code) in enumerate(wrong)})
    submit_all(root, name, published, files)

    if lang == "de":
        constants = constants_answers(solution, files, tmp_path_factory.mktemp("constants"))
        fresh_files = {f: fresh_data[f] for f in files}
        assert all(fresh_files[f].read_bytes() != files[f].read_bytes() for f in files)
        submit_all(root, name, {"fresh-solution": solution, "fresh-constants": with_answers(solution, constants)}, fresh_files)
    graded = grade(root, name)
    assert graded.returncode == 0, graded.stdout + graded.stderr

    guides = [MARK_SCHEME.search(c.source).group(0) for c in solution.cells if utils.is_task(c)]
    assert "MARK SCHEME" not in all_text(root / "release" / name / notebook_file(name)), "a marking guide reached the student version"
    if guides:   # what formgrader shows the trainer: the guide next to the answers
        assert all(g in all_text(root / "autograded" / "solution" / name / notebook_file(name)) for g in guides), \
            "the marking guides are not in formgrader's view"
        run_nbgrader(["generate_feedback", name, "--force", "--student=solution"], root)
        feedback = "\n".join(p.read_text() for p in (root / "feedback" / "solution" / name).glob("*.html"))
        assert feedback and not any(marker in feedback for marker in GUIDE_MARKERS), "a marking guide reached the feedback"
    scores = code_scores(root, name)
    for student in ("solution", "fresh-solution") if lang == "de" else ("solution",):
        lost = [g for g, (score, top) in scores[student].items() if score != top]
        assert not lost, f"[{lang}] the solution loses points in {lost} ({student})"
    earned = [g for g, (score, _) in scores["release"].items() if score]
    assert not earned, f"[{lang}] the empty student version earns points in {earned}"
    record = run_record(root, name)["solution"]
    assert record["flags"] == [] and record["status"] == "graded", f"[{lang}] the solution: {record}"
    totals = total_scores(root, name, lang)
    assert totals["solution"][0] == totals["solution"][1] > 0 and totals["release"][0] == 0, f"[{lang}] {totals}"
    if lang == "de":
        data_free = DATA_FREE.get(name, set())
        copied = [g for g, (score, _) in scores["fresh-constants"].items() if score and g not in data_free]
        assert not copied, f"the published answers typed in as constants still earn points on fresh data in {copied}"
    passed, caught = [], set()
    for n, (answer, code) in enumerate(wrong):
        lost = {t for t in tests[answer] if scores[f"wrong-{n}"][t][0] < scores[f"wrong-{n}"][t][1]}
        caught |= lost
        if not lost:
            passed.append(f"{answer}: {code!r}")
    assert not passed, f"wrong answers that keep all their points: {passed}"
    if wrong:
        uncaught = {t for cells in tests.values() for t in cells} - caught
        assert not uncaught, f"test cells that no wrong answer of the table makes lose points: {uncaught}"
    if lang == "de" and name in WRONG_ANSWERS:
        assert {answer for answer, _ in WRONG_ANSWERS[name]} == {a for a, t in tests.items() if t}, \
            "every autograded answer cell needs a wrong answer"
    print(f"{name} [{lang}]: {len(scores)} submissions graded in {time.monotonic() - started:.0f} s")


@pytest.mark.parametrize("source", EXERCISES, ids=[p.parent.name for p in EXERCISES])
def test_the_languages_grade_the_same_code(source):
    """Why the fresh data and the wrong answers are graded in German only: the exercise's code
    cells, its tests included, are the same in both languages apart from `LANG`."""
    nb = read_source(source)
    assert shared_code(nb, "de") == shared_code(nb, "en")
