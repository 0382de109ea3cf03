"""Judging a notebook by code that the student's kernel never touches (the grader's side; the
kernels' side is answers.py).

One notebook is judged with two kernels from the pool:
1. The feedback run: the notebook without hidden tests in the student's kernel, as the learner
   will see it. Before each cell of the course's own code that follows student code, the values
   of the variables the student's cells assign are captured there as plain data (plain.py).
2. The verdict run: a clean kernel runs only the course's own code cells and the whole test cells,
   in order; before each of them the captured values it reads are put in. Scores come from here.
   A function or object the tests use (a fitted model) is a proxy there: each call goes to the
   student's kernel, kept alive for this and no longer showing anything to the learner, and comes
   back as plain data. A dead or hanging student kernel makes the call fail, and so the test.

What the student's kernel sends back is only data: a forged value is no more than a typed-in
answer. The names sent to the student's kernel are those its own cells assign and those the
visible tests read, never anything from a hidden test."""
import ast
import asyncio
import base64
import builtins
import json
import re
from dataclasses import dataclass, field

from autograder.judging import answers, runner
from autograder.kernels import kernel
from autograder.pages import hiding
from autograder.reasons import reason

PACKED = re.compile(r"'([A-Za-z0-9+/=]*)'")
BUILTINS = set(vars(builtins))


@dataclass
class Plan:
    """What to capture and what to put in, by cell index of the notebook (both runs keep them)."""
    runs: list[int]                                   # the verdict run's cells: course code and tests
    capture: dict[int, list[str]]                     # before these cells of the feedback run
    inject: dict[int, tuple[set[str], set[str]]]      # cell -> (names it may take, names only as plain data)
    captured: dict[int, dict] = field(default_factory=dict)   # what the feedback run found
    # The course's choice (OPTION in nbgrader_config.py), never the submission's: the tests run
    # whole with the student's code in a second student kernel, as in nbgrader.
    in_student_kernel: bool = False


OPTION = ("Autograder", "judge_in_student_kernel")
MINIMAL_TRACEBACKS = "get_ipython().InteractiveTB.set_mode(mode='Minimal')"


def in_student_kernel(config) -> bool:
    return config.get(OPTION[0], {}).get(OPTION[1], False) is True


def assigned_names(source: str) -> set[str]:
    tree = _parse(source)
    names = set()
    for node in ast.walk(tree) if tree else ():
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names if a.name != "*")
    return names


def read_names(source: str) -> set[str]:
    tree = _parse(source)
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)} \
        if tree else set()


def _parse(source: str):
    try:
        return ast.parse("\n".join("" if line.lstrip().startswith(("%", "!")) else line
                                   for line in source.splitlines()))
    except SyntaxError:
        return None


def is_course_code(cell, trusted: set[str]) -> bool:
    from nbgrader import utils
    return cell.cell_type == "code" and not runner.is_test(cell) and not utils.is_solution(cell) \
        and cell.source in trusted


MUTATING = {"append", "extend", "insert", "update", "pop", "popitem", "remove", "clear", "sort", "reverse", "add",
            "discard", "setdefault"}


def answer_names(trusted: set[str]) -> set[str]:
    """What the course's solutions assign or change in place: the names an answer may set. A name
    that only the course's own code or its tests define is never taken from the student's kernel."""
    names = set()
    for source in trusted:
        if hiding.SOLUTION_BEGIN not in source:
            continue
        names |= assigned_names(source)
        for node in ast.walk(_parse(source) or ast.Module(body=[], type_ignores=[])):
            root = None
            if isinstance(node, (ast.Attribute, ast.Subscript)) and isinstance(node.ctx, ast.Store):
                root = node
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                    (node.func.attr in MUTATING or any(k.arg == "inplace" for k in node.keywords)):
                root = node.func
            while isinstance(root, (ast.Attribute, ast.Subscript)):
                root = root.value
            if isinstance(root, ast.Name):
                names.add(root.id)
    return names


