"""`autograder mark ASSIGNMENT`: a small local web page for grading by hand, with the task, the
marking guide and the learner's answer side by side, in the course's language. Points and comments
go into nbgrader's gradebook exactly where formgrader puts them (the grade's manual score, the
comment's manual comment), so formgrader, feedback, report and export see them at once.

The guides are read where guides.py reads them (source/); the answers from autograded/, as
formgrader shows them. The server listens on 127.0.0.1 only, and every form carries a random token,
so another web page open in the trainer's browser cannot post grades."""
import secrets
import threading
import webbrowser
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import nbformat
from markdown_it import MarkdownIt
from markupsafe import Markup

from autograder.cli import UserError
from autograder.commands.guides import guides, hand_graded
from autograder.course.coursedir import Course, add_course_argument
from autograder.i18n import N_, translator
from autograder.pages.templating import points, render

NAME = "mark"
HELP = "grade answers by hand in the browser, with task, marking guide and answer side by side"
# Learners' answers: no raw HTML from them reaches the trainer's browser.
MARKDOWN = MarkdownIt("commonmark", {"html": False})


def add_arguments(parser) -> None:
    parser.add_argument("assignment", help="the assignment, e.g. 02-data-quality")
    add_course_argument(parser)
    parser.add_argument("--port", type=int, default=0, help="the port on 127.0.0.1 (default: any free one)")
    parser.add_argument("--no-browser", action="store_true", help="do not open the page in a browser")


def answer_html(course: Course, assignment: str, student: str, notebook: str, grade_id: str) -> Markup | None:
    """The learner's answer to one item (for a task, its answer cells) from the autograded notebook."""
    try:
        nb = nbformat.read(course.folder("autograded", student, assignment) / f"{notebook}.ipynb", as_version=4)
    except (OSError, ValueError):
        return None
    item = next((i for i in hand_graded(nb) if i["grade_id"] == grade_id), {"answers": []})
    parts = [MARKDOWN.render(f"```\n{cell.source}\n```" if cell.cell_type == "code" else cell.source)
             for cell in item["answers"] if cell.source.strip()]
    return Markup("".join(parts)) if parts else None


