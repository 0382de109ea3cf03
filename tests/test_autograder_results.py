"""`autograder feedback`, `export` and `report` on courses graded by real nbgrader (see
graded_courses.py): nothing hidden leaks into feedback, the pages speak the exercise's language
and are accessible and self-contained, and the export matches `nbgrader export`."""
import csv
import re

import pytest

from autograder.cli import main as autograder
from autograder.course.coursedir import Course

from graded_courses import ASSIGNMENT, NOTEBOOK, SECRETS, make_club101, make_german_course
from grading_helpers import nbgrader

pytestmark = pytest.mark.slow
STUDENTS = ["falsch_sichtbar", "falsch_versteckt", "leer", "richtig", "spion"]


@pytest.fixture(scope="module")
def kurs(tmp_path_factory):
    course = make_german_course(tmp_path_factory.mktemp("de"))
    assert autograder(["feedback", ASSIGNMENT, "--course", str(course)]) == 0
    return course


@pytest.fixture(scope="module")
def club101(tmp_path_factory):
    course = make_club101(tmp_path_factory.mktemp("c101"))
    assert autograder(["feedback", "ps1", "--course", str(course)]) == 0
    return course


def page(course, student, assignment=ASSIGNMENT, notebook=NOTEBOOK) -> str:
    return (course / "feedback" / student / assignment / f"{notebook}.html").read_text(encoding="utf-8")


def test_no_hidden_test_or_solution_reaches_any_feedback(kurs):
    pages = sorted((kurs / "feedback").rglob("*.html"))
    assert len(pages) == len(STUDENTS)
    for path in pages:
        html = path.read_text(encoding="utf-8")
        leaked = [secret for secret in SECRETS if secret in html]
        assert not leaked, f"{path.relative_to(kurs)} shows {leaked}"
    # The spy printed the whole source notebook; the lines of its hidden tests and solutions are gone.
    assert "[ausgeblendet]" in page(kurs, "spion")


def test_visible_failures_show_their_message_hidden_ones_only_that_they_failed(kurs):
    wrong = page(kurs, "falsch_sichtbar")
    assert "AssertionError: Die Antwort soll positiv sein." in wrong
    assert "AssertionError: verdoppeln(1) soll 2 ergeben." in wrong
    assert "Ein versteckter Test ist fehlgeschlagen" not in wrong
    hidden = page(kurs, "falsch_versteckt")
    assert hidden.count("Ein versteckter Test ist fehlgeschlagen") == 2
    assert "AssertionError:" not in hidden and "ValueError:" not in hidden
    empty = page(kurs, "leer")
    assert "NameError: name &#39;antwort&#39; is not defined" in empty
    assert "NotImplementedError" in empty


def test_feedback_shows_answers_scores_warnings_and_comments(kurs):
    right = page(kurs, "richtig")
    assert "Meine Antwort RICHTIG_TEXT" in right and "antwort = 42" in right
    assert "Gut gemacht COMMENT_owl" in right
    assert "VISIBLEOUT_robin" in right  # output of a test cell without hidden tests
    assert re.search(r"Gesamtpunktzahl</th><td class=\"number\">5,5 / 7<", right)
    wrong = page(kurs, "falsch_sichtbar")
    assert "STUDENTWARN_finch" in wrong and "kosten keine Punkte" in wrong
    assert "wird noch von deinen Lehrenden bewertet" in wrong
    # The learner's text is shown, never run.
    assert "<script>" not in wrong and "&lt;script&gt;" in wrong
    # run.json warnings of the grader appear, redacted like everything else.
    notes = page(kurs, "spion").split("Hinweise zur Bewertung")[1].split("<h2")[0]
    assert "a2 wrote to stderr: ConvergenceWarning" in notes and "[ausgeblendet]" in notes


def test_feedback_is_german_accessible_and_self_contained(kurs):
    html = page(kurs, "richtig")
    assert '<html lang="de">' in html
    assert "Rückmeldung" in html and ">bestanden<" in html and ">passed<" not in html
    assert "<h1>" in html and "<h2>" in html and '<th scope="col">' in html and "<caption>" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "no external resources"
    assert "<script" not in html


def test_feedback_sits_where_nbgrader_release_feedback_looks(kurs):
    folder = kurs / "feedback" / "richtig" / ASSIGNMENT
    assert sorted(p.name for p in folder.iterdir()) == [f"{NOTEBOOK}.html", "timestamp.txt"]