def plan(nb, trusted: set[str], solution_names: set[str], config) -> Plan:
    """`nb` is the notebook whole (with its hidden tests); only the grader sees this plan's inject part.
    `solution_names` are the assignment's answer_names(trusted), found once per assignment."""
    if in_student_kernel(config):
        return Plan(runs=[], capture={}, inject={}, in_student_kernel=True)
    runs, wanted, owned, course_names = [], set(), set(), set()
    for index, cell in enumerate(nb.cells):
        if runner.is_test(cell):
            runs.append(index)
            owned |= assigned_names(cell.source)
            visible = "\n".join(line for number, line in enumerate(cell.source.splitlines(), start=1)
                                if number not in hiding.hidden_lines(cell.source))
            wanted |= read_names(visible)
        elif is_course_code(cell, trusted):
            runs.append(index)
            course_names |= assigned_names(cell.source)
        elif cell.cell_type == "code":
            wanted |= assigned_names(cell.source)
    # What the course's code and tests define belongs to them, unless the solutions set it too (a
    # function a test deletes and restores, a table the learner changes); what the course's code
    # defines comes only as plain data.
    owned = (owned | course_names) - solution_names
    wanted = sorted(wanted - BUILTINS)
    capture, inject, after_student, segment = {}, {}, False, None
    for index, cell in enumerate(nb.cells):
        if index in runs:
            if after_student or segment is None:
                segment = index
                capture[index] = wanted
                inject[index] = (set(), set())
            after_student = False
            # Put in at the start of the segment what its cells read (until student code runs again);
            # what the course's own code defines, only as plain data.
            names = read_names(cell.source) - BUILTINS - owned
            inject[segment][0].update(names - course_names)
            inject[segment][1].update(names & course_names)
        elif cell.cell_type == "code":
            after_student = True
    return Plan(runs=runs, capture=capture, inject=inject)


def _tag(data) -> str | None:
    return data.get("t") if isinstance(data, dict) else None


class Unanswered(Exception):
    """The student's kernel gave no valid answer."""


async def _evaluate(on: kernel.Kernel, expression: str, timeout: float, counted) -> object:
    """Evaluates `expression` (a grader call into answers.py) in a kernel; its packed result, unpacked.
    `counted(bytes)` adds the reply's size to the output limit."""
    msg_id = on.kc.execute("", silent=True, store_history=False, user_expressions={"r": expression})
    try:
        reply = await kernel._reply(on, msg_id, timeout)
    except Exception as problem:  # noqa: BLE001 -- a timeout, a closed channel: no answer either way
        raise Unanswered(type(problem).__name__) from None
    counted(runner.message_bytes(reply))
    result = (reply.get("content", {}).get("user_expressions") or {}).get("r") or {}
    text = (result.get("data") or {}).get("text/plain", "") if isinstance(result, dict) else ""
    match = PACKED.fullmatch(text) if isinstance(text, str) else None
    if result.get("status") != "ok" or not match:
        raise Unanswered("no packed result")
    try:
        return json.loads(base64.b64decode(match.group(1), validate=True))
    except (ValueError, RecursionError):
        raise Unanswered("not JSON") from None


def _call(module: str, function: str, argument) -> str:
    return f"__import__('sys').modules[{module!r}].{function}({argument!r})"


async def capture(client: runner.SandboxedExecute, student: kernel.Kernel, the_plan: Plan, index: int,
                  timeout: float) -> None:
    """Before cell `index` of the feedback run: the values of the planned names, as plain data."""
    if index not in the_plan.capture:
        return

    def counted(size: int) -> None:
        client.output_bytes += size
        if client.output_bytes > client.max_output_bytes:
            raise runner.OutputLimitExceeded()
    previous = next((the_plan.captured[i] for i in sorted(the_plan.captured, reverse=True) if i < index), {})
    try:
        found = await _evaluate(student, _call(answers.ANSWERS, "capture", the_plan.capture[index]), timeout, counted)
    except Unanswered:
        found = {}
    values = {}
    for name, data in (found.items() if isinstance(found, dict) else ()):
        if _tag(data) == "same":
            if name in previous:
                values[name] = previous[name]
        elif _tag(data) != "absent":
            values[name] = data
    the_plan.captured[index] = values


