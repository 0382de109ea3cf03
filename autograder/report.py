"""`autograder report ASSIGNMENT --html FILE`: one self-contained page for the trainer: score
distribution, pass rate per autograded test, the tests most learners failed, what `autograder
grade` could not grade or found suspicious, and what still needs grading by hand."""
import math
import statistics
from pathlib import Path

from . import charts, runrecord
from .cli import UserError
from .coursedir import Course, add_course_argument
from .files import write_atomically
from .templating import points, render
from .texts import texts

NAME = "report"
HELP = "write an HTML report for the trainer: score distribution, pass rates, problems, manual grading to do"
MAX_BINS = 10


def add_arguments(parser) -> None:
    parser.add_argument("assignment", help="the assignment, e.g. 01-reading-data")
    add_course_argument(parser)
    parser.add_argument("--html", type=Path, required=True, metavar="FILE", help="the HTML file to write")


def score_bins(scores: list[float], max_score: float, lang: str) -> list[dict]:
    """Equal ranges over 0..max (one point wide for up to 10 points); the last range includes max."""
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


def question_rates(assignment, submissions) -> list[dict]:
    several = len(assignment.notebooks) > 1
    results = {key: [] for key in auto_cells(assignment)}
    for submission in submissions:
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                if (notebook.name, grade.name) in results:
                    results[notebook.name, grade.name].append(grade.score >= grade.max_score)
    return [{"label": f"{nb}: {cell}" if several else cell, "passed": sum(r), "total": len(r),
             "rate": round(100 * sum(r) / len(r)) if r else 0} for (nb, cell), r in results.items()]


def manual_todo(submissions) -> list[dict]:
    return [{"student": s.student.id, "notebook": nb.name, "cell": g.name, "max_score": g.max_score}
            for s in submissions for nb in s.notebooks for g in nb.grades
            if g.needs_manual_grade and g.manual_score is None]


def problems(record: dict) -> list[dict]:
    return [{"student": student, "status": entry.get("status"), "reason": entry.get("reason") or "",
             "flags": entry.get("flags") or []}
            for student, entry in sorted(record.items())
            if isinstance(entry, dict) and (entry.get("status") != "graded" or entry.get("flags"))]


def report(course: Course, name: str) -> str:
    from nbgrader.api import MissingEntry

    lang = course.language(name)
    t = texts(lang)
    record = runrecord.students(course.root, name)
    with course.gradebook() as gb:
        try:
            assignment = gb.find_assignment(name)
        except MissingEntry:
            raise UserError(f"the gradebook has no assignment {name!r}: grade it first") from None
        submissions = sorted(assignment.submissions, key=lambda s: s.student.id)
        max_score = assignment.max_score
        students = [{"id": s.student.id, "score": s.score, "percent": round(100 * s.score / max_score) if max_score else 0,
                     "manual": s.needs_manual_grade, "status": (record.get(s.student.id) or {}).get("status")}
                    for s in submissions]
        rates = question_rates(assignment, submissions)
        todo = manual_todo(submissions)
    scores = [s["score"] for s in students]
    bins = score_bins(scores, max_score, lang)
    return render(
        "report.html.j2", lang=lang, t=t, assignment=name, max_score=max_score, students=students,
        mean=statistics.mean(scores) if scores else None, median=statistics.median(scores) if scores else None,
        bins=bins, rates=rates, todo=todo, has_record=bool(record), problems=problems(record),
        hardest=sorted((r for r in rates if r["total"] and r["rate"] < 50), key=lambda r: r["rate"]),
        histogram=charts.histogram(bins, t["score_range"], t["count"]) if scores else None,
        rate_chart=charts.pass_rates(rates, f"% {t['pass_rate']}") if scores and rates else None,
    )


def run(args) -> int:
    course = Course.open(args.course)
    write_atomically(args.html, report(course, args.assignment))
    print(f"Wrote the report on {args.assignment} to {args.html}")
    return 0
