"""Executes one notebook in a sandboxed kernel, cell by cell, with an integrity probe after every
test cell, then gives every test cell its verdict as outputs: a test cell scores only if the
grader saw it run to the end without an error (its execute reply said "ok") and the probe after it
found nothing. Anything else (death, hang, flood, tampering, a failure of execution itself, a cell
never reached) leaves an error output on the cell, so it scores 0 and the feedback says why."""
import asyncio
import json
import math
from dataclasses import dataclass, field

import nbformat
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbgrader import utils
from nbgrader.preprocessors import Execute

from autograder.judging import integrity
from autograder.kernels.kernel import Kernel, Settings
from autograder.reasons import cell_name, reason


# nbclient's words when a cell's reply came but its output never ended: ZeroMQ refused a message
# above the output limit (kernel.py), so the rest of that output is lost.
IOPUB_TIMEOUT = "Timeout waiting for IOPub output"


class OutputLimitExceeded(Exception):
    pass


@dataclass
class Execution:
    status: str = "graded"                 # graded | failed | timeout
    reason: str | None = None
    died: bool = False                     # the kernel is gone (killed, crashed, exited)
    out_of_memory: bool = False            # the sandbox's memory limit was hit
    tampering: str | None = None
    broken: str | None = None              # execution itself failed (not the student's error)
    warnings: list[str] = field(default_factory=list)
    overtime: bool = False                 # the notebook's total time ran out
    passed: set[int] = field(default_factory=set)     # test cells that ran to the end without error
    reached: set[int] = field(default_factory=set)    # code cells whose execute reply arrived
    unscorable: list[str] = field(default_factory=list)   # test cells whose result is no valid partial score


def message_bytes(msg: dict) -> int:
    """Everything a message brings: content (data, text, display updates, comm state), metadata, buffers."""
    sized = json.dumps([msg.get("content"), msg.get("metadata")], default=repr)
    return len(sized) + sum(len(buffer) for buffer in msg.get("buffers") or [])


class SandboxedExecute(Execute):
    """nbgrader's executor (its timeout, error outputs and configuration) on a kernel the grader
    started, with one cap on every byte a notebook sends back."""

    def __init__(self, max_output_bytes: int, **kwargs):
        super().__init__(**kwargs)
        self.max_output_bytes = max_output_bytes
        self.output_bytes = 0
        self.last_reply = None
        self.interrupted = False   # the running cell hit its time limit

    async def _async_handle_timeout(self, timeout, cell=None):
        self.interrupted = True
        return await super()._async_handle_timeout(timeout, cell)

    def process_message(self, msg, cell, cell_index):
        self.output_bytes += message_bytes(msg)
        if self.output_bytes > self.max_output_bytes:
            raise OutputLimitExceeded()
        return super().process_message(msg, cell, cell_index)

    def on_cell_executed(self, **kwargs):
        self.last_reply = kwargs["execute_reply"]
        super().on_cell_executed(**kwargs)


def is_test(cell) -> bool:
    return cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell)


def mark_failed(cell, name: str, message: str) -> None:
    cell.outputs.append(nbformat.v4.new_output("error", ename=name, evalue=message, traceback=[f"{name}: {message}"]))


async def execute(kernel: Kernel, nb, settings: Settings, config, before=None, only: set[int] | None = None,
                  probe: bool = True) -> Execution:
    """Runs the notebook's code cells (or those in `only`) in place; the cells' outputs are the
    grader's record. `await before(client, index)` runs before each of them; `probe` checks the
    kernel after each test cell (needless in a kernel that runs no student code)."""
    client = SandboxedExecute(settings.max_output_bytes, config=config)
    client.timeout = settings.timeout
    client.nb, client.km, client.kc = nb, kernel.km, kernel.kc
    result = Execution()
    running = asyncio.ensure_future(_run_cells(client, nb, result, settings.submission_seconds, before, only, probe))
    done, _ = await asyncio.wait({running}, timeout=settings.submission_seconds)
    if not done:
        # Killing the kernel ends the running cell as a dead kernel; the flag names the cause.
        result.overtime = True
        await kernel.km.shutdown_kernel(now=True)
        if not (await asyncio.wait({running}, timeout=30))[0]:
            running.cancel()
        result.died, result.status = True, "timeout"
        result.reason = reason("overtime", seconds=settings.submission_seconds)
    elif running.exception() is not None:
        problem = running.exception()
        result.broken, result.status = f"{type(problem).__name__}: {str(problem)[:200]}", "failed"
        result.reason = reason("execution_broke", cell=reason("the_grader"), problem=type(problem).__name__)
    give_verdicts(nb, result)
    for cell in nb.cells:
        if is_test(cell):
            result.warnings += [f"{cell.metadata.nbgrader['grade_id']}: {out.text.strip()[:300]}"
                                for out in cell.outputs if out.output_type == "stream" and out.name == "stderr"]
    return result


