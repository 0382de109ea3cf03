"""Every reason and flag `autograder grade` gives, as short English templates in one place, so that
the run record, the summary and the feedback say the same.

The templates are the message ids of the gettext catalogue (autograder/locale). Grading writes
them in English (run.json, the error outputs of autograded notebooks: one language for the record,
whatever the course); `translate` turns such a text back into its templates and values and gives
it in the course's language wherever a trainer or learner reads it."""
import re
from functools import cache

# The error name the grader gives a test cell whose hidden part failed (the feedback shows no more).
HIDDEN_FAILED = "HiddenTestFailed"
# Error names the grader (not the learner's code) puts on test cells; the feedback shows only their reason.
GRADER_ERRORS = {HIDDEN_FAILED, "NotPassed", "NotExecuted", "PartialCreditError", "IntegrityError",
                 "ExecutionError", "CellTimeoutError", "DeadKernelError", "OutputLimitExceeded"}

REASONS = {
    # why a test cell scores 0 (its error output) or a submission is not "graded"
    "not_run": "not run: {cause}",
    "did_not_pass": "the cell did not finish without an error",
    "hidden_failed": "a hidden test failed",
    "bad_partial": "its result is not a valid partial score ({problem})",
    "not_in_range": "{value} is not between 0 and {max_points}",
    "execution_broke": "execution stopped in {cell}: {problem}",
    "kernel_died": "the kernel died in {cell}",
    "output_limit": "{cell} sent more output than allowed ({limit} bytes)",
    "output_lost": "{cell} sent a message larger than the output limit ({limit} bytes); its output was refused",
    "cell_timeout": "{cell} ran longer than {seconds} s and was interrupted",
    "cell_hung": "{cell} ran longer than {seconds} s and ignored the interrupt",
    "overtime": "the notebook ran longer than {seconds} s in total",
    "answer_gone": "the tests could not call the answer's functions: the student's kernel {problem}",
    "answerer_not_started": "did not start",
    "answerer_too_much_output": "sent more output than allowed",
    "answerer_stopped": "has stopped",
    "answerer_silent": "gave no answer ({problem})",
    "out_of_memory": " (it used more than the {mb} MB of memory allowed)",
    "integrity": "not counted: {problem}",
    "not_handed_in": "{notebook}.ipynb was not handed in",
    "unreadable": "{notebook}.ipynb could not be graded: {problem}",
    "not_regular": "{path} is not a regular file (a link or a special file): refused, not read",
    "grader_error": "grader error: {problem}; every test scores 0 until it is graded again",
    # where it happened
    "cell": "cell {index}",
    "cell_id": "cell {index} ({grade_id})",
    "the_grader": "the grader",
    # the sandbox and its kernels (grader errors: the submission scores 0 until graded again)
    "no_linux": "the sandbox needs Linux with bubblewrap; this is {system}",
    "tool_missing": "`{tool}` is missing (Debian: apt-get install bubblewrap util-linux)",
    "no_namespaces": "bubblewrap cannot create a sandbox here (are user namespaces allowed?): {error}",
    "no_slot": "no free sandbox slot: {count} are in use by other grading runs",
    "warmup_failed": "the kernel's warm-up failed: {error}",
    "kernel_not_started": "the sandboxed kernel did not start: {problem}",
    "no_kernel_reply": "no reply from the kernel",
    "copy_failed": "could not copy the submission into the sandbox: {problem}",
    "worker_unsandboxed": "the Dask worker on {host} cannot sandbox: {reason}",
    # what the integrity checks found (integrity.py)
    "probe_silent": "the integrity probe got no answer",
    "errors_suppressed": "errors were suppressed: a failing check reported success",
    "probe_tampered_as": "the integrity probe was tampered with ({error})",
    "probe_tampered": "the integrity probe was tampered with",
    "changed": "changed: {names}",
    "shell_or_magic": "shell command or magic",
    "imports": "imports {module}",
    "uses_attribute": "uses .{name}",
    "uses": "uses {name}",
    "calls": "calls {name}()",
    "makes_class": "makes a class with type()",
    "defines": "defines {name}",
    "assigns": "assigns to {target}",
    # flags (for the trainer)
    "flag_tampering": "tampering in {notebook}: {problem}",
    "flag_suspicious": "suspicious code in {notebook}/{cell}: {found}",
    "flag_execution": "execution of {notebook} broke: {problem}",
    "flag_unscorable": "a test result in {notebook} is no valid score: {problem}",
    "flag_not_regular": "{path} is a link or a special file",
    "flag_timestamp": "timestamp.txt is not a valid time",
}
SEPARATOR = "; "   # between the reasons of one submission in run.json
LIST = ", "        # between the findings of one check
# "NAME: reason", where NAME is a notebook or an exception (GraderError: ...), stays as it is.
PREFIXED = re.compile(r"(?P<name>[^\s:]+): (?P<rest>.*)\Z", re.S)


def reason(code: str, **values) -> str:
    return REASONS[code].format(**values)


def cell_name(index: int, grade_id: str | None) -> str:
    return reason("cell_id", index=index, grade_id=grade_id) if grade_id else reason("cell", index=index)


@cache
def _patterns() -> list[tuple[str, re.Pattern]]:
    """One pattern per template; a template that starts with a space is a suffix to another reason.
    Longer templates first, so that the most specific one matches."""
    patterns = []
    for template in sorted(set(REASONS.values()), key=len, reverse=True):
        parts = re.split(r"\{(\w+)\}", template)
        regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts))
        if template.startswith(" "):
            regex = "(?P<_before>.+?)" + regex
        patterns.append((template, re.compile(regex + r"\Z", re.S)))
    return patterns


def translate(text: str | None, lang: str) -> str:
    """A reason, flag or several of them (as run.json joins them) in `lang`; what is not a reason of
    ours (a learner's error message, a number) stays as it is."""
    if not text or lang == "en":
        return text or ""
    from autograder.i18n import catalogue
    return _translate(str(text), catalogue(lang))


def _translate(text: str, messages: dict[str, str]) -> str:
    parts = _split(text)
    if len(parts) > 1:
        return SEPARATOR.join(_translate(part, messages) for part in parts)
    items = text.split(LIST)
    if len(items) > 1 and all(_template(item) for item in items):   # a list of findings
        return LIST.join(_translate(item, messages) for item in items)
    for template, pattern in _patterns():
        match = pattern.match(text)
        if match:
            values = {key: _translate(value, messages) for key, value in match.groupdict().items()}
            before = values.pop("_before", "")
            return before + (messages.get(template) or template).format(**values)
    prefixed = PREFIXED.match(text)
    if prefixed:
        return f"{prefixed['name']}: {_translate(prefixed['rest'], messages)}"
    return text


def _template(text: str) -> str | None:
    return next((template for template, pattern in _patterns() if pattern.match(text)), None)


@cache
def _continuations() -> tuple[str, ...]:
    """The text after the separator in templates that contain it ("…; every test scores 0 …")."""
    return tuple(template.split(SEPARATOR, 1)[1].split("{")[0] for template in REASONS.values()
                 if SEPARATOR in template)


def _split(text: str) -> list[str]:
    """The reasons joined in `text`, keeping each template's own separator inside it."""
    parts = []
    for part in text.split(SEPARATOR):
        if parts and part.startswith(_continuations()):
            parts[-1] += SEPARATOR + part
        else:
            parts.append(part)
    return parts


class Reason(str):
    """A reason that gives itself in the course's language where i18n.translator fills it in."""

    def translated(self, lang: str) -> str:
        return translate(self, lang)
