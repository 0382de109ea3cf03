"""Graded nbgrader courses for the tests of `autograder feedback/export/report`, made with real
nbgrader: a copy of our club101 fixture course, and a German course from `autograder init-course` with
a small assignment whose hidden tests and solution carry distinctive strings (SECRETS) that no
feedback page may ever contain."""
import json
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from coursebuild.course import build_course
from grading_helpers import copy_club101, meta, nbgrader, submit

ASSIGNMENT = "leaktest"
NOTEBOOK = "leaktest"
SECRETS = ["HIDDENCODE_quokka", "HIDDENOUT_lynx", "HIDDENMSG_zebra", "HIDDENWARN_ibis", "HIDDENMSG_heron",
           "987123", "SOLUTION_marmot", "SOLUTION_pelican"]


def leaktest_notebook():
    """Source version: every question has visible tests with tr() messages and hidden tests."""
    cells = [
        new_markdown_cell("# Testübung"),
        new_code_cell('LANG = "de"\n\ndef tr(de, en):\n    return de if LANG == "de" else en',
                      metadata=meta("setup", locked=True)),
        new_markdown_cell("## Aufgabe 1: Die Antwort (2 Punkte)"),
        new_code_cell("### BEGIN SOLUTION\nantwort = 42  # SOLUTION_marmot\n### END SOLUTION",
                      metadata=meta("a1", solution=True)),
        new_code_cell('assert antwort > 0, tr("Die Antwort soll positiv sein.", "The answer should be positive.")\n'
                      "### BEGIN HIDDEN TESTS\n# HIDDENCODE_quokka\nprint(\"HIDDENOUT_lynx\")\n"
                      'assert antwort == 42, "HIDDENMSG_zebra"\n### END HIDDEN TESTS',
                      metadata=meta("a1_tests", grade=True, locked=True, points=1)),
        new_code_cell('assert antwort is not None, tr("Setze `antwort`.", "Set `antwort`.")\n'
                      "### BEGIN HIDDEN TESTS\nimport warnings\nwarnings.warn(\"HIDDENWARN_ibis\")\n### END HIDDEN TESTS",
                      metadata=meta("a1_extra", grade=True, locked=True, points=1)),
        new_markdown_cell("## Aufgabe 2: Verdoppeln (3 Punkte)"),
        new_code_cell("def verdoppeln(x):\n    ### BEGIN SOLUTION\n    return 2 * x  # SOLUTION_marmot2\n"
                      "    ### END SOLUTION", metadata=meta("a2", solution=True)),
        new_code_cell('assert verdoppeln(1) == 2, tr("verdoppeln(1) soll 2 ergeben.", "verdoppeln(1) should be 2.")\n'
                      "### BEGIN HIDDEN TESTS\nassert verdoppeln(987123) == 1974246, \"HIDDENMSG_heron\"\n"
                      "### END HIDDEN TESTS", metadata=meta("a2_tests", grade=True, locked=True, points=2)),
        new_code_cell('print("VISIBLEOUT_robin")\nassert verdoppeln(0) == 0, tr("verdoppeln(0) soll 0 ergeben.", "…")',
                      metadata=meta("a2_visible", grade=True, locked=True, points=1)),
        new_markdown_cell("## Aufgabe 3: Nachdenken (2 Punkte)\n\nWarum ist das wichtig?"),
        new_markdown_cell("SOLUTION_pelican: eine Musterantwort.", metadata=meta("a3", grade=True, solution=True, points=2)),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    return nb


SPY = """import json, pathlib
text = pathlib.Path("../../../source/leaktest/leaktest.ipynb").read_text()
print(text)
for cell in json.loads(text)["cells"]:
    print("".join(cell["source"]))"""

# What each student writes into the answer cells a1, a2 and a3.
ANSWERS = {
    "richtig": ("antwort = 42", "def verdoppeln(x):\n    return 2 * x", "Meine Antwort RICHTIG_TEXT"),
    "falsch_sichtbar": ('import warnings\nwarnings.warn("STUDENTWARN_finch")\nantwort = -1',
                        "def verdoppeln(x):\n    return 3 * x", "<script>alert('INJECTED')</script>"),
    "falsch_versteckt": ("antwort = 41", "def verdoppeln(x):\n    if x > 100:\n        raise ValueError(f'zu gross: {x}')\n"
                         "    return 2 * x", "Kurz."),
    "spion": (SPY + "\nantwort = 42", "def verdoppeln(x):\n    return 2 * x", "Nichts."),
}


def hand_in(course: Path, student: str, answers: tuple = ()) -> None:
    """The released notebook with these answers in a1, a2 and a3 (none: handed in unchanged)."""
    notebook = submit(course, ASSIGNMENT, student, NOTEBOOK, dict(zip(("a1", "a2", "a3"), answers)))
    (notebook.parent / "timestamp.txt").write_text("2026-03-01 10:00:00.000000 UTC")


RUN_RECORD = {"assignment": ASSIGNMENT, "students": {
    "richtig": {"status": "graded", "reason": None, "flags": [], "seconds": 1.5, "warnings": []},
    "spion": {"status": "graded", "reason": None, "flags": ["reads files outside its folder"], "seconds": 1.7,
              "warnings": ["a1_extra wrote to stderr: UserWarning: HIDDENWARN_ibis",
                           "a2 wrote to stderr: ConvergenceWarning"]},
    "kaputt": {"status": "timeout", "reason": "ran longer than 60 s", "flags": [], "seconds": 60.0, "warnings": []},
}}


def make_german_course(root: Path) -> Path:
    """A German course as `autograder init-course --lang de` writes it, but with only the leaktest
    assignment (the course's own exercises would take half a minute to set up), graded by plain nbgrader."""
    course = root / "kurs"
    build_course(course, "de", {}, only=[])
    source = course / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    source.parent.mkdir(parents=True)
    nbformat.write(leaktest_notebook(), source)
    nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    for student, answers in ANSWERS.items():
        hand_in(course, student, answers)
    hand_in(course, "leer")
    nbgrader(course, "autograde", ASSIGNMENT, "--force")
    record = course / "autograder" / ASSIGNMENT / "run.json"
    record.parent.mkdir(parents=True)
    record.write_text(json.dumps(RUN_RECORD))
    grade_reflection(course, "richtig", 1.5, "Gut gemacht COMMENT_owl")
    return course


def grade_reflection(course: Path, student: str, score: float, comment: str) -> None:
    """What a trainer does in formgrader for the reflection question."""
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        grade = gb.find_grade("a3", NOTEBOOK, ASSIGNMENT, student)
        grade.manual_score = score
        grade.needs_manual_grade = False
        gb.find_comment("a3", NOTEBOOK, ASSIGNMENT, student).manual_comment = comment
        gb.db.commit()


def make_club101(root: Path) -> Path:
    course = copy_club101(root / "club101")
    nbgrader(course, "autograde", "ps1", "--force")
    return course
