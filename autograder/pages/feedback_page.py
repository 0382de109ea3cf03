"""Turns one autograded notebook and its grades into the plain data of a feedback page. Everything
shown comes through here, so this is where hidden tests and solutions are kept out (see hiding.py)."""
import re

from autograder.pages.hiding import (Redactor, error_is_visible, failing_lines, hidden_lines, split_mark_scheme, strip_ansi,
                     without_hidden)
from autograder.reasons import GRADER_ERRORS, HIDDEN_FAILED, translate

MAX_OUTPUT = 5000  # characters per output: a flooding submission must not make a huge page
BASE64 = re.compile(r"^[A-Za-z0-9+/=\s]+$")
WARNING_LINE = re.compile(r"\w*Warning\b")
HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.M)


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def grade_info(grade, t: dict) -> dict:
    """Score and status of one graded cell (manual scores override the autograder's, as in nbgrader)."""
    if grade is None:
        return {}
    pending = grade.manual_score is None and grade.needs_manual_grade
    score = grade.score
    if pending:
        status = "pending"
    elif score >= grade.max_score:
        status = "passed"
    elif score > 0:
        status = "partial"
    else:
        status = "failed"
    return {"score": score, "max_score": grade.max_score, "status": status,
            "status_text": t["not_graded_yet"] if pending else t[status]}


