"""Executes one notebook in a sandboxed kernel, cell by cell, with an integrity probe after every
test cell, and turns what went wrong (death, hang, flood, tampering) into error outputs on the
affected test cells, so that they score 0 and the feedback says why."""
import asyncio
from dataclasses import dataclass, field

import nbformat
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbgrader import utils
from nbgrader.preprocessors import Execute

from . import integrity
from .kernel import Kernel, Settings


class OutputLimitExceeded(Exception):
    pass


@dataclass
class Execution:
    status: str = "graded"                 # graded | failed | timeout
    reason: str | None = None
    died: bool = False                     # the kernel is gone (killed, crashed, exited)
    out_of_memory: bool = False            # the sandbox's memory limit was hit
    tampering: str | None = None
    warnings: list[str] = field(default_factory=list)
    overtime: bool = False                 # the notebook's total time ran out


class SandboxedExecute(Execute):
    """nbgrader's executor (its timeout, error outputs and configuration) on a kernel the grader
    started, with a cap on how much output a notebook may send back."""

    def __init__(self, max_output_bytes: int, **kwargs):
        super().__init__(**kwargs)
        self.max_output_bytes = max_output_bytes
        self.output_bytes = 0
        self.last_reply = None

    def output(self, outs, msg, display_id, cell_index):
        content = msg["content"]
        self.output_bytes += len(content.get("text", "")) + sum(len(str(v)) for v in content.get("data", {}).values()) \
            + sum(len(line) for line in content.get("traceback", []))
        if self.output_bytes > self.max_output_bytes:
            raise OutputLimitExceeded()
        return super().output(outs, msg, display_id, cell_index)

    def on_cell_executed(self, **kwargs):
        self.last_reply = kwargs["execute_reply"]
        super().on_cell_executed(**kwargs)


def is_test(cell) -> bool:
    return cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell)


def mark_failed(cell, name: str, message: str) -> None:
    cell.outputs.append(nbformat.v4.new_output("error", ename=name, evalue=message, traceback=[f"{name}: {message}"]))


async def execute(kernel: Kernel, nb, settings: Settings, config) -> Execution:
    """Runs the notebook's code cells in place; the cells' outputs are the grader's record."""
    client = SandboxedExecute(settings.max_output_bytes, config=config)
    client.timeout = settings.timeout
    client.nb, client.km, client.kc = nb, kernel.km, kernel.kc
    result = Execution()
    running = asyncio.ensure_future(_run_cells(client, nb, result, settings.submission_seconds))
    done, _ = await asyncio.wait({running}, timeout=settings.submission_seconds)
    if not done:
        # Killing the kernel ends the running cell as a dead kernel; the flag names the cause.
        result.overtime = True
        await kernel.km.shutdown_kernel(now=True)
        if not (await asyncio.wait({running}, timeout=30))[0]:
            running.cancel()
        result.died, result.status, result.reason = True, "timeout", _overtime(settings.submission_seconds)
    if result.died:
        for cell in nb.cells:
            if is_test(cell) and cell.get("execution_count") is None and not cell.outputs:
                mark_failed(cell, "NotExecuted", f"not run: {result.reason}")
    for cell in nb.cells:
        if is_test(cell):
            result.warnings += [f"{cell.metadata.nbgrader['grade_id']}: {out.text.strip()[:300]}"
                                for out in cell.outputs if out.output_type == "stream" and out.name == "stderr"]
    return result


async def _run_cells(client: SandboxedExecute, nb, result: Execution, total_seconds: int) -> None:
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        client.last_reply = None
        try:
            await client.async_execute_cell(cell, index, store_history=True)
            reply = client.last_reply or {"content": {}}
            if is_test(cell) and result.tampering is None:
                result.tampering = await _probe(client)
        except (DeadKernelError, CellTimeoutError, OutputLimitExceeded) as problem:
            # A test cell whose probe never answered cannot be trusted either.
            result.died = True
            result.status, result.reason = ("timeout", _overtime(total_seconds)) if result.overtime \
                else _stop_reason(problem, _name(cell, index), client.timeout)
            if is_test(cell):
                mark_failed(cell, type(problem).__name__, result.reason)
            return
        if reply["content"].get("ename") == "CellTimeoutError" and result.status == "graded":
            result.status = "timeout"
            result.reason = f"{_name(cell, index)} ran longer than {client.timeout} s and was interrupted"
        if is_test(cell) and result.tampering is not None:
            mark_failed(cell, "IntegrityError", f"not counted: {result.tampering}")


async def _probe(client: SandboxedExecute) -> str | None:
    code, nonce = integrity.new_probe()
    probe = nbformat.v4.new_code_cell(code)
    client.last_reply = None
    # nbclient writes the executed cell back into the notebook at its index: give the probe one.
    client.nb.cells.append(probe)
    try:
        await client.async_execute_cell(probe, len(client.nb.cells) - 1, store_history=False)
    finally:
        client.nb.cells.pop()
    return integrity.probe_problem(client.last_reply, nonce)


def _overtime(total_seconds: int) -> str:
    return f"the notebook ran longer than {total_seconds} s in total"


def _name(cell, index: int) -> str:
    grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
    return f"cell {index}" + (f" ({grade_id})" if grade_id else "")


def _stop_reason(problem: Exception, name: str, timeout: int) -> tuple[str, str]:
    if isinstance(problem, CellTimeoutError):
        return "timeout", f"{name} ran longer than {timeout} s and ignored the interrupt"
    if isinstance(problem, OutputLimitExceeded):
        return "failed", f"{name} sent more output than allowed"
    return "failed", f"the kernel died in {name}"
