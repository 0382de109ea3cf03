"""`autograder feedback ASSIGNMENT`: one self-contained HTML page per student and notebook in
feedback/<student>/<assignment>/<notebook>.html, where nbgrader's release_feedback finds it."""
import shutil

import nbformat

from autograder.cli import UserError
from autograder.course import runrecord
from autograder.course.coursedir import Course, add_course_argument
from autograder.course.files import write_atomically
from autograder.i18n import N_, translator
from autograder.pages.feedback_page import PageBuilder, nbgrader_meta
from autograder.pages.hiding import Redactor, secrets_of_notebook
from autograder.pages.templating import render
from autograder.pages.texts import texts
from autograder.reasons import translate

NAME = "feedback"
HELP = "write an HTML feedback page per student and notebook (hidden tests and solutions are never shown)"
# release_feedback needs these two next to the pages; nbgrader's generate_feedback copies them too.
RELEASE_FILES = ("timestamp.txt", "submission_secret.txt")


def add_arguments(parser) -> None:
    parser.add_argument("assignment", help="the assignment, e.g. 01-reading-data")
    add_course_argument(parser)
    parser.add_argument("--student", nargs="+", metavar="ID", help="only these students (default: every graded one)")


def notebook_secrets(course: Course, assignment: str, notebook: str, graded) -> tuple[list[str], list[str], frozenset]:
    """Hidden tests and solutions of the instructor's version, plus the hidden tests the grader put
    back into the autograded notebook (in case source/ is gone or differs); and the instructor's
    code cells (e.g. the course's error-help cell), which are no work of the learner's."""
    hidden, solutions, code = [], [], frozenset()
    source = course.folder("source", None, assignment) / f"{notebook}.ipynb"
    if source.is_file():
        cells = nbformat.read(source, as_version=4).cells
        hidden, solutions = secrets_of_notebook(cells)
        code = frozenset(c.source.strip() for c in cells if c.cell_type == "code" and not nbgrader_meta(c))
    tests = [cell for cell in graded.cells if not nbgrader_meta(cell).get("solution")]
    hidden += secrets_of_notebook(tests)[0]
    return hidden, solutions, code


def notices(record: dict, redactor: Redactor, t: dict, lang: str) -> list[dict]:
    """What `autograder grade` noted about this submission; flags stay with the trainer (report)."""
    shown = []
    status = record.get("status")
    if status in ("failed", "timeout"):
        shown.append({"text": t[f"status_{status}"],
                      "reason": redactor.clean(translate(str(record.get("reason") or ""), lang))})
    for warning in record.get("warnings") or []:
        shown.append({"text": redactor.clean(str(warning)), "reason": ""})
    return shown


def page(course: Course, assignment: str, student: str, submission, notebook_submission, record: dict) -> str:
    notebook = notebook_submission.name
    lang = course.language(assignment, notebook)
    t = texts(lang)
    graded = nbformat.read(course.folder("autograded", student, assignment) / f"{notebook}.ipynb", as_version=4)
    hidden, solutions, instructor_code = notebook_secrets(course, assignment, notebook, graded)
    # `autograder grade` took every output from a sandboxed run without hidden tests and without
    # source/: nothing in them can carry a secret, so they are shown whole. Other graders' outputs
    # (plain nbgrader's) are filtered line by line.
    safe = bool(graded.metadata.get("autograder", {}).get("outputs_without_hidden_tests"))
    redactor = Redactor([], [], t["hidden_line"]) if safe else Redactor(hidden, solutions, t["hidden_line"])
    builder = PageBuilder(t, redactor, safe=safe, lang=lang, instructor_code=instructor_code,
                          grades={g.name: g for g in notebook_submission.grades},
                          comments={c.name: c for c in notebook_submission.comments})
    sections = builder.sections(graded.cells)
    return render(
        "feedback.html.j2", lang=lang, t=t, assignment=assignment, student=student, notebook=notebook,
        timestamp=submission.timestamp, penalty=submission.late_submission_penalty or 0,
        score=notebook_submission.score, max_score=notebook_submission.max_score,
        assignment_score=submission.score, assignment_max=submission.max_score,
        single_notebook=len(submission.notebooks) == 1,
        sections=sections, questions=[s for s in sections if s["max_score"]],
        notices=notices(record, redactor, t, lang),
    )


def run(args) -> int:
    from nbgrader.api import MissingEntry

    course = Course.open(args.course)
    _ = translator(course.language(args.assignment))
    records = runrecord.students(course.root, args.assignment)
    written, skipped = 0, []
    with course.gradebook() as gb:
        try:
            submissions = {s.student.id: s for s in gb.find_assignment(args.assignment).submissions}
        except MissingEntry:
            raise UserError(N_("the gradebook has no assignment {assignment}: grade it first"),
                            assignment=args.assignment) from None
        unknown = sorted(set(args.student or []) - set(submissions))
        if unknown:
            raise UserError(N_("no graded submission of {assignment} for: {students}"), assignment=args.assignment,
                            students=", ".join(unknown))
        for student in sorted(args.student or submissions):
            submission = submissions[student]
            target = course.folder("feedback", student, args.assignment)
            autograded = course.folder("autograded", student, args.assignment)
            for notebook_submission in submission.notebooks:
                if not (autograded / f"{notebook_submission.name}.ipynb").is_file():
                    skipped.append(f"{student}/{notebook_submission.name}")
                    continue
                html = page(course, args.assignment, student, submission, notebook_submission,
                            records.get(student) or {})
                write_atomically(target / f"{notebook_submission.name}.html", html)
                written += 1
            for name in RELEASE_FILES:
                if (autograded / name).is_file() and target.is_dir():
                    shutil.copyfile(autograded / name, target / name)
    folder = course.root / course.coursedir.feedback_directory
    print(_("Wrote {count} feedback page(s) into {folder}/<student>/{assignment}/", count=written, folder=folder,
            assignment=args.assignment))
    for entry in skipped:
        print("  " + _("skipped {notebook}: it has no autograded notebook; grade it again", notebook=entry))
    return 1 if skipped else 0
