"""`autograder grade --fresh-data`: every submission is graded against a new variant of the
assignment's datasets; code that computes from the data keeps its points, numbers typed in from the
published data lose them; the seed in the run record regrades on the same variant; source/ keeps
the published data."""
import nbformat
import pytest
from nbgrader.api import Gradebook

from coursebuild.course import notebook_file
from coursebuild.datasets import write_all
from conftest import make_course as make_init_course
from exercise_variants import constants_answers, with_answers
from grading_helpers import fingerprint, grade, require_bwrap, run_record, submit

NAME = "01-reading-data"
NOTEBOOK = notebook_file(NAME)


@pytest.fixture(scope="module")
def course(tmp_path_factory, generated_data):
    require_bwrap()
    root = make_init_course(tmp_path_factory, generated_data, "de", only=[NAME])["root"]
    solution = nbformat.read(root / "source" / NAME / NOTEBOOK, as_version=4)
    constants = constants_answers(solution, {"foodbank.csv": generated_data["foodbank.csv"]},
                                  tmp_path_factory.mktemp("constants"))
    for student, nb in {"computed": solution, "typed": with_answers(solution, constants)}.items():
        path = tmp_path_factory.mktemp(student) / NOTEBOOK
        nbformat.write(nb, path)
        submit(root, NAME, student, NOTEBOOK.removesuffix(".ipynb"), notebook=path)
    return root


@pytest.mark.slow
def test_fresh_data_keeps_computed_points_and_takes_typed_ones(course, tmp_path):
    published = (course / "source" / NAME / "foodbank.csv").read_bytes()
    before = fingerprint(course / "source")
    on_published = grade(course, NAME)
    assert on_published.returncode == 0, on_published.stderr
    published_scores = scores_of(course)
    assert published_scores["typed"] == published_scores["computed"], "on the published data both look the same"

    fresh = grade(course, NAME, "--fresh-data", "4711")
    assert fresh.returncode == 0, fresh.stderr
    assert "Startwert 4711" in fresh.stdout and "--fresh-data 4711" in fresh.stdout, "the seed, in the course's language"
    on_fresh = scores_of(course)
    assert on_fresh["computed"] == published_scores["computed"], "computed answers keep every point"
    kept = {g: s for g, s in on_fresh["typed"].items() if s and g not in ("closed_tests", "top_site_tests")}
    assert not kept, f"numbers typed in from the published data still earn points: {kept}"
    record = run_record(course, NAME)
    assert {entry["fresh_data_seed"] for entry in record.values()} == {4711}
    graded_on = (course / "autograded" / "computed" / NAME / "foodbank.csv").read_bytes()
    assert graded_on == write_all(tmp_path, seed=4711)["foodbank.csv"].read_bytes() != published
    assert fingerprint(course / "source") == before, "source/ keeps the published data"

    again = grade(course, NAME, "--fresh-data", "4711")
    assert again.returncode == 0 and scores_of(course) == on_fresh, "the same seed grades the same"

    random_seed = grade(course, NAME, "--fresh-data", "--student", "computed")
    assert random_seed.returncode == 0, random_seed.stderr
    seed = run_record(course, NAME)["computed"]["fresh_data_seed"]
    assert isinstance(seed, int) and seed != 4711 and f"Startwert {seed}" in random_seed.stdout


def scores_of(course) -> dict:
    """{student: {test cell: auto score}}"""
    with Gradebook(f"sqlite:///{course}/gradebook.db", "daten-ki-gemeinwohl-de") as gb:
        return {s.student.id: {g.name: g.auto_score for nb in s.notebooks for g in nb.grades if g.cell_type == "code"}
                for s in gb.assignment_submissions(NAME)}


@pytest.mark.parametrize("seed, message", [("abc", "ganze Zahl"), ("-3", "0 oder mehr")])   # a German course
def test_a_bad_seed_gets_a_clear_message(course, seed, message):
    before = fingerprint(course)
    result = grade(course, NAME, f"--fresh-data={seed}")
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert fingerprint(course) == before
