"""On a German course, everything a trainer or learner reads is German: the terminal of `grade`,
`feedback`, `report`, `export` and `return`, the feedback pages and the report, for a graded, a
failing and a timed-out submission graded in the real sandbox. Every English message of the
catalogue (CLI messages, page texts, reasons) is looked for in what they see."""
import html
import json
import re
import subprocess
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from nbgrader.api import Gradebook

from autograder.i18n import catalogue
from autograder.reasons import REASONS, translate
from coursebuild.course import nbgrader_env
from grading_helpers import AUTOGRADER, answer, meta, nbgrader, require_bwrap, submit

ASSIGNMENT = "03-kasse"
ANSWERS = {
    "gut": "summe = 6",
    "falsch": "summe = 5",
    "endlos": "while True:\n    pass",
}
# Placeholders and the words shared by both languages are no sign of English.
PLACEHOLDER = re.compile(r"\{\w*(?:![rs])?\}")


def source_notebook():
    cells = [
        new_code_cell('LANG = "de"\n\ndef tr(de, en):\n    return de if LANG == "de" else en',
                      metadata=meta("setup", locked=True)),
        new_markdown_cell("## Aufgabe 1: Summe bilden (1 Punkt)"),
        answer("a1", "summe = 1 + 2 + 3"),
        new_code_cell('assert summe == 6, tr("Die Summe soll 6 sein.", "The sum should be 6.")\n'
                      "### BEGIN HIDDEN TESTS\nassert summe + 1 == 7\n### END HIDDEN TESTS",
                      metadata=meta("a1_tests", grade=True, locked=True, points=1)),
        new_markdown_cell("## Aufgabe 2: Nachdenken (2 Punkte)\n\nWarum zählen wir die Ausgaben?"),
        new_markdown_cell("**Bewertungshinweis:** 1 Punkt für den Zweck, 1 Punkt für ein Beispiel.",
                          metadata=meta("reflection", grade=True, solution=True, points=2)),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    return nb


def english_fragments() -> list[str]:
    """The English text of every message that has a German translation, cut at its placeholders:
    each piece of three words or more must not reach a German reader."""
    fragments = set()
    for key, german in catalogue("de").items():
        english = key.split("\x04")[-1]
        if english == german:
            continue
        for piece in PLACEHOLDER.split(english):
            piece = piece.strip(" .,;:()'\"`\n")
            if len(piece.split()) >= 3:
                fragments.add(piece)
    return sorted(fragments)


def visible_text(page: str) -> str:
    """What a browser shows of a page (and its alt texts), without the markup."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    alts = " ".join(re.findall(r'\b(?:alt|aria-label|title)="([^"]*)"', page))
    return html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + alts)


def autograder(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", AUTOGRADER, *args], env=nbgrader_env(), capture_output=True,
                          text=True)


def test_the_catalogue_covers_the_reasons_and_a_german_reason_reads_german():
    assert set(REASONS.values()) <= set(catalogue("de"))
    text = ("not run: cell 4 (a1_tests) ran longer than 3 s and was interrupted; "
            "grader error: GraderError: the kernel's warm-up failed: boom; every test scores 0 until it is graded again")
    assert translate(text, "de") == (
        "nicht ausgeführt: Zelle 4 (a1_tests) lief länger als 3 s und wurde unterbrochen; Fehler beim Bewerten: "
        "GraderError: das Vorbereiten des Kernels schlug fehl: boom; jeder Test hat 0 Punkte, bis die Abgabe "
        "erneut bewertet wird")
    assert translate(text, "en") == text
    assert translate("ZeroDivisionError: division by zero", "de") == "ZeroDivisionError: division by zero"


@pytest.mark.sandbox
@pytest.mark.slow
def test_a_german_course_shows_no_english_sentence(tmp_path):
    require_bwrap()
    course = tmp_path / "kurs"
    (course / "source" / ASSIGNMENT).mkdir(parents=True)
    (course / "nbgrader_config.py").write_text("c = get_config()\nc.CourseDirectory.course_id = 'verein-de'\n")
    nbformat.write(source_notebook(), course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    for student, code in ANSWERS.items():
        notebook = submit(course, ASSIGNMENT, student, ASSIGNMENT, {"a1": code, "reflection": "Weil es zählt."})
        (notebook.parent / "timestamp.txt").write_text("2026-03-01 10:00:00.000000 UTC")

    seen = {}
    graded = autograder("grade", ASSIGNMENT, "--course", str(course), "--workers", "2", "--timeout", "3")
    assert graded.returncode == 0, graded.stdout + graded.stderr
    record = json.loads((course / "autograder" / ASSIGNMENT / "run.json").read_text())["students"]
    assert {s: e["status"] for s, e in record.items()} == {"gut": "graded", "falsch": "graded", "endlos": "timeout"}
    seen["grade"] = graded.stdout + graded.stderr
    with Gradebook(f"sqlite:///{course}/gradebook.db", "verein-de") as gb:   # as formgrader or `mark` does
        for student in ANSWERS:
            grade = gb.find_grade("reflection", ASSIGNMENT, ASSIGNMENT, student)
            grade.manual_score, grade.needs_manual_grade = 1, False
        gb.db.commit()
    for command in (["feedback", ASSIGNMENT], ["report", ASSIGNMENT, "--html", str(tmp_path / "bericht.html")],
                    ["export", "--csv", str(tmp_path / "noten.csv")],
                    ["return", ASSIGNMENT, "--folder", str(tmp_path / "zurueck")]):
        result = autograder(*command, "--course", str(course))
        assert result.returncode == 0, result.stdout + result.stderr
        seen[command[0]] = result.stdout + result.stderr
    seen["report page"] = visible_text((tmp_path / "bericht.html").read_text(encoding="utf-8"))
    for student in ANSWERS:
        page = course / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html"
        seen[f"feedback of {student}"] = visible_text(page.read_text(encoding="utf-8"))

    seen = {where: " ".join(text.split()) for where, text in seen.items()}   # as the terminal wraps it
    # The timed-out learner and the trainer read why, in German.
    timed_out = "03-kasse: Zelle 2 (a1) lief länger als 3 s und wurde unterbrochen"
    assert timed_out in seen["feedback of endlos"], seen["feedback of endlos"]
    assert timed_out in seen["report page"] and timed_out in seen["grade"], seen["grade"]
    assert "Die Summe soll 6 sein." in seen["feedback of falsch"]
    fragments = english_fragments()
    assert len(fragments) > 100
    found = {where: [f for f in fragments if f in text] for where, text in seen.items()}
    assert {where: hits for where, hits in found.items() if hits} == {}


def test_formgrader_shows_the_graders_verdicts_in_the_course_language(tmp_path):
    from traitlets.config import Config

    from autograder.formgrade import MarkingGuides

    source = tmp_path / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    source.parent.mkdir(parents=True)
    nbformat.write(source_notebook(), source)
    graded = source_notebook()
    graded.cells[3].outputs = [nbformat.v4.new_output(
        "error", ename="NotExecuted", evalue="not run: cell 2 (a1) ran longer than 3 s and was interrupted",
        traceback=["NotExecuted: not run: cell 2 (a1) ran longer than 3 s and was interrupted"])]
    config = Config()
    config.CourseDirectory.root = str(tmp_path)
    config.CourseDirectory.course_id = "verein-de"
    view, _ = MarkingGuides(config=config).preprocess(
        graded, {"submission_id": "x", "assignment_id": ASSIGNMENT, "notebook_id": ASSIGNMENT})
    error = view.cells[3].outputs[0]
    assert error.evalue == "nicht ausgeführt: Zelle 2 (a1) lief länger als 3 s und wurde unterbrochen"
    assert error.traceback == [f"NotExecuted: {error.evalue}"]
    assert any("1 Punkt für den Zweck" in cell.source and "nur für Lehrende" in cell.source for cell in view.cells)
