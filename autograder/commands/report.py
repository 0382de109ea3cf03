"""`autograder report ASSIGNMENT --html FILE`: one self-contained page for the trainer: score
distribution, pass rate per autograded test, the tests most learners failed, what `autograder
grade` could not grade or found suspicious, and what still needs grading by hand."""
import math
import re
import statistics
from pathlib import Path

import nbformat
from nbgrader import utils

from autograder.cli import UserError
from autograder.course import runrecord
from autograder.course.coursedir import Course, add_course_argument
from autograder.course.files import write_atomically
from autograder.i18n import N_, translator
from autograder.pages.templating import points, render
from autograder.pages.texts import texts
from autograder.reasons import translate

NAME = "report"
HELP = "write an HTML report for the trainer: score distribution, pass rates, problems, manual grading to do"
MAX_BINS = 10


def add_arguments(parser) -> None:
    parser.add_argument("assignment", help="the assignment, e.g. 01-reading-data")
    add_course_argument(parser)
    parser.add_argument("--html", type=Path, required=True, metavar="FILE", help="the HTML file to write")


def percent(part: float, whole: float) -> int:
    """Whole percent, halves rounded up everywhere (Python's round() would make 62.5 -> 62, 87.5 -> 88)."""
    return math.floor(100 * part / whole + 0.5) if whole else 0


def score_bins(scores: list[float], max_score: float, lang: str) -> list[dict]:
    """Whole-number ranges when every score is whole ("0", "1", ... or "0–2", "3–5", ...), else equal
    ranges over 0..max; the last range includes max."""
    if float(max_score).is_integer() and all(float(s).is_integer() for s in scores):
        top = int(max_score)
        width = max(1, math.ceil((top + 1) / (MAX_BINS + 1)))
        bins = [{"label": str(start) if width == 1 or start == min(top, start + width - 1)
                 else f"{start}–{min(top, start + width - 1)}", "count": 0} for start in range(0, top + 1, width)]
        for score in scores:
            bins[min(len(bins) - 1, int(score) // width)]["count"] += 1
        return bins
    count = max(1, min(MAX_BINS, math.ceil(max_score)))
    width = (max_score or 1) / count
    bins = [{"label": f"{points(i * width, lang)}–{points((i + 1) * width, lang)}", "count": 0} for i in range(count)]
    for score in scores:
        bins[min(count - 1, int(score / width))]["count"] += 1
    return bins


def auto_cells(assignment) -> list[tuple[str, str]]:
    """(notebook, cell) of every autograded test: code grade cells that are not answers graded by hand."""
    cells = []
    for notebook in assignment.notebooks:
        answers = {cell.name for cell in notebook.solution_cells}
        cells += [(notebook.name, c.name) for c in notebook.grade_cells if c.cell_type == "code" and c.name not in answers]
    return cells


def cell_titles(course: Course, name: str) -> dict[tuple[str, str], str]:
    """(notebook, grade id) -> the task's heading in the source notebook ("Aufgabe 5b: Stunden bereinigen"),
    with "(Test 2)" where a task has several test cells; grade ids where the source has no headings."""
    titles = {}
    for notebook in course.notebook_names(name):
        try:
            nb = nbformat.read(course.folder("source", None, name) / f"{notebook}.ipynb", as_version=4)
        except (OSError, ValueError):
            continue
        heading, tests = None, []
        for cell in nb.cells:
            lines = cell.source.splitlines() if cell.cell_type == "markdown" else []
            first = next((line for line in lines if line.startswith("#")), "")
            if first and not utils.is_grade(cell):
                # "## Aufgabe 6: Nachdenken (2 Punkte, ...)" -> "Aufgabe 6: Nachdenken"
                heading, tests = re.sub(r"\s*\([^)]*\)\s*$", "", first.lstrip("#").strip()), []
            if not (utils.is_grade(cell) and heading):
                continue
            grade_id = cell.metadata["nbgrader"]["grade_id"]
            if utils.is_solution(cell):
                titles[notebook, grade_id] = heading
                continue
            tests.append(grade_id)
            for number, test in enumerate(tests, 1):
                titles[notebook, test] = heading if len(tests) == 1 else f"{heading} (Test {number})"
    return titles


def question_rates(assignment, submissions, titles: dict) -> list[dict]:
    several = len(assignment.notebooks) > 1
    results = {key: [] for key in auto_cells(assignment)}
    for submission in submissions:
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                if (notebook.name, grade.name) in results:
                    results[notebook.name, grade.name].append(grade.score >= grade.max_score)
    return [{"label": (f"{nb}: " if several else "") + titles.get((nb, cell), cell), "passed": sum(r), "total": len(r),
             "rate": percent(sum(r), len(r))} for (nb, cell), r in results.items()]


def manual_todo(submissions, titles: dict) -> list[dict]:
    return [{"student": s.student.id, "notebook": nb.name, "cell": titles.get((nb.name, g.name), g.name),
             "grade_id": g.name, "max_score": g.max_score}
            for s in submissions for nb in s.notebooks for g in nb.grades
            if g.needs_manual_grade and g.manual_score is None]


def problems(record: dict, lang: str) -> list[dict]:
    return [{"student": student, "status": entry.get("status"), "reason": translate(entry.get("reason"), lang),
             "flags": [translate(flag, lang) for flag in entry.get("flags") or []]}
            for student, entry in sorted(record.items())
            if isinstance(entry, dict) and (entry.get("status") != "graded" or entry.get("flags"))]


def report(course: Course, name: str) -> str:
    from nbgrader.api import MissingEntry

    from autograder.pages import charts   # matplotlib: imported only where a report is drawn, not at every command's start

    lang = course.language(name)
    t = texts(lang)
    record = runrecord.students(course.root, name)
    with course.gradebook() as gb:
        try:
            assignment = gb.find_assignment(name)
        except MissingEntry:
            raise UserError(N_("the gradebook has no assignment {assignment}: grade it first"), assignment=name) from None
        submissions = sorted(assignment.submissions, key=lambda s: s.student.id)
        max_score = assignment.max_score
        students = [{"id": s.student.id, "score": s.score, "percent": percent(s.score, max_score),
                     "manual": s.needs_manual_grade, "status": (record.get(s.student.id) or {}).get("status")}
                    for s in submissions]
        titles = cell_titles(course, name)
        rates = question_rates(assignment, submissions, titles)
        todo = manual_todo(submissions, titles)
    scores = [s["score"] for s in students]
    bins = score_bins(scores, max_score, lang)
    return render(
        "report.html.j2", lang=lang, t=t, assignment=name, max_score=max_score, students=students,
        mean=statistics.mean(scores) if scores else None, median=statistics.median(scores) if scores else None,
        bins=bins, rates=rates, todo=todo, has_record=bool(record), problems=problems(record, lang),
        hardest=sorted((r for r in rates if r["total"] and r["rate"] < 50), key=lambda r: r["rate"]),
        histogram=charts.histogram(bins, t["score_range"], t["count"]) if scores else None,
        rate_chart=charts.pass_rates(rates, f"% {t['pass_rate']}") if scores and rates else None,
    )


def run(args) -> int:
    course = Course.open(args.course)
    write_atomically(args.html, report(course, args.assignment))
    _ = translator(course.language(args.assignment))
    print(_("Wrote the report on {assignment} to {file}", assignment=args.assignment, file=args.html))
    return 0
