"""The marking guide in formgrader's grading view: an nbconvert preprocessor for the course's
nbgrader_config.py (`c.HTMLExporter.preprocessors = ["autograder.formgrade.MarkingGuides"]`). It stays at
the package's top because every course's configuration names it by this path.

Formgrader renders each autograded notebook with nbconvert's HTMLExporter; this adds, below every
item graded by hand, its marking guide from source/ (where guides.py reads it): below an answer,
and below a task, whose cell then shows the task without the raw mark scheme that nbgrader's
autograde put back into it. It changes only the page formgrader shows, never a notebook on disk, and
it acts only on formgrader's own requests (their resources carry a submission id): nbgrader's
feedback uses the same exporter, and learners must never see a guide. The grader's own verdicts on
test cells ("not run: ...") are shown in the course's language, as in our feedback and report."""
import nbformat
from nbconvert.preprocessors import Preprocessor
from nbgrader import utils
from nbgrader.coursedir import CourseDirectory

from autograder.commands.guides import hand_graded
from autograder.course.coursedir import notebook_language
from autograder.i18n import translator
from autograder.pages.hiding import split_mark_scheme
from autograder.reasons import GRADER_ERRORS, translate


class MarkingGuides(Preprocessor):
    def preprocess(self, nb, resources):
        if "submission_id" not in resources or "assignment_id" not in resources:
            return nb, resources
        coursedir = CourseDirectory(config=self.config)
        source = coursedir.format_path(coursedir.source_directory, ".", resources["assignment_id"])
        path = f"{source}/{resources['notebook_id']}.ipynb"
        try:
            guides = {item["grade_id"]: item["guide"] for item in hand_graded(nbformat.read(path, as_version=4))}
        except (OSError, ValueError):
            return nb, resources
        course_lang = coursedir.course_id.rsplit("-", 1)[-1]
        lang = notebook_language(path) or (course_lang if course_lang in ("de", "en") else "en")
        _ = translator(lang)
        cells = []
        for cell in nb.cells:
            cells.append(cell)
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error" and output.get("ename") in GRADER_ERRORS:
                    output["evalue"] = translate(output.get("evalue", ""), lang)
                    output["traceback"] = [f"{output['ename']}: {output['evalue']}"]
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if grade_id in guides:
                if utils.is_task(cell):
                    cell.source = split_mark_scheme(cell.source)[0]
                heading = _("Marking guide (for trainers only; learners never see it)")
                cells.append(nbformat.v4.new_markdown_cell(f"> **{heading}**\n>\n" + "\n".join(
                    f"> {line}" for line in guides[grade_id].splitlines())))
        nb.cells = cells
        return nb, resources