class Marking:
    """What the pages show and what saving does; one per served assignment."""

    def __init__(self, course: Course, assignment: str):
        self.course, self.assignment = course, assignment
        self.lang = course.language(assignment)
        self._ = translator(self.lang)
        self.token = secrets.token_urlsafe(24)
        self.cells = {(sheet["notebook"], cell["grade_id"]): cell for sheet in guides(course, assignment)
                      for cell in sheet["cells"]}
        self.lock = threading.Lock()

    def items(self) -> list[dict]:
        """Every answer graded by hand of every submission, open ones first."""
        found = []
        with self.course.gradebook() as gb:
            for submission in gb.find_assignment(self.assignment).submissions:
                for nb in submission.notebooks:
                    for grade in nb.grades:
                        if (nb.name, grade.name) in self.cells:
                            found.append({"student": submission.student.id, "notebook": nb.name, "cell": grade.name,
                                          "title": self.cells[nb.name, grade.name]["title"],
                                          "score": grade.manual_score, "max_score": grade.max_score,
                                          "open": grade.manual_score is None})
        return sorted(found, key=lambda i: (not i["open"], i["title"], i["student"]))

    def labels(self) -> dict:
        _ = self._
        return {"title": _("Grading by hand"), "task": _("Task"), "guide": _("Model answer and marking guide"),
                "answer": _("Answer"), "no_answer": _("No answer."), "score": _("Points"), "comment": _("Comment"),
                "save": _("Save and go to the next"), "open": _("open"), "graded": _("graded"),
                "student": _("Learner"), "question": _("Question"), "status": _("Status"), "all": _("All answers"),
                "none": _("Every answer is graded."), "saved": _("Saved."), "of": _("of")}

    def index(self, saved: bool = False) -> str:
        return render("marking.html.j2", lang=self.lang, labels=self.labels(), assignment=self.assignment,
                      items=self.items(), item=None, saved=saved, points=points, token=self.token)

    def page(self, student: str, notebook: str, cell: str, saved: bool = False) -> str | None:
        item = next((i for i in self.items() if (i["student"], i["notebook"], i["cell"]) == (student, notebook, cell)),
                    None)
        if item is None:
            return None
        guide = self.cells[notebook, cell]
        with self.course.gradebook() as gb:
            comment = gb.find_comment(cell, notebook, self.assignment, student).manual_comment or ""
        return render("marking.html.j2", lang=self.lang, labels=self.labels(), assignment=self.assignment,
                      items=self.items(), item=item, guide=guide, comment=comment,
                      answer_html=answer_html(self.course, self.assignment, student, notebook, cell),
                      saved=saved, points=points, token=self.token)

    def save(self, form: dict) -> tuple[str, str, str] | str:
        """Writes the points and comment; returns the item saved, or why not."""
        _ = self._
        if not secrets.compare_digest(form.get("token", ""), self.token):
            return _("This form is out of date; reload the page.")
        key = (form.get("student", ""), form.get("notebook", ""), form.get("cell", ""))
        if (key[1], key[2]) not in self.cells:
            return _("There is no such answer to grade.")
        with self.lock, self.course.gradebook() as gb:
            grade = gb.find_grade(key[2], key[1], self.assignment, key[0])
            try:
                score = float(form.get("score", "").replace(",", "."))
            except ValueError:
                return _("Points must be a number between 0 and {max}.", max=points(grade.max_score, self.lang))
            if not 0 <= score <= grade.max_score:
                return _("Points must be a number between 0 and {max}.", max=points(grade.max_score, self.lang))
            grade.manual_score = score
            grade.needs_manual_grade = False
            gb.find_comment(key[2], key[1], self.assignment, key[0]).manual_comment = form.get("comment", "")
            gb.db.commit()
        return key


def handler(marking: Marking):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):   # the terminal stays for the trainer's own messages
            pass

        def send(self, html: str | None, status=HTTPStatus.OK) -> None:
            if html is None:
                status, html = HTTPStatus.NOT_FOUND, marking._("There is no such answer to grade.")
            body = html.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; "
                                                        "img-src data:; form-action 'self'")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            url = urlparse(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/":
                self.send(marking.index(saved="saved" in query))
            elif url.path == "/grade":
                self.send(marking.page(query.get("student", ""), query.get("notebook", ""), query.get("cell", ""),
                                       saved="saved" in query))
            else:
                self.send(None)

        def do_POST(self):
            length = min(int(self.headers.get("Content-Length") or 0), 1 << 20)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode("utf-8")).items()}
            result = marking.save(form)
            if isinstance(result, str):
                self.send(result, HTTPStatus.BAD_REQUEST)
                return
            following = next((i for i in marking.items() if i["open"]), None)
            target = ("/grade?" + urlencode({"student": following["student"], "notebook": following["notebook"],
                                             "cell": following["cell"], "saved": 1})) if following else "/?saved=1"
            self.send_response(HTTPStatus.SEE_OTHER)
            self.send_header("Location", target)
            self.end_headers()
    return Handler


def run(args) -> int:
    course = Course.open(args.course)
    marking = Marking(course, args.assignment)
    if not marking.cells:
        raise UserError(N_("{assignment} has no answers graded by hand in source/"), assignment=args.assignment)
    from nbgrader.api import MissingEntry
    try:
        marking.items()
    except MissingEntry:
        raise UserError(N_("the gradebook has no assignment {assignment}: grade it first"),
                        assignment=args.assignment) from None
    server = ThreadingHTTPServer(("127.0.0.1", args.port), handler(marking))
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    print(marking._("Grading page: {url} (stop with Ctrl-C)", url=url), flush=True)
    if not args.no_browser:
        webbrowser.open(url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
