"""Every reason and flag `autograder grade` gives, as short English templates in one place, so that
the run record, the summary and the feedback say the same and can be translated later."""

# The error name the grader gives a test cell whose hidden part failed (the feedback shows no more).
HIDDEN_FAILED = "HiddenTestFailed"

REASONS = {
    # why a test cell scores 0 (its error output) or a submission is not "graded"
    "not_run": "not run: {cause}",
    "did_not_pass": "the cell did not finish without an error",
    "hidden_failed": "a hidden test failed",
    "bad_partial": "its result is not a valid partial score ({problem})",
    "execution_broke": "execution stopped in {cell}: {problem}",
    "kernel_died": "the kernel died in {cell}",
    "output_limit": "{cell} sent more output than allowed ({limit} bytes)",
    "output_lost": "{cell} sent a message larger than the output limit ({limit} bytes); its output was refused",
    "cell_timeout": "{cell} ran longer than {seconds} s and was interrupted",
    "cell_hung": "{cell} ran longer than {seconds} s and ignored the interrupt",
    "overtime": "the notebook ran longer than {seconds} s in total",
    "answer_gone": "the tests could not call the answer's functions: the student's kernel {problem}",
    "out_of_memory": " (it used more than the {mb} MB of memory allowed)",
    "integrity": "not counted: {problem}",
    "not_handed_in": "{notebook}.ipynb was not handed in",
    "unreadable": "{notebook}.ipynb could not be graded: {problem}",
    "not_regular": "{path} is not a regular file (a link or a special file): refused, not read",
    "grader_error": "grader error: {problem}; every test scores 0 until it is graded again",
    # flags (for the trainer)
    "flag_tampering": "tampering in {notebook}: {problem}",
    "flag_suspicious": "suspicious code in {notebook}/{cell}: {found}",
    "flag_execution": "execution of {notebook} broke: {problem}",
    "flag_unscorable": "a test result in {notebook} is no valid score: {problem}",
    "flag_not_regular": "{path} is a link or a special file",
    "flag_timestamp": "timestamp.txt is not a valid time",
}


def reason(code: str, **values) -> str:
    return REASONS[code].format(**values)