def give_verdicts(nb, result: Execution) -> None:
    """Leaves an error output on every test cell that did not really pass, and on a passed cell
    whose partial score is no valid number: only a cell the grader saw pass can score."""
    for index, cell in enumerate(nb.cells):
        if not is_test(cell) or any(out.output_type == "error" for out in cell.outputs):
            continue
        if index not in result.passed:
            if index in result.reached:
                mark_failed(cell, "NotPassed", reason("did_not_pass"))
            else:
                mark_failed(cell, "NotExecuted", reason("not_run", cause=result.reason or reason("did_not_pass")))
            continue
        problem = partial_problem(cell)
        if problem:
            mark_failed(cell, "PartialCreditError", reason("bad_partial", problem=problem))
            result.unscorable.append(f"{_name(cell, index)}: {reason('bad_partial', problem=problem)}")


def partial_problem(cell) -> str | None:
    """Why nbgrader's partial-credit rule cannot score this cell's result (it would raise), or None."""
    max_points = float(cell.metadata.nbgrader.get("points", 0))
    for output in cell.outputs:
        if output.output_type == "execute_result":
            try:
                utils.get_partial_grade(output, max_points)
            except Exception as problem:  # noqa: BLE001 -- any result nbgrader cannot score counts as a failure
                return f"{type(problem).__name__}: {str(problem)[:100]}"
            # nbgrader gives full points to NaN and to negative numbers
            try:
                value = float(output.data.get("text/plain", ""))
            except (TypeError, ValueError):
                return None
            return reason("not_in_range", value=value, max_points=max_points) if math.isnan(value) or value < 0 else None
    return None


async def _run_cells(client: SandboxedExecute, nb, result: Execution, total_seconds: int, before=None,
                     only: set[int] | None = None, probe: bool = True) -> None:
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or (only is not None and index not in only):
            continue
        client.last_reply, client.interrupted = None, False
        try:
            if before is not None:
                await before(client, index)
            await client.async_execute_cell(cell, index, store_history=True)
            reply = client.last_reply
            if reply is not None:
                result.reached.add(index)
            if probe and is_test(cell) and result.tampering is None:
                result.tampering = await _probe(client, integrity.loaded_names(cell.source))
        except (DeadKernelError, CellTimeoutError, OutputLimitExceeded) as problem:
            result.died = True
            result.status, result.reason = ("timeout", reason("overtime", seconds=total_seconds)) if result.overtime \
                else _stop_reason(problem, _name(cell, index), client)
            if is_test(cell):
                mark_failed(cell, type(problem).__name__, result.reason)
            return
        except Exception as problem:  # noqa: BLE001 -- nbclient broke on what the kernel sent: stop, nothing later counts
            result.broken, result.status = f"{type(problem).__name__}: {str(problem)[:200]}", "failed"
            # The reason is shown to the learner: the exception's name only, its message may carry
            # what student code chose (after hidden tests ran); the flag for the trainer has it all.
            result.reason = reason("execution_broke", cell=_name(cell, index), problem=type(problem).__name__)
            if is_test(cell):
                mark_failed(cell, "ExecutionError", result.reason)
            return
        content = (reply or {}).get("content", {})
        if content.get("ename") == "CellTimeoutError" and result.status == "graded":
            result.status = "timeout"
            result.reason = reason("cell_timeout", cell=_name(cell, index), seconds=client.timeout)
        if is_test(cell) and result.tampering is not None:
            mark_failed(cell, "IntegrityError", reason("integrity", problem=result.tampering))
        elif is_test(cell) and content.get("status") == "ok":
            result.passed.add(index)


async def _probe(client: SandboxedExecute, names: list[str]) -> str | None:
    code, nonce = integrity.new_probe(names)
    probe = nbformat.v4.new_code_cell(code)
    client.last_reply = None
    # nbclient writes the executed cell back into the notebook at its index: give the probe one.
    client.nb.cells.append(probe)
    try:
        await client.async_execute_cell(probe, len(client.nb.cells) - 1, store_history=False)
    finally:
        client.nb.cells.pop()
    return integrity.probe_problem(client.last_reply, nonce)


def _name(cell, index: int) -> str:
    return cell_name(index, cell.metadata.get("nbgrader", {}).get("grade_id"))


def _stop_reason(problem: Exception, name: str, client: SandboxedExecute) -> tuple[str, str]:
    if isinstance(problem, CellTimeoutError) and IOPUB_TIMEOUT in str(problem) and not client.interrupted:
        return "failed", reason("output_lost", cell=name, limit=client.max_output_bytes)
    if isinstance(problem, CellTimeoutError):
        return "timeout", reason("cell_hung", cell=name, seconds=client.timeout)
    if isinstance(problem, OutputLimitExceeded):
        return "failed", reason("output_limit", cell=name, limit=client.max_output_bytes)
    return "failed", reason("kernel_died", cell=name)