def test_feedback_for_named_students_and_clear_errors(kurs, capsys):
    target = kurs / "feedback" / "leer" / ASSIGNMENT / f"{NOTEBOOK}.html"
    target.unlink()
    assert autograder(["feedback", ASSIGNMENT, "--course", str(kurs), "--student", "leer"]) == 0
    assert target.is_file()
    assert autograder(["feedback", ASSIGNMENT, "--course", str(kurs), "--student", "kaputt"]) == 2
    assert autograder(["feedback", "no-such-assignment", "--course", str(kurs)]) == 2
    assert autograder(["feedback", ASSIGNMENT, "--course", str(kurs / "source")]) == 2
    errors = capsys.readouterr().err
    assert "kaputt" in errors and "no-such-assignment" in errors and "not an nbgrader course" in errors


def test_english_feedback_on_the_example_course(club101):
    html = page(club101, "ben", "ps1", "problem1")
    assert '<html lang="en">' in html and "Feedback" in html
    assert "still to be graded by your trainer" in html  # the written answer waits for a trainer
    assert "AssertionError: 20 + 5.5 euros make 25.5 euros" in html  # no hidden part: the failure is shown
    assert (club101 / "feedback" / "ann" / "ps1" / "problem2.html").is_file()


def test_language_comes_from_the_lang_line_or_the_course_id(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text('c.CourseDirectory.course_id = "verein-de"\n')
    (tmp_path / "source" / "a").mkdir(parents=True)
    course = Course.open(tmp_path)
    assert course.language("a") == "de"
    (tmp_path / "nbgrader_config.py").write_text('c.CourseDirectory.course_id = "club"\n')
    assert course.language("a") == "en"


def read_csv(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


@pytest.mark.parametrize("which", ["club101", "kurs"])
def test_export_has_nbgraders_rows_and_columns(which, request, tmp_path):
    course = request.getfixturevalue(which)
    nbgrader(course, "export", "--to", str(tmp_path / "nbgrader.csv"))
    assert autograder(["export", "--course", str(course), "--all", "--csv", str(tmp_path / "ours.csv")]) == 0
    theirs, ours = read_csv(tmp_path / "nbgrader.csv"), read_csv(tmp_path / "ours.csv")
    assert theirs and len(ours) == len(theirs)
    for their_row, our_row in zip(theirs, ours):
        assert {key: our_row[key] for key in their_row} == their_row
        assert set(our_row) - set(their_row) == {"needs_manual_grade", "grading_status"}


def test_export_of_one_assignment_and_unknown_names(kurs, tmp_path):
    out = tmp_path / "one.csv"
    assert autograder(["export", "--course", str(kurs), "--assignment", ASSIGNMENT, "--csv", str(out)]) == 0
    rows = read_csv(out)
    assert {r["assignment"] for r in rows} == {ASSIGNMENT}
    assert {r["student_id"]: r["grading_status"] for r in rows}["richtig"] == "graded"
    assert autograder(["export", "--course", str(kurs), "--assignment", "nope", "--csv", str(out)]) == 2


def test_report_for_the_trainer(kurs, tmp_path):
    out = tmp_path / "bericht.html"
    assert autograder(["report", ASSIGNMENT, "--course", str(kurs), "--html", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert '<html lang="de">' in html
    assert html.count('src="data:image/png;base64,') == 2 and html.count('alt="') >= 2
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    # Pass rates, named by the task headings: a2_visible (Aufgabe 2's second test) passed by 4 of 5;
    # a1_extra (Aufgabe 1's second test) by nobody (plain nbgrader counts its warning as failure).
    assert re.search(r"Aufgabe 2: Verdoppeln \(Test 2\)</th><td class=\"number\">4 / 5", html)
    hardest = html.split('id="hardest"')[1].split("<h2")[0]
    assert "Aufgabe 1: Die Antwort (Test 2)" in hardest and "Aufgabe 2: Verdoppeln (Test 2)" not in hardest
    problems = html.split('id="problems"')[1].split("<h2")[0]
    assert "kaputt" in problems and "Zeitlimit" in problems and "reads files outside its folder" in problems
    manual = html.split('id="manual"')[1].split("<h2")[0]
    assert all(s in manual for s in ("falsch_sichtbar", "falsch_versteckt", "spion"))
    assert "richtig" not in manual and "leer" not in manual  # graded by hand / nothing answered


def test_report_without_run_record_in_english(club101, tmp_path):
    out = tmp_path / "report.html"
    assert autograder(["report", "ps1", "--course", str(club101), "--html", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "There is no run.json" in html
    assert "why_it_matters" in html.split('id="manual"')[1]
