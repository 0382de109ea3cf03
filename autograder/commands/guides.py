"""`autograder guides ASSIGNMENT --html FILE`: a printable sheet of every marking guide of an
assignment, for the trainer grading by hand.

The guides are in the assignment's source notebook (source/<assignment>/<notebook>.ipynb). nbgrader
knows two kinds of items a trainer grades, and hand_graded() finds both for guides, mark and
formgrade:
- an answer (a cell with `grade: true, solution: true`) holds its model answer and marking guide as
  the cell's content; nbgrader replaces it with the answer stub in the student version. Its task is
  the markdown above it, back to the previous heading.
- a task (a markdown cell with `task: true`) is the task's own text; its guide sits between
  `### BEGIN MARK SCHEME` and `### END MARK SCHEME`, which nbgrader cuts from the student version.
  The learner answers in cells of their own (answer_cells).
Neither guide reaches learners."""
from pathlib import Path

import nbformat
from markdown_it import MarkdownIt
from markupsafe import Markup
from nbgrader import utils

from autograder.cli import UserError
from autograder.course.coursedir import Course, add_course_argument
from autograder.course.files import write_atomically
from autograder.i18n import N_, translator
from autograder.pages.hiding import split_mark_scheme
from autograder.pages.templating import points, render

MARKDOWN = MarkdownIt("commonmark", {"html": False})   # the trainer's own text, still without raw HTML
NAME = "guides"
HELP = "write a printable sheet of the marking guides of the answers graded by hand"


def add_arguments(parser) -> None:
    parser.add_argument("assignment", help="the assignment, e.g. 02-data-quality")
    add_course_argument(parser)
    parser.add_argument("--html", type=Path, required=True, metavar="FILE", help="the HTML file to write")


def is_heading(cell) -> bool:
    return cell.cell_type == "markdown" and cell.source.lstrip().startswith("#")


def is_hand_graded(cell) -> bool:
    return utils.is_task(cell) or (utils.is_grade(cell) and utils.is_solution(cell))


def is_answer(cell) -> bool:
    """A cell with the learner's work: an answer cell nbgrader does not grade itself, or a code cell
    the learner added (as the feedback page counts them)."""
    if utils.is_solution(cell):
        return not utils.is_grade(cell)
    return cell.cell_type == "code" and "nbgrader" not in cell.get("metadata", {})


def task_text(cells: list, index: int) -> str:
    """The markdown cells above cell `index`, from the nearest heading on."""
    above = []
    for cell in reversed(cells[:index]):
        if cell.cell_type != "markdown" or utils.is_grade(cell) or utils.is_task(cell):
            break
        above.insert(0, cell.source)
        if is_heading(cell):
            break
    return "\n\n".join(above)


def answer_cells(cells: list, index: int) -> list:
    """The learner's cells that the task cell at `index` grades. nbgrader ties a task to no cell: a
    task asks for work done *with* cells, and formgrader shows the whole notebook beside the task's
    score box. Here they are the answer cells after the task, up to the next heading or graded cell;
    where there are none, the task judges the work above it (as in our exercises, where it follows
    the answer and its tests): the answer cells back to the section's heading or the previous item."""
    after = []
    for cell in cells[index + 1:]:
        if is_heading(cell) or utils.is_grade(cell) or utils.is_task(cell):
            break
        after += [cell] if is_answer(cell) else []
    if after:
        return after
    before = []
    for cell in reversed(cells[:index]):
        if is_heading(cell) or is_hand_graded(cell):
            break
        before[:0] = [cell] if is_answer(cell) else []
    return before


def title(task: str, grade_id: str) -> str:
    heading = next((line.lstrip("#").strip() for line in task.splitlines() if line.startswith("#")), None)
    return heading or grade_id


def hand_graded(nb) -> list[dict]:
    """Every item of a notebook that a trainer grades by hand, in order: its task, its guide, its
    points and the cells with the learner's answer. Read from an autograded notebook, the answers
    are the learner's, and so is an answer cell's "guide": guides come from source/."""
    found = []
    for index, cell in enumerate(nb.cells):
        if utils.is_task(cell):
            task, guide = split_mark_scheme(cell.source)
            answers, code = answer_cells(nb.cells, index), False
        elif utils.is_grade(cell) and utils.is_solution(cell):
            task, guide, answers, code = task_text(nb.cells, index), cell.source, [cell], cell.cell_type == "code"
        else:
            continue
        grade_id = cell.metadata["nbgrader"]["grade_id"]
        found.append({"grade_id": grade_id, "title": title(task, grade_id), "task": task, "guide": guide,
                      "task_html": Markup(MARKDOWN.render(task)),
                      "guide_html": Markup(MARKDOWN.render(f"```\n{guide}\n```" if code else guide)),
                      "points": cell.metadata["nbgrader"].get("points", 0), "code": code, "answers": answers})
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
        sheets.append({"notebook": name, "cells": hand_graded(nb)})
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
