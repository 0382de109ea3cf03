"""Grades one student's submission of an assignment: nbgrader's sanitising, sandboxed execution
with integrity probes, nbgrader's post-processing, then autograded/ and the gradebook."""
import asyncio
import itertools
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader import utils
from nbgrader.converters import Autograde
from traitlets import import_item

from . import gradebook_writer, integrity, kernel, runner, sandbox
from .coursedir import Course, submission_files

# Replaced by the grader's own steps: sandboxed execution, one gradebook transaction, late penalties.
REPLACED = {"Execute", "SaveAutoGrades", "AssignLatePenalties"}
SEVERITY = {"graded": 0, "timeout": 1, "failed": 2}


@dataclass
class Assignment:
    """What the trusted source says about the assignment being graded."""
    name: str
    notebooks: list[str]          # as the gradebook knows them
    module_names: set[str]        # names its imports bind to modules (np, pd, ...)
    hidden_lines: set[str]        # lines of its hidden tests


class GraderError(Exception):
    """Grading itself broke (not the student's code): nothing is recorded for this submission."""


@dataclass
class Outcome:
    student: str
    status: str = "graded"
    reasons: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None   # set when grading itself failed; nothing was recorded

    def worsen(self, status: str, reason: str | None) -> None:
        if SEVERITY[status] > SEVERITY[self.status]:
            self.status = status
        if reason:
            self.reasons.append(reason)

    def entry(self) -> dict:
        return {"status": self.status, "reason": "; ".join(self.reasons) or None, "flags": self.flags,
                "seconds": round(self.seconds, 2), "warnings": self.warnings}


class KernelPool:
    """Keeps `size` sandboxed kernels starting or ready, so that the next notebook finds a kernel
    with its imports done while the previous one was running."""

    def __init__(self, settings: kernel.Settings, workspace: Path, warmup: str, size: int, needed: int):
        self.settings, self.workspace, self.warmup = settings, workspace, warmup
        self.numbers = itertools.count()
        # at most `size` running plus `size` warming
        self.free_uids, self.slot_locks = sandbox.claim_slots(2 * size + 1)
        self.to_start = needed
        self.ready: list[asyncio.Task] = []
        for _ in range(min(size, needed)):
            self._spawn()

    def _spawn(self) -> None:
        self.to_start -= 1
        self.ready.append(asyncio.ensure_future(
            kernel.start(self.settings, self.workspace, next(self.numbers), self.free_uids.pop(0), self.warmup)))

    async def get(self) -> kernel.Kernel:
        task = self.ready.pop(0)
        if self.to_start > 0:
            self._spawn()
        return await task

    async def release(self, used: kernel.Kernel) -> bool:
        out_of_memory = await kernel.stop(used)
        self.free_uids.append(used.uid_slot)
        return out_of_memory

    async def close(self) -> None:
        for task in self.ready:
            await self.release(await task)
        self.ready = []
        for handle in self.slot_locks:
            handle.close()


def _preprocessors(config, name: str) -> list:
    classes = config.get("Autograde", {}).get(name) or Autograde.class_traits()[name].default()
    classes = [import_item(c) if isinstance(c, str) else c for c in classes]
    return [cls(config=config) for cls in classes if cls.__name__ not in REPLACED]


def _resources(course: Course, assignment: str, student: str, name: str, folder: Path) -> dict:
    return {"nbgrader": {"notebook": name, "assignment": assignment, "student": student, "db_url": course.db_url},
            "metadata": {"path": str(folder)}, "unique_key": name}


def _apply(preprocessors: list, nb, resources: dict):
    for preprocessor in preprocessors:
        nb, resources = preprocessor(nb, resources)
    return nb


def _scan(nb, name: str, module_names: set[str]) -> list[str]:
    flags = []
    for cell in nb.cells:
        if cell.cell_type == "code" and utils.is_solution(cell):
            found = integrity.scan(cell.source, module_names)
            if found:
                flags.append(f"suspicious code in {name}/{cell.metadata.nbgrader.get('grade_id')}: {', '.join(found)}")
    return flags