class PageBuilder:
    def __init__(self, t: dict, redactor: Redactor, grades: dict, comments: dict, safe: bool = False,
                 lang: str = "en", instructor_code: frozenset = frozenset()):
        """`safe`: the outputs come from a run that never saw a hidden test (autograder grade);
        `instructor_code`: the code cells of the exercise as handed out (not the learner's work)."""
        self.t, self.redactor, self.grades, self.comments, self.safe = t, redactor, grades, comments, safe
        self.lang, self.instructor_code = lang, instructor_code

    def clean(self, text: str) -> str:
        text = self.redactor.clean(text)
        return text if len(text) <= MAX_OUTPUT else text[:MAX_OUTPUT] + "\n" + self.t["truncated"]

    def error_text(self, output) -> str:
        evalue = strip_ansi(str(output.get("evalue", ""))).strip()
        if output.get("ename") in GRADER_ERRORS:
            # The grader's own verdict: its reason in the learner's language, without a class name.
            return self.clean(translate(evalue, self.lang) or self.t["no_message"])
        return self.clean(f"{output.get('ename', self.t['error'])}: {evalue or self.t['no_message']}")

    def outputs(self, cell) -> list[dict]:
        """All outputs of a cell whose code the learner may see (an answer cell, a test cell without hidden tests)."""
        shown = []
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "stream":
                shown.append({"kind": "warning" if output.get("name") == "stderr" else "text",
                              "text": self.clean(output.get("text", ""))})
            elif kind in ("execute_result", "display_data"):
                shown.append(self.rich_output(output.get("data", {})))
            elif kind == "error":
                shown.append({"kind": "error", "text": self.error_text(output),
                              "line": self.error_line(cell, output)})
        return [o for o in shown if o]

    def rich_output(self, data: dict) -> dict | None:
        # Images as data URIs (no network); HTML from a submission is never rendered, only its text form.
        for mime in ("image/png", "image/jpeg"):
            image = data.get(mime)
            if isinstance(image, str) and BASE64.match(image):
                return {"kind": "image", "mime": mime, "data": "".join(image.split())}
        text = data.get("text/plain")
        if isinstance(text, list):
            text = "".join(text)
        return {"kind": "text", "text": self.clean(text)} if text else None

    def error_line(self, cell, output) -> dict | None:
        lines = failing_lines(output.get("traceback", []), cell.get("execution_count"))
        source = cell.get("source", "")
        hidden = hidden_lines(source) if self.safe else set()
        # A safe run executed the test cell without its hidden lines: its line numbers count without them.
        source = [line for number, line in enumerate(source.splitlines(), start=1) if number not in hidden]
        if not lines or not 0 < lines[0] <= len(source):
            return None
        return {"number": lines[0], "code": self.clean(source[lines[0] - 1])}

    def test_item(self, cell, grade) -> dict:
        source = cell.get("source", "")
        hidden = bool(hidden_lines(source))
        item = {"kind": "test", "code": without_hidden(source, self.t["hidden_marker"]), "hidden": hidden,
                "grade": grade_info(grade, self.t), "message": None, "line": None, "hidden_failed": False,
                "outputs": [], "warnings": []}
        for output in cell.get("outputs", []):
            if output.get("output_type") != "error":
                continue
            if output.get("ename") == HIDDEN_FAILED:
                item["hidden_failed"] = True
            elif self.safe or error_is_visible(source, output.get("traceback", []), cell.get("execution_count")):
                item["message"] = self.error_text(output)
                item["line"] = self.error_line(cell, output)
            else:
                item["hidden_failed"] = True
        if not hidden or self.safe:
            item["outputs"] = [o for o in self.outputs(cell) if o["kind"] != "error"]
        else:
            # Of a cell with hidden tests only the warning lines of stderr: its other output may come
            # from the hidden part.
            stderr = "".join(o.get("text", "") for o in cell.get("outputs", [])
                             if o.get("output_type") == "stream" and o.get("name") == "stderr")
            lines = [line for line in strip_ansi(stderr).splitlines() if WARNING_LINE.search(line)]
            item["warnings"] = [self.clean(line) for line in lines]
        return item

    def answer_item(self, cell, grade) -> dict:
        meta = nbgrader_meta(cell)
        comment = self.comments.get(meta.get("grade_id"))
        item = {"kind": "answer", "cell_type": cell.cell_type, "source": cell.get("source", ""),
                "grade": grade_info(grade, self.t), "outputs": self.outputs(cell) if cell.cell_type == "code" else [],
                "comment": comment.manual_comment if comment else None,
                "no_response": bool(comment and comment.auto_comment)}
        return item

    def task_item(self, cell, grade) -> dict:
        comment = self.comments.get(nbgrader_meta(cell).get("grade_id"))
        return {"kind": "task", "grade": grade_info(grade, self.t),
                "comment": comment.manual_comment if comment else None}

    def item(self, cell) -> dict | None:
        meta = nbgrader_meta(cell)
        grade = self.grades.get(meta.get("grade_id")) if meta else None
        if meta.get("task"):
            return self.task_item(cell, grade)
        if meta.get("solution"):
            return self.answer_item(cell, grade)
        if cell.cell_type == "code" and meta.get("grade"):
            return self.test_item(cell, grade)
        if cell.cell_type == "code" and not meta and cell.get("source", "").strip() not in self.instructor_code:
            # A cell the learner added or changed: their work, shown as such.
            return self.answer_item(cell, None)
        return None  # locked instructor cells and text: only their headings structure the page

    def sections(self, cells) -> list[dict]:
        """The notebook in order, grouped under its markdown headings."""
        sections = [{"title": self.t["general"], "items": []}]
        for cell in cells:
            meta = nbgrader_meta(cell)
            if cell.cell_type == "markdown" and not meta.get("solution"):
                # A task cell comes back from nbgrader's autograde with its mark scheme, which may hold headings.
                heading = HEADING.search(split_mark_scheme(cell.get("source", ""))[0])
                if heading:
                    sections.append({"title": strip_markup(heading.group(1)), "items": []})
            item = self.item(cell)
            if item:
                sections[-1]["items"].append(item)
        for section in sections:
            graded = [i["grade"] for i in section["items"] if i["grade"]]
            section["score"] = sum(g["score"] for g in graded)
            section["max_score"] = sum(g["max_score"] for g in graded)
            section["pending"] = any(g["status"] == "pending" for g in graded)
        return [s for s in sections if s["items"]]


def strip_markup(title: str) -> str:
    return re.sub(r"[*_`]", "", title).strip()
