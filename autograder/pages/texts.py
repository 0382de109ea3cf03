"""Every text of the feedback and report pages: English message ids of the gettext catalogue
(autograder/locale, context "page"), given in the course's language by texts(lang)."""
from autograder.i18n import catalogue

CONTEXT = "page"
STATUS_CONTEXT = "status"   # the status names, where "failed" is not the failed of a test

TEXTS = {
    "feedback_title": "Feedback",
    "assignment": "Assignment",
    "notebook": "Notebook",
    "student": "Learner",
    "submitted_at": "Submitted on",
    "total": "Total score",
    "notebook_total": "Points in this notebook",
    "assignment_total": "Points in the whole assignment",
    "late_penalty": "Late submission penalty",
    "points": "Points",
    "question": "Question",
    "result": "Result",
    "overview": "Overview",
    "overview_caption": "Points per question",
    "details": "Your answers and the tests",
    "general": "General",
    "your_answer": "Your answer",
    "your_code": "Your code",
    "output": "Output",
    "test": "Test",
    "test_code": "Visible test code",
    "hidden_marker": "# … hidden tests run here …",
    "has_hidden": "This test cell also contains hidden tests. For those you only see whether they passed.",
    "passed": "passed",
    "failed": "failed",
    "partial": "partly passed",
    "hidden_failed": "A hidden test failed. Check your solution with other inputs than the ones in the visible tests.",
    "visible_failed": "This visible test failed:",
    "message": "Message",
    "failing_line": "Failing line",
    "error": "Error",
    "error_line": "in line",
    "no_message": "(no message)",
    "not_graded_yet": "still to be graded by your trainer",
    "comment": "Your trainer's comment",
    "no_response": "You did not answer here.",
    "warnings": "Warnings",
    "warnings_note": "Warnings (output on stderr) cost no points. They may give you hints, though.",
    "notices": "Notes on grading",
    "status_failed": "Your submission could not be graded completely.",
    "status_timeout": "Your submission ran out of time; the affected tests score 0 points.",
    "reason": "Reason",
    "hidden_line": "[hidden]",
    "truncated": "… (shortened)",
    "image": "Figure from your output",
    "manual": "graded by a trainer",
    "report_title": "Report",
    "submissions": "Submissions",
    "average": "Average",
    "median": "Median",
    "distribution": "Score distribution",
    "distribution_alt": "Bar chart: number of submissions per score range. The table next to it has the same numbers.",
    "score_range": "Score range",
    "count": "Count",
    "pass_rates": "Pass rate per question",
    "pass_rates_alt": "Bar chart: share of submissions that passed each autograded test. The table next to it has the same numbers.",
    "pass_rate": "passed",
    "passed_count": "passed of",
    "hardest": "Questions most learners failed",
    "hardest_none": "No question was failed by more than half of the learners.",
    "problems": "Failed, timed-out and flagged submissions",
    "problems_none": "None: every submission was graded normally and nothing was suspicious.",
    "problems_no_record": "There is no run.json from autograder grade: this list is only available when grading with autograder grade.",
    "status": "Status",
    "flags": "Flags",
    "status_names": {"graded": "graded", "failed": "failed", "timeout": "timed out"},
    "manual_todo": "Still to grade by hand",
    "manual_todo_none": "Nothing: every answer that is graded by hand has a score.",
    "manual_todo_hint": "Grade these answers in formgrader (JupyterLab, menu Nbgrader → Formgrader), then generate the feedback again.",
    "students": "Results per learner",
    "percent": "Percent",
    "open_manual": "open",
    "yes": "yes",
    "no": "no",
    "none_yet": "No graded submissions yet.",
}


def texts(lang: str) -> dict:
    messages = catalogue(lang)

    def text(message: str, context: str = CONTEXT) -> str:
        return messages.get(f"{context}\x04{message}") or message
    return {key: {k: text(v, STATUS_CONTEXT) for k, v in value.items()} if isinstance(value, dict) else text(value)
            for key, value in TEXTS.items()}