async def grade(course: Course, task: Assignment, student: str, pool, settings: kernel.Settings,
                execute=None) -> Outcome:
    """`execute(pool, settings, config, files, nb)` runs one sanitised notebook in a sandbox, in
    place, and returns its runner.Execution: by default on a kernel of this machine's KernelPool
    (the Dask backend passes its own). Everything else, and all writing, happens here."""
    started = time.monotonic()
    assignment = task.name
    outcome = Outcome(student)
    submitted = course.folder("submitted", student, assignment)
    files = submission_files(course, assignment, student)
    graded = {}
    try:
        timestamp = course.coursedir.get_existing_timestamp(str(submitted))
    except Exception:  # noqa: BLE001 -- nbgrader raises its own error type for an unreadable timestamp
        timestamp, outcome.flags = None, ["timestamp.txt is not a valid time"]
    for name in task.notebooks:
        path = submitted / f"{name}.ipynb"
        if not path.exists():
            graded[name] = None
            outcome.worsen("graded", f"{name}.ipynb was not handed in")
            continue
        resources = _resources(course, assignment, student, name, submitted)
        try:
            nb = _apply(_preprocessors(course.config, "sanitize_preprocessors"), nbformat.read(path, as_version=4),
                        resources)
        except Exception as problem:  # noqa: BLE001 -- any unreadable or malformed notebook scores 0
            graded[name] = None
            outcome.worsen("failed", f"{name}.ipynb could not be graded: {str(problem).splitlines()[0][:200]}")
            continue
        outcome.flags += _scan(nb, name, task.module_names)
        execution = await (execute or _execute)(pool, settings, course.config, files, nb)
        if execution.died and execution.out_of_memory:
            execution.reason += f" (it used more than the {settings.memory_bytes // 2**20} MB of memory allowed)"
        if execution.tampering:
            outcome.flags.append(f"tampering in {name}: {execution.tampering}")
        outcome.worsen(execution.status, execution.reason and f"{name}: {execution.reason}")
        outcome.warnings += [f"{name}/{warning}" for warning in execution.warnings]
        if integrity.scrub_leaks(nb, task.hidden_lines):
            outcome.flags.append(f"hidden test code in the output of {name}: removed")
        graded[name] = _apply(_preprocessors(course.config, "autograde_preprocessors"), nb, resources)
    _write_autograded(course.folder("autograded", student, assignment), files, graded)
    gradebook_writer.record(course, assignment, student, timestamp, graded)
    outcome.seconds = time.monotonic() - started
    return outcome


async def _execute(pool: KernelPool, settings: kernel.Settings, config, files: dict[str, Path], nb) -> runner.Execution:
    sandboxed = await pool.get()
    try:
        if sandboxed.setup_error:
            raise GraderError(sandboxed.setup_error)
        kernel.stage_files(sandboxed, files)
        problem = await kernel.run_trusted(sandboxed, kernel.copy_staging_code(sandboxed, settings), timeout=120)
        if problem:
            raise GraderError(f"could not copy the submission into the sandbox: {problem}")
        execution = await runner.execute(sandboxed, nb, settings, config)
    finally:
        out_of_memory = await pool.release(sandboxed)
    execution.out_of_memory = out_of_memory
    return execution


def _write_autograded(target: Path, files: dict[str, Path], notebooks: dict) -> None:
    """Replaces autograded/<student>/<assignment>/ as a whole, as `nbgrader autograde --force` does."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}-"))
    for name, source in files.items():
        (fresh / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, fresh / name)
    for name, nb in notebooks.items():
        if nb is not None:
            nbformat.write(nb, fresh / f"{name}.ipynb")
    fresh.chmod(0o755)
    old = target.with_name(f".{target.name}-old")
    if target.exists():
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
