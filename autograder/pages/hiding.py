"""What a learner must never see in feedback: hidden tests (code, output, traceback), the
solution and the mark scheme of a task. Used by the feedback page.

Notebooks graded by `autograder grade` carry outputs from a run that never contained a hidden
test (grading.run), so their outputs and visible messages are shown whole. For notebooks graded
otherwise (plain nbgrader ran the hidden tests in the same kernel) two layers err on the side of
hiding: (1) hidden regions are cut out of test code, and a failing test cell only shows its
message when every traceback frame in that cell points at a visible line; (2) a Redactor removes,
from any text that came out of a kernel, each line that contains a line of hidden test or
solution code or a string literal from a hidden test. Deliberately encoded echoes are beyond any
filter, which is why `autograder grade` does not rely on one."""
import ast
import re
import textwrap

# nbgrader's default delimiters (ClearHiddenTests, ClearSolutions); it matches them anywhere in a line.
HIDDEN_BEGIN, HIDDEN_END = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
SOLUTION_BEGIN, SOLUTION_END = "BEGIN SOLUTION", "END SOLUTION"
MARK_SCHEME_BEGIN, MARK_SCHEME_END = "BEGIN MARK SCHEME", "END MARK SCHEME"   # ClearMarkScheme's

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# IPython >= 8 names the frames of cell code "Cell In[<execution count>], line <n>".
CELL_FRAME = re.compile(r"(?:Cell|Input) In ?\[(\d+)\], line (\d+)")

# Shorter lines and literals ("pass", "else:", "df") would hide harmless output everywhere.
MIN_SECRET_LINE = 8
MIN_SECRET_LITERAL = 6


def strip_ansi(text: str) -> str:
    return ANSI.sub("", text)


def delimited_lines(source: str, begin: str, end: str) -> set[int]:
    """1-based numbers of the lines inside begin/end regions, delimiters included. A region that is
    never closed runs to the end, as nbgrader would have removed it."""
    inside, numbers = False, set()
    for number, line in enumerate(source.splitlines(), start=1):
        if begin in line:
            inside = True
        if inside:
            numbers.add(number)
        if end in line:
            inside = False
    return numbers


def hidden_lines(source: str) -> set[int]:
    return delimited_lines(source, HIDDEN_BEGIN, HIDDEN_END)


def split_mark_scheme(source: str) -> tuple[str, str]:
    """(a task cell's text without its mark scheme regions, what those regions hold between their
    delimiter lines)."""
    regions = delimited_lines(source, MARK_SCHEME_BEGIN, MARK_SCHEME_END)
    task, scheme = [], []
    for number, line in enumerate(source.splitlines(), start=1):
        if number not in regions:
            task.append(line)
        elif MARK_SCHEME_BEGIN not in line and MARK_SCHEME_END not in line:
            scheme.append(line)
    return "\n".join(task).strip(), "\n".join(scheme).strip()


def without_hidden(source: str, marker: str) -> str:
    """The visible test code, with each hidden region replaced by one marker line."""
    hidden = hidden_lines(source)
    lines, previous_hidden = [], False
    for number, line in enumerate(source.splitlines(), start=1):
        if number in hidden:
            if not previous_hidden:
                lines.append(line[: len(line) - len(line.lstrip())] + marker)
            previous_hidden = True
        else:
            lines.append(line)
            previous_hidden = False
    return "\n".join(lines)


def failing_lines(traceback: list[str], execution_count) -> list[int] | None:
    """The lines of this cell that the traceback passes through, or None when it cannot tell."""
    if not isinstance(execution_count, int):
        return None
    lines = [int(line) for count, line in CELL_FRAME.findall(strip_ansi("\n".join(traceback)))
             if int(count) == execution_count]
    return lines or None


def error_is_visible(source: str, traceback: list[str], execution_count) -> bool:
    """May the learner see this error? Only if the cell has no hidden tests, or every frame of the
    cell in the traceback lies in its visible part."""
    hidden = hidden_lines(source)
    if not hidden:
        return True
    lines = failing_lines(traceback, execution_count)
    return lines is not None and not hidden.intersection(lines)


def string_literals(code: str) -> set[str]:
    """String constants of a piece of code; falls back to quoted runs when it does not parse."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set(re.findall(r"""["']([^"'\n]+)["']""", code))
    return {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def region_text(source: str, numbers: set[int]) -> str:
    return "\n".join(line for n, line in enumerate(source.splitlines(), start=1) if n in numbers)


class Redactor:
    """Removes every line of kernel output that contains a secret."""

    def __init__(self, hidden_tests: list[str], solutions: list[str], placeholder: str):
        code = hidden_tests + solutions
        self.lines = {line.strip() for text in code for line in text.splitlines()
                      if len(line.strip()) >= MIN_SECRET_LINE and HIDDEN_BEGIN not in line
                      and HIDDEN_END not in line and SOLUTION_BEGIN not in line and SOLUTION_END not in line}
        # Literals from the hidden tests (their messages, expected values); dedented because hidden
        # regions are often indented inside a function and must parse on their own.
        self.literals = {lit.strip() for text in hidden_tests for lit in string_literals(textwrap.dedent(text))
                         if len(lit.strip()) >= MIN_SECRET_LITERAL}
        self.placeholder = placeholder

    def leaks(self, line: str) -> bool:
        # Also catch the line as it appears inside printed JSON or a repr (\" and \' escapes).
        variants = (line, line.replace('\\"', '"').replace("\\'", "'"))
        return any(secret in variant for variant in variants for secret in self.lines | self.literals)

    def clean(self, text: str) -> str:
        lines = strip_ansi(text).splitlines(keepends=True)
        return "".join(self.placeholder + "\n" if self.leaks(line) else line for line in lines)


def secrets_of_notebook(cells: list) -> tuple[list[str], list[str]]:
    """(hidden test regions, solutions) of a notebook's cells as the instructor wrote them."""
    hidden, solutions = [], []
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        source = cell.get("source", "")
        numbers = hidden_lines(source)
        if numbers:
            hidden.append(region_text(source, numbers))
        if meta.get("solution"):
            numbers = delimited_lines(source, SOLUTION_BEGIN, SOLUTION_END)
            # Without delimiters nbgrader replaces the whole cell: all of it is the solution.
            solutions.append(region_text(source, numbers) if numbers else source)
    return hidden, solutions