async def inject(verdict_kernel: kernel.Kernel, the_plan: Plan, index: int) -> None:
    """Before cell `index` of the verdict run: the captured values it reads."""
    if index not in the_plan.captured or index not in the_plan.inject:
        return   # no student code ran since the last cell: what was put in is still there
    anything, only_plain = the_plan.inject[index]
    chosen = {name: data for name, data in the_plan.captured[index].items()
              if name in anything or (name in only_plain and _tag(data) != "handle")}
    if chosen:
        # A malformed capture fails to decode: those values are not there, and the tests that read them
        # fail. Sent as an expression, not as a cell: the kernel hashes, tokenises and transforms a
        # cell's source, which for a table of data costs more than the tests that read it.
        try:
            await _evaluate(verdict_kernel, _call(answers.ANSWERS, "inject", answers._pack(chosen)), 120,
                            lambda size: None)
        except Unanswered:
            pass


class Answerer:
    """Answers the verdict kernel's proxy requests by asking the student's kernel."""

    def __init__(self, student: kernel.Kernel, verdict_kernel: kernel.Kernel, settings: kernel.Settings):
        self.student, self.verdict_kernel, self.settings = student, verdict_kernel, settings
        self.used_bytes = 0
        self.asked = False
        self.gone: str | None = None if student.kc is not None and not student.setup_error else reason("answerer_not_started")

    def counted(self, size: int) -> None:
        self.used_bytes += size
        if self.used_bytes > self.settings.max_output_bytes:
            self.gone = reason("answerer_too_much_output")
            raise Unanswered(self.gone)

    async def answer(self, request: str) -> str:
        self.asked = True
        if self.gone is None and not await self.student.km.is_alive():
            self.gone = reason("answerer_stopped")
        if self.gone is not None:
            return answers._pack({"error": f"the student's kernel cannot answer: {self.gone}"})
        try:
            # Within the test cell's own time limit, so that a hanging answer fails only its own test.
            result = await _evaluate(self.student, _call(answers.ANSWERS, "serve", request),
                                     max(1, self.settings.timeout / 2), self.counted)
        except Unanswered as problem:
            self.gone = self.gone or reason("answerer_silent", problem=problem)
            return answers._pack({"error": f"the student's kernel did not answer: {problem}"})
        return answers._pack(result if isinstance(result, dict) else {"error": "malformed answer"})

    async def serve(self) -> None:
        """Runs until cancelled: every input request of the verdict kernel gets an answer."""
        while True:
            msg = await self.verdict_kernel.kc.get_stdin_msg()
            prompt = msg.get("content", {}).get("prompt", "")
            reply = await self.answer(prompt[len(answers.REQUEST):]) if prompt.startswith(answers.REQUEST) else ""
            self.verdict_kernel.kc.input(reply)

    async def drain(self) -> None:
        """Reads what the student's kernel prints meanwhile (nobody sees it), counted against its limit."""
        while True:
            msg = await self.student.kc.get_iopub_msg()
            try:
                self.counted(runner.message_bytes(msg))
            except Unanswered:
                await self.student.km.shutdown_kernel(now=True)
                return


async def run(student: kernel.Kernel, verdict_kernel: kernel.Kernel, nb, the_plan: Plan,
              settings: kernel.Settings, config) -> runner.Execution:
    """The verdict run, in place on `nb` (the notebook whole; only the plan's cells run)."""
    if the_plan.in_student_kernel:
        return await runner.execute(verdict_kernel, nb, settings, config)
    # Its tracebacks are never shown (the learner sees those of the feedback run): only the error's
    # name and message are formatted, which costs a fraction of a coloured traceback with its code.
    await kernel.run_trusted(verdict_kernel, MINIMAL_TRACEBACKS, timeout=120)
    answerer = Answerer(student, verdict_kernel, settings)
    helpers = [asyncio.ensure_future(answerer.serve())]
    if answerer.gone is None:
        helpers.append(asyncio.ensure_future(answerer.drain()))

    async def before(client, index: int) -> None:
        await inject(verdict_kernel, the_plan, index)
    try:
        result = await runner.execute(verdict_kernel, nb, settings, config, before=before, only=set(the_plan.runs),
                                      probe=False)
        if answerer.gone and answerer.asked and not result.reason:
            result.reason = reason("answer_gone", problem=answerer.gone)
        return result
    finally:
        for helper in helpers:
            helper.cancel()
        await asyncio.gather(*helpers, return_exceptions=True)
