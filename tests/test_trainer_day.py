"""A trainer's day, end to end, in both languages, with real nbgrader, the real sandbox and real
signals: a Moodle download with Latin, umlaut, Cyrillic, Arabic and Turkish names and a
resubmission; a foreign zip; grading interrupted with Ctrl-C (SIGINT) and resumed; a reflection
graded by hand that a regrade keeps; the marking-guide sheet; results back as a Moodle feedback zip
and grading worksheet, or one folder per learner; export and report that agree. And the tasks graded
by hand of a real exercise, from marking guide to feedback."""
import csv
import html
import io
import re
import signal
import subprocess
import sys
import time
import zipfile

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from nbgrader import utils
from nbgrader.api import Gradebook
from traitlets.config import Config

from autograder.cli import main as autograder
from autograder.commands.marking import Marking
from autograder.course.coursedir import Course
from autograder.formgrade import MarkingGuides
from coursebuild.course import nbgrader_env, notebook_file
from conftest import make_course as make_init_course
from grading_helpers import AUTOGRADER, answer, check_cell, grade, meta, nbgrader, require_bwrap, run_record, submit

ASSIGNMENT = "02-tafel"
WHEN, LATER = (2026, 3, 1, 23, 30, 0), (2026, 3, 2, 9, 15, 0)
# full name -> (Moodle participant number, answer, expected id). Cem's answer is slow, so that
# the Ctrl-C reaches a run with one submission graded and the others not.
PEOPLE = {
    "Ben Bauer": ("101", "summe = 6", "ben-bauer"),
    "Cem Yılmaz": ("102", "import time\ntime.sleep(10)\nsumme = 6", "cem-yilmaz"),
    "Jörg Müller": ("103", "summe = 5", "joerg-mueller"),
    "Олена Коваленко": ("104", "summe = 6", "olena-kovalenko"),
    "محمد العلي": ("105", "summe = 1 + 2 + 3", "mhmd-l-ly"),
}
TEXT = {
    "de": {"task": "## Aufgabe 1: Summe bilden (1 Punkt)", "reflection": "## Aufgabe 2: Nachdenken (2 Punkte)\n\n"
           "Warum zählen wir die Ausgaben?", "guide": "**Bewertungshinweis:** 1 Punkt für den Zweck, 1 Punkt für ein Beispiel.",
           "interrupted": "Unterbrochen: 1 von 5 Abgabe(n) bewertet und gespeichert, 4 nicht bewertet",
           "replaced": "ersetzt die Abgabe vom 2026-03-01 23:30", "foreign": "gehört nicht zu 02-tafel",
           "comment": "von 3 Punkten. Deine ausführliche Rückmeldung steht in der Datei",
           "anew": "deshalb werden ihre Antworten neu von Hand bewertet: ben-bauer"},
    "en": {"task": "## Task 1: Add up (1 point)", "reflection": "## Task 2: Reflection (2 points)\n\n"
           "Why do we count the expenses?", "guide": "**Marking guide:** 1 point for the purpose, 1 point for an example.",
           "interrupted": "Interrupted: 1 of 5 submission(s) graded and recorded, 4 not graded",
           "replaced": "replaced the upload of 2026-03-01 23:30", "foreign": "does not belong to 02-tafel",
           "comment": "of 3 points. Your detailed feedback is in the file",
           "anew": "so their answers are graded by hand anew: ben-bauer"},
}


