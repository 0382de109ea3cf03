"""`autograder guides ASSIGNMENT --html FILE`: a printable sheet of every marking guide of an
assignment, for the trainer grading by hand.

Where the guides are: in the assignment's source notebook (source/<assignment>/<notebook>.ipynb),
each answer that a trainer grades (an nbgrader cell with `grade: true, solution: true` that is
markdown, or code without tests) holds its model answer and marking guide as the cell's content;
nbgrader replaces it with the answer stub in the student version, so it never reaches learners.
The task is the markdown above it, back to the previous heading."""
from pathlib import Path

import nbformat
from markdown_it import MarkdownIt
from markupsafe import Markup
from nbgrader import utils

from .cli import UserError
from .coursedir import Course, add_course_argument
from .files import write_atomically
from .i18n import N_, translator
from .templating import points, render

MARKDOWN = MarkdownIt("commonmark", {"html": False})   # the trainer's own text, still without raw HTML
NAME = "guides"
HELP = "write a printable sheet of the marking guides of the answers graded by hand"


def add_arguments(parser) -> None:
    parser.add_argument("assignment", help="the assignment, e.g. 02-data-quality")
    add_course_argument(parser)
    parser.add_argument("--html", type=Path, required=True, metavar="FILE", help="the HTML file to write")


def task_text(cells: list, index: int) -> str:
    """The markdown cells above cell `index`, from the nearest heading on."""
    above = []
    for cell in reversed(cells[:index]):
        if cell.cell_type != "markdown" or cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
            break
        above.insert(0, cell.source)
        if cell.source.lstrip().startswith("#"):
            break
    return "\n\n".join(above)


def title(task: str, grade_id: str) -> str:
    heading = next((line.lstrip("#").strip() for line in task.splitlines() if line.startswith("#")), None)
    return heading or grade_id


def manual_cells(nb) -> list[dict]:
    """The answers nbgrader leaves to the trainer: cells that are both graded and a solution."""
    found = []
    for index, cell in enumerate(nb.cells):
        if utils.is_grade(cell) and utils.is_solution(cell):
            grade_id = cell.metadata["nbgrader"]["grade_id"]
            task = task_text(nb.cells, index)
            guide = f"```\n{cell.source}\n```" if cell.cell_type == "code" else cell.source
            found.append({"grade_id": grade_id, "title": title(task, grade_id), "task": task,
                          "guide": cell.source, "task_html": Markup(MARKDOWN.render(task)),
                          "guide_html": Markup(MARKDOWN.render(guide)), "points": cell.metadata["nbgrader"].get("points", 0),
                          "code": cell.cell_type == "code"})
    return found


def guides(course: Course, assignment: str) -> list[dict]:
    sheets = []
    for name in course.notebook_names(assignment):
        path = course.folder("source", None, assignment) / f"{name}.ipynb"
        try:
            nb = nbformat.read(path, as_version=4)
        except (OSError, ValueError) as error:
            raise UserError(N_("{path} cannot be read ({error}); the marking guides live in source/"), path=path,
                            error=error) from None
        sheets.append({"notebook": name, "cells": manual_cells(nb)})
    return sheets


def run(args) -> int:
    course = Course.open(args.course)
    lang = course.language(args.assignment)
    _ = translator(lang)
    sheets = guides(course, args.assignment)
    if not any(sheet["cells"] for sheet in sheets):
        raise UserError(N_("{assignment} has no answers graded by hand in source/"), assignment=args.assignment)
    labels = {"title": _("Marking guides"), "task": _("Task"), "guide": _("Model answer and marking guide"),
              "points": _("points"),
              "intro": _("For the answers a trainer grades by hand: the task as learners see it, and how to grade it.")}
    write_atomically(args.html, render("guides.html.j2", lang=lang, labels=labels, assignment=args.assignment,
                                       sheets=sheets, points=points))
    print(_("Wrote the marking guides of {assignment} to {file}", assignment=args.assignment, file=args.html))
    return 0