def source_notebook(lang: str):
    text = TEXT[lang]
    cells = [
        new_code_cell(f'LANG = "{lang}"', metadata=meta("setup", locked=True)),
        new_markdown_cell(text["task"]),
        answer("a1", "summe = 1 + 2 + 3"),
        check_cell("a1_tests", "assert summe == 6"),
        new_markdown_cell(text["reflection"]),
        new_markdown_cell(text["guide"], metadata=meta("reflection", grade=True, solution=True, points=2)),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    return nb


def make_course(root, lang: str):
    (root / "source" / ASSIGNMENT).mkdir(parents=True)
    (root / "nbgrader_config.py").write_text(f"c = get_config()\nc.CourseDirectory.course_id = 'verein-{lang}'\n")
    nbformat.write(source_notebook(lang), root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    nbgrader(root, "generate_assignment", ASSIGNMENT, "--force")
    return root


def handed_in(course, code: str, reflection: str = "Weil es zählt.") -> bytes:
    nb = nbformat.read(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        cell.source = {"a1": code, "reflection": reflection}.get(grade_id, cell.source)
    return nbformat.writes(nb).encode()


def moodle_zip(path, entries: dict, when):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=when), data)
    return path


def run(*args) -> int:
    return autograder([*args])


def start_grading(course, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", AUTOGRADER, "grade", ASSIGNMENT, "--course", str(course),
                             "--workers", "1", *args], env=nbgrader_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def graded_in_gradebook(course, lang) -> dict:
    with Gradebook(f"sqlite:///{course}/gradebook.db", f"verein-{lang}") as gb:
        return {s.student.id: (s.score, s.needs_manual_grade, s.student.first_name, s.student.last_name)
                for s in gb.find_assignment(ASSIGNMENT).submissions}


def grade_reflections_by_hand(course, lang, students: list[str]) -> None:
    """What formgrader does when the trainer types a score."""
    with Gradebook(f"sqlite:///{course}/gradebook.db", f"verein-{lang}") as gb:
        for student in students:
            grade = gb.find_grade("reflection", ASSIGNMENT, ASSIGNMENT, student)
            grade.manual_score = 2
            grade.needs_manual_grade = False
        gb.db.commit()


def read_csv(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


@pytest.mark.sandbox
@pytest.mark.slow
@pytest.mark.parametrize("lang", ["de", "en"])
def test_a_trainers_day_from_moodle_and_back(lang, tmp_path, capsys):
    require_bwrap()
    text = TEXT[lang]
    course = make_course(tmp_path / "kurs mit leerzeichen", lang)

    # Collect: every name gets an id; a resubmission replaces only that learner's upload.
    first = moodle_zip(tmp_path / "moodle.zip", {
        f"{name}_{number}_assignsubmission_file_{ASSIGNMENT}.ipynb": handed_in(course, code)
        for name, (number, code, _) in PEOPLE.items()}, WHEN)
    assert run("collect", ASSIGNMENT, "--zip", str(first), "--course", str(course)) == 0
    again = moodle_zip(tmp_path / "nachgereicht.zip", {
        f"Jörg Müller_103_assignsubmission_file_{ASSIGNMENT}.ipynb": handed_in(course, "summe = 6")}, LATER)
    assert run("collect", ASSIGNMENT, "--zip", str(again), "--course", str(course)) == 0
    assert text["replaced"] in capsys.readouterr().out
    ids = sorted(p.name for p in (course / "submitted").iterdir())
    assert ids == sorted(student for _, _, student in PEOPLE.values())

    # A zip from elsewhere is refused by name and changes nothing.
    stray = new_notebook(cells=[new_markdown_cell("x", metadata=meta("other_q", grade=True, solution=True, points=1))])
    foreign = moodle_zip(tmp_path / "fremd.zip", {
        f"Ben Bauer_201_assignsubmission_file_{ASSIGNMENT}.ipynb": nbformat.writes(stray).encode()}, LATER)
    assert run("collect", ASSIGNMENT, "--zip", str(foreign), "--course", str(course)) == 2
    assert text["foreign"] in capsys.readouterr().err

    # Grade; Ctrl-C while the slow submission runs; then go on with the rest.
    process = start_grading(course)
    try:
        deadline = time.monotonic() + 240
        while not (course / "autograded" / "ben-bauer").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode == 130, stderr
    assert text["interrupted"] in stderr and "--only-ungraded" in stderr
    assert "Traceback" not in stderr
    assert set(run_record(course, ASSIGNMENT)) == set(graded_in_gradebook(course, lang)) == {"ben-bauer"}
    resumed = start_grading(course, "--only-ungraded")
    stdout, stderr = resumed.communicate(timeout=600)
    assert resumed.returncode == 0, stdout + stderr
    record = run_record(course, ASSIGNMENT)
    assert set(record) == set(ids) and all(entry["status"] == "graded" for entry in record.values())
    gradebook = graded_in_gradebook(course, lang)
    assert {student: score for student, (score, *_) in gradebook.items()} == \
        {"ben-bauer": 1, "cem-yilmaz": 1, "joerg-mueller": 1, "olena-kovalenko": 1, "mhmd-l-ly": 1}
    assert gradebook["olena-kovalenko"][2:] == ("Олена", "Коваленко")
    assert gradebook["cem-yilmaz"][2:] == ("Cem", "Yılmaz")

    # The trainer grades two reflections by hand; a regrade keeps them graded, and every view agrees.
    grade_reflections_by_hand(course, lang, ["ben-bauer", "cem-yilmaz"])
    regrade = subprocess.run([sys.executable, "-c", AUTOGRADER, "grade", ASSIGNMENT, "--course", str(course),
                              "--student", "ben-bauer", "cem-yilmaz"], env=nbgrader_env(), capture_output=True,
                             text=True)
    assert regrade.returncode == 0, regrade.stderr
    waiting = {s for s, (_, manual, *_) in graded_in_gradebook(course, lang).items() if manual}
    assert waiting == {"joerg-mueller", "olena-kovalenko", "mhmd-l-ly"}
    with Gradebook(f"sqlite:///{course}/gradebook.db", f"verein-{lang}") as gb:
        gb.add_assignment("03-noch-nicht")   # an exercise nobody has handed in yet
    assert run("export", "--course", str(course), "--all", "--csv", str(tmp_path / "alle.csv")) == 0
    assert {row["assignment"] for row in read_csv(tmp_path / "alle.csv")} == {ASSIGNMENT, "03-noch-nicht"}
    assert run("export", "--course", str(course), "--csv", str(tmp_path / "noten.csv")) == 0
    exported = {row["student_id"]: row for row in read_csv(tmp_path / "noten.csv")}
    assert len(exported) == len(read_csv(tmp_path / "noten.csv")) == 5
    assert {s for s, row in exported.items() if row["needs_manual_grade"] == "True"} == waiting
    assert exported["joerg-mueller"]["first_name"] == "Jörg" and exported["ben-bauer"]["score"] == "3.0"
    assert run("report", ASSIGNMENT, "--course", str(course), "--html", str(tmp_path / "bericht.html")) == 0
    report = (tmp_path / "bericht.html").read_text(encoding="utf-8")
    todo = report.split('id="manual"')[1].split("<h2")[0]
    assert {s for s in ids if s in todo} == waiting
    title = text["reflection"].splitlines()[0].lstrip("# ").split(" (")[0]
    assert title in todo, "the report names tasks by their titles"
    for student, row in exported.items():
        score = row["score"].removesuffix(".0")
        assert re.search(rf">{re.escape(student)}</th><td class=\"number\">{score} / 3<", report), student

    # The marking-guide sheet.
    assert run("guides", ASSIGNMENT, "--course", str(course), "--html", str(tmp_path / "guides.html")) == 0
    sheet = (tmp_path / "guides.html").read_text(encoding="utf-8")
    assert title in sheet and text["guide"].split("**")[2].strip() in sheet

    # Back to the learners: only complete results go back, in Moodle's own folder names.
    grade_reflections_by_hand(course, lang, waiting)
    assert run("feedback", ASSIGNMENT, "--course", str(course)) == 0
    moodle = tmp_path / "rueckgabe.zip"
    assert run("return", ASSIGNMENT, "--course", str(course), "--moodle-zip", str(moodle)) == 0
    with zipfile.ZipFile(moodle) as archive:
        entries = sorted(archive.namelist())
        page = archive.read(f"Олена Коваленко_104_assignsubmission_file_/{ASSIGNMENT}_Олена-Коваленко.html")
    assert entries == sorted(f"{name}_{number}_assignsubmission_file_/{ASSIGNMENT}_{name.replace(' ', '-')}.html"
                             for name, (number, _, _) in PEOPLE.items())
    assert f'<html lang="{lang}">' in page.decode()
    worksheet = read_csv(tmp_path / "rueckgabe.csv")
    assert [row["Identifier"] for row in worksheet] == [f"Participant {n}" for n in ("101", "102", "103", "105", "104")]
    assert {row["Full name"]: row["Grade"] for row in worksheet}["Jörg Müller"] == "3"
    assert all(text["comment"] in row["Feedback comments"] and row["Last modified (grade)"] for row in worksheet)
    assert run("return", ASSIGNMENT, "--course", str(course), "--folder", str(tmp_path / "ordner")) == 0
    assert (tmp_path / "ordner" / "ben-bauer" / f"{ASSIGNMENT}_Ben-Bauer.html").is_file()

    # Ben hands in again after everything was returned: only his submission is graded again, and
    # his reflection waits for the trainer anew, so he is not returned with an old hand grade.
    later = moodle_zip(tmp_path / "spaeter.zip", {
        f"Ben Bauer_101_assignsubmission_file_{ASSIGNMENT}.ipynb": handed_in(course, "summe = 7", "Neu.")},
        (2026, 3, 5, 8, 0, 0))
    assert run("collect", ASSIGNMENT, "--zip", str(later), "--course", str(course)) == 0
    before = run_record(course, ASSIGNMENT)
    regrade = start_grading(course, "--only-ungraded")
    stdout, stderr = regrade.communicate(timeout=600)
    assert regrade.returncode == 0, stdout + stderr
    after = run_record(course, ASSIGNMENT)
    assert {s for s in ids if after[s] != before[s]} == {"ben-bauer"}
    assert text["anew"] in stdout
    assert graded_in_gradebook(course, lang)["ben-bauer"][:2] == (0, True)
    capsys.readouterr()
    assert run("return", ASSIGNMENT, "--course", str(course), "--folder", str(tmp_path / "ordner2")) == 1
    assert "ben-bauer" in capsys.readouterr().out


@pytest.mark.sandbox
def test_grade_says_so_in_its_exit_status_when_nothing_could_be_graded(tmp_path):
    require_bwrap()
    course = make_course(tmp_path / "kurs", "en")
    folder = course / "submitted" / "ben-bauer" / ASSIGNMENT
    folder.mkdir(parents=True)
    (folder / f"{ASSIGNMENT}.ipynb").write_text("this is not a notebook")
    result = subprocess.run([sys.executable, "-c", AUTOGRADER, "grade", ASSIGNMENT, "--course", str(course)],
                            env=nbgrader_env(), capture_output=True, text=True)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "ben-bauer: failed" in result.stdout


TASKS = "09-transparency-and-participation"   # a real exercise with two tasks graded by hand
MARK_SCHEME = re.compile(r"BEGIN MARK SCHEME\n(.+?)### END MARK SCHEME", re.S)


@pytest.mark.sandbox
@pytest.mark.slow
def test_tasks_graded_by_hand_show_their_mark_scheme_to_trainers_only(tmp_path_factory, generated_data, tmp_path):
    """Task cells (`task: true`) keep their marking guide in a mark scheme region of the task's text:
    `guides` prints it, `mark` and formgrader show it beside the learner's cells, the points land on the
    task's grade, and the learner's feedback shows neither the scheme nor its headings."""
    require_bwrap()
    course = make_init_course(tmp_path_factory, generated_data, "de", only=[TASKS])["root"]
    name = notebook_file(TASKS).removesuffix(".ipynb")
    solution = nbformat.read(course / "source" / TASKS / notebook_file(TASKS), as_version=4)
    answers = {c.metadata.nbgrader["grade_id"]: "\n".join(line for line in c.source.splitlines() if "SOLUTION" not in line)
               for c in solution.cells if utils.is_solution(c) and not utils.is_grade(c)}
    answers["reflection"] = "Der Beirat entscheidet mit über Texte und Sprachen der Erinnerungen."
    submit(course, TASKS, "ada", name, answers)
    graded = grade(course, TASKS)
    assert graded.returncode == 0, graded.stderr
    schemes = {c.metadata.nbgrader["grade_id"]: c.source for c in solution.cells if utils.is_task(c)}
    assert set(schemes) == {"card_judgement", "hazards_judgement"}
    card_guide = "die nicht vorgesehene Nutzung schließt ausdrücklich aus, Termine zu verweigern"
    hazards_guide = "nennt eine passende Gegenmaßnahme"
    assert card_guide in schemes["card_judgement"] and hazards_guide in schemes["hazards_judgement"]

    assert run("guides", TASKS, "--course", str(course), "--html", str(tmp_path / "guides.html")) == 0
    sheet = (tmp_path / "guides.html").read_text(encoding="utf-8")
    sections = {part.split("<h2>")[1].split(" <span")[0]: part for part in sheet.split('<section class="guide">')[1:]}
    assert list(sections) == ["Aufgabe 3b: Nutzung und Risiken (2 Punkte, bewertet von deiner Trainerin oder deinem Trainer)",
                              "Aufgabe 4b: Die Begründungen (1 Punkt, bewertet von deiner Trainerin oder deinem Trainer)",
                              "Aufgabe 5: Nachdenken (2 Punkte, bewertet von deiner Trainerin oder deinem Trainer)"]
    card_task, card_sheet_guide = next(iter(sections.values())).split('class="marking-guide"')
    assert '<span class="points">(2 Punkte)</span>' in card_task and "Ob deine Model Card" in card_task
    assert card_guide in card_sheet_guide and card_guide not in card_task, "the task's mark scheme is its guide"
    assert hazards_guide in list(sections.values())[1].split('class="marking-guide"')[1]
    assert "MARK SCHEME" not in sheet

    marking = Marking(Course.open(course), TASKS)
    listed = {(i["cell"], i["max_score"]) for i in marking.items() if i["student"] == "ada" and i["open"]}
    assert listed == {("card_judgement", 2), ("hazards_judgement", 1), ("reflection", 2)}
    assert "Aufgabe 4b: Die Begründungen" in marking.index()
    page = marking.page("ada", name, "hazards_judgement")
    task, guide, answer = (page.split(f'id="{part}-heading"')[1].split("</section>")[0]
                           for part in ("task", "guide", "answer"))
    assert "Ob deine <strong>Begründungen</strong> etwas sagen" in task and "MARK SCHEME" not in task
    assert hazards_guide in guide
    assert "hazards = {" in answer and "Ranks Or Classifies People" in answer, "the learner's answer cells above the task"
    saved = marking.save({"token": marking.token, "student": "ada", "notebook": name, "cell": "card_judgement",
                          "score": "1,5", "comment": "Die Risiken bleiben allgemein."})
    assert saved == ("ada", name, "card_judgement")
    with Gradebook(f"sqlite:///{course}/gradebook.db") as gb:
        task_grade = gb.find_grade("card_judgement", name, TASKS, "ada")
        assert task_grade.manual_score == 1.5 and not task_grade.needs_manual_grade

    # Formgrader's view (the course's nbgrader_config.py): the guide below the task, without the raw region.
    config = Config()
    config.CourseDirectory.root = str(course)
    config.CourseDirectory.course_id = "daten-ki-gemeinwohl-de"
    autograded = nbformat.read(course / "autograded" / "ada" / TASKS / notebook_file(TASKS), as_version=4)
    assert "BEGIN MARK SCHEME" in "\n".join(c.source for c in autograded.cells), "nbgrader puts the task back whole"
    view, _ = MarkingGuides(config=config).preprocess(
        autograded, {"submission_id": "x", "assignment_id": TASKS, "notebook_id": name})
    at = next(i for i, c in enumerate(view.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == "card_judgement")
    assert "MARK SCHEME" not in view.cells[at].source and "Nutzung und Risiken" in view.cells[at].source
    assert "Bewertungshinweis (nur für Lehrende" in view.cells[at + 1].source
    assert card_guide in view.cells[at + 1].source.replace("\n> ", " ")

    assert run("feedback", TASKS, "--course", str(course)) == 0
    feedback = (course / "feedback" / "ada" / TASKS / notebook_file(TASKS).replace(".ipynb", ".html")).read_text()
    assert "Aufgabe 3b: Nutzung und Risiken" in feedback and "Die Risiken bleiben allgemein." in feedback
    fragments = [part.strip(" -:") for scheme in schemes.values()
                 for part in re.split(r"\*\*|\n", MARK_SCHEME.search(scheme).group(1))]
    assert not [part for part in fragments if len(part) > 20 and part in html.unescape(feedback)]
    assert "MARK SCHEME" not in feedback and "Bewertungshinweise" not in feedback
