"""Grades one student's submission of an assignment: nbgrader's sanitising, sandboxed execution
(twice: without hidden tests in the student's kernel for what the learner sees, and the course's
code with the whole tests in a clean kernel for the scores, verdict.py), nbgrader's
post-processing, then autograded/ and the gradebook.
prepare() and record() are the trusted side; run() only executes (see the boundary below)."""
import asyncio
import copy
import datetime
import itertools
import os
import shutil
import stat
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.converters import Autograde
from traitlets import import_item

from autograder.course import gradebook_writer
from autograder.course.coursedir import Course, submission_files
from autograder.judging import integrity, runner, sanitize, scoring, verdict
from autograder.kernels import kernel, kernel_template, sandbox
from autograder.pages import hiding
from autograder.reasons import HIDDEN_FAILED, reason

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
    trusted_sources: set[str] = field(default_factory=set)   # code cells of its source notebooks
    answer_names: set[str] = field(default_factory=set)       # what its solutions set (verdict.answer_names)

    def kernels_per_submission(self) -> int:
        """Each notebook runs twice: in the student's kernel and in a clean one (see run())."""
        return 2 * len(self.notebooks)


class GraderError(Exception):
    """Grading itself broke (not the student's code): the submission scores 0 with the reason."""


@dataclass
class Outcome:
    student: str
    status: str = "graded"
    reasons: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None   # set when grading itself failed; the submission scored 0

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
    with its imports done while the previous one was running. Kernels are forked from their slot's
    pre-imported template where that can be done (kernel_template.py), else started from scratch;
    `kernels` says which, and why."""

    def __init__(self, settings: kernel.Settings, workspace: Path, warmup: str, size: int, needed: int):
        self.settings, self.workspace, self.warmup = settings, workspace, warmup
        self.numbers = itertools.count()
        # at most `size` running plus `size` warming
        self.free_uids, self.slot_locks = sandbox.claim_slots(2 * size + 1)
        self.templates: dict[int, kernel_template.Template] = {}
        self.from_scratch = kernel_template.available(settings)   # why not from templates, or None
        self.to_start = needed
        self.ready: list[asyncio.Task] = []
        # A forked kernel is ready within half a second, so half as many waiting will do; every slot
        # used costs a template's imports (more than a notebook's run).
        for _ in range(min(size if self.from_scratch else max(1, size // 2), needed)):
            self._spawn()

    @property
    def kernels(self) -> str:
        return f"started from scratch: {self.from_scratch}" if self.from_scratch else "forked from templates"

    def _spawn(self) -> None:
        self.to_start -= 1
        # The slot freed last comes first: its template is started already, the others may never be.
        self.ready.append(asyncio.ensure_future(self._start(next(self.numbers), self.free_uids.pop())))

    async def _start(self, number: int, slot: int) -> kernel.Kernel:
        template = await self._template(slot) if self.from_scratch is None else None
        if template is not None:
            forked = await kernel.start_forked(self.settings, template, number, self.warmup)
            if forked.setup_error is None:
                return forked
            # Whatever went wrong, this kernel starts from scratch; the slot gets a new template.
            await kernel.stop(forked)
            await self._discard(slot)
        return await kernel.start(self.settings, self.workspace, number, slot, self.warmup)

    async def _template(self, slot: int) -> kernel_template.Template | None:
        template = self.templates.get(slot)
        if template is not None and not kernel_template.usable(template):
            await self._discard(slot)
            template = None
        if template is None:
            try:
                template = await kernel_template.start(self.settings, self.workspace, slot, self.warmup,
                                                       self.settings.max_processes)
            except Exception as problem:  # noqa: BLE001 -- kernels start from scratch instead, and the run says why
                self.from_scratch = f"a kernel template did not start ({problem})"
                return None
            self.templates[slot] = template
        return template

    async def _discard(self, slot: int) -> None:
        template = self.templates.pop(slot, None)
        if template is not None:
            await kernel_template.discard(template)

    async def get(self) -> kernel.Kernel:
        if not self.ready:   # more runs than foreseen (a notebook with hidden tests runs twice)
            self._spawn()
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
        for slot in list(self.templates):
            await self._discard(slot)
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


# The boundary between the trusted grader and the execution of student code (which a cluster may
# run on another machine): prepare() and record() read and write the course; run() sees only the
# plain, picklable Submission it is given and returns a Result of the same kind.

@dataclass
class Submission:
    """One student's work, read and sanitised by the trusted side."""
    student: str
    notebooks: dict[str, object | None]     # name -> sanitised notebook, None when there is none to run
    files: dict[str, Path]                   # the other files beside the notebooks (regular files only)
    timestamp: datetime.datetime | None
    outcome: Outcome


@dataclass
class Result:
    """What execution found: the notebooks as the learner may see them (their outputs come from a run
    without hidden tests) and each test cell's score (from the run with them)."""
    student: str
    notebooks: dict[str, object | None]
    scores: dict[str, dict[str, float]]     # notebook -> grade_id -> points of the test cells
    files: dict[str, Path]
    timestamp: datetime.datetime | None
    outcome: Outcome
    sandboxed: bool = True   # without a sandbox the kernel could read source/ itself


def _refuse_links(course: Course, path: Path) -> str | None:
    """The first link among `path` and the folders between it and the course, or None."""
    for part in [path, *path.parents]:
        if part == course.root or course.root not in part.parents:
            break
        if part.is_symlink():
            return str(part.relative_to(course.root))
    return None


def _read_notebook(path: Path):
    """The notebook at `path`, which must be a regular file: never a link followed as root."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise NotRegular(str(path))
        return nbformat.reads(handle.read().decode("utf-8"), as_version=4)


def _not_regular(folder: Path, notebooks: set[str]) -> list[str]:
    """Everything below `folder` but the notebooks (judged apart) that is neither a regular file nor
    a folder: such files are left out of the copy given to the sandbox, and named."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        for entry in dirnames + filenames:
            path = Path(dirpath) / entry
            relative = str(path.relative_to(folder))
            mode = path.lstat().st_mode
            if relative not in notebooks and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                found.append(relative)
    return sorted(found)


class NotRegular(Exception):
    pass


def prepare(course: Course, task: Assignment, student: str) -> Submission:
    assignment = task.name
    outcome = Outcome(student)
    submitted = course.folder("submitted", student, assignment)
    notebooks = {}
    link = _refuse_links(course, submitted)
    if link:
        outcome.flags.append(reason("flag_not_regular", path=link))
        outcome.worsen("failed", reason("not_regular", path=link))
        return Submission(student, {name: None for name in task.notebooks}, {}, None, outcome)
    files = submission_files(course, assignment, student)
    for other in _not_regular(submitted, {f"{name}.ipynb" for name in task.notebooks}):
        outcome.flags.append(reason("flag_not_regular", path=other))
        outcome.worsen("graded", reason("not_regular", path=other))
    timestamp = None
    stamp = submitted / "timestamp.txt"
    if stamp.is_symlink() or (stamp.exists() and not stamp.is_file()):   # a pipe would block reading it
        outcome.flags.append(reason("flag_not_regular", path="timestamp.txt"))
    else:
        try:
            timestamp = course.coursedir.get_existing_timestamp(str(submitted))
        except Exception:  # noqa: BLE001 -- nbgrader raises its own error type for an unreadable timestamp
            outcome.flags.append(reason("flag_timestamp"))
    for name in task.notebooks:
        path = submitted / f"{name}.ipynb"
        notebooks[name] = None
        if not path.exists() and not path.is_symlink():
            outcome.worsen("graded", reason("not_handed_in", notebook=name))
            continue
        try:
            nb = _read_notebook(path)
        except (NotRegular, OSError) as problem:
            if isinstance(problem, NotRegular) or path.is_symlink() or not path.is_file():
                outcome.flags.append(reason("flag_not_regular", path=f"{name}.ipynb"))
                outcome.worsen("failed", reason("not_regular", path=f"{name}.ipynb"))
                continue
            outcome.worsen("failed", reason("unreadable", notebook=name, problem=str(problem).splitlines()[0][:200]))
            continue
        except Exception as problem:  # noqa: BLE001 -- any malformed notebook scores 0
            outcome.worsen("failed", reason("unreadable", notebook=name, problem=str(problem).splitlines()[0][:200]))
            continue
        try:
            notebooks[name] = _apply(_preprocessors(course.config, "sanitize_preprocessors"), nb,
                                     _resources(course, assignment, student, name, submitted))
        except Exception as problem:  # noqa: BLE001 -- any unreadable or malformed notebook scores 0
            outcome.worsen("failed", reason("unreadable", notebook=name, problem=str(problem).splitlines()[0][:200]))
    return Submission(student, notebooks, files, timestamp, outcome)


def _scan(nb, name: str, module_names: set[str], trusted: set[str]) -> list[str]:
    """Every code cell that runs and is not the trainer's own code (answer cells, cells the student added)."""
    flags = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and not runner.is_test(cell) and cell.source not in trusted:
            found = integrity.scan(cell.source, module_names)
            if found:
                label = cell.metadata.get("nbgrader", {}).get("grade_id") or f"cell {index}"
                flags.append(reason("flag_suspicious", notebook=name, cell=label, found=", ".join(found)))
    return flags


def _strip_hidden_tests(nb) -> dict[int, str]:
    """Removes the hidden tests from the test cells, as nbgrader does for the student version;
    returns the full sources to put back."""
    originals = {}
    for index, cell in enumerate(nb.cells):
        hidden = hiding.hidden_lines(cell.source) if runner.is_test(cell) else set()
        if hidden:
            originals[index] = cell.source
            cell.source = "\n".join(line for number, line in enumerate(cell.source.splitlines(), start=1)
                                    if number not in hidden)
    return originals


def _scores(nb) -> dict[str, float]:
    return {cell.metadata.nbgrader["grade_id"]: scoring.cell_grade(cell)[0] for cell in nb.cells if runner.is_test(cell)}


def _note(outcome: Outcome, name: str, execution: runner.Execution, settings: kernel.Settings) -> None:
    if execution.died and execution.out_of_memory:
        execution.reason += reason("out_of_memory", mb=settings.memory_bytes // 2**20)
    if execution.tampering:
        outcome.flags.append(reason("flag_tampering", notebook=name, problem=execution.tampering))
    if execution.broken:
        outcome.flags.append(reason("flag_execution", notebook=name, problem=execution.broken))
    outcome.worsen(execution.status, execution.reason and f"{name}: {execution.reason}")
    for problem in execution.unscorable:
        outcome.flags.append(reason("flag_unscorable", notebook=name, problem=problem))
        outcome.worsen("graded", f"{name}: {problem}")


async def run(submission: Submission, task: Assignment, pool: KernelPool, settings: kernel.Settings,
              config, execute=None) -> Result:
    """Judges the submission's notebooks (verdict.py): `execute(pool, settings, config, files, shown,
    whole, plan)` runs the notebook without its hidden tests in the student's kernel (`shown`: what
    the learner sees) and the course's code with the whole tests in a clean kernel (`whole`: the
    scores), by default on kernels of this machine's KernelPool (the Dask backend passes its own,
    with its cluster as the pool)."""
    outcome = submission.outcome
    execute = execute or _judge
    notebooks, scores = {}, {}
    for name, nb in submission.notebooks.items():
        notebooks[name] = nb
        if nb is None:
            continue
        outcome.flags += _scan(nb, name, task.module_names, task.trusted_sources)
        whole = copy.deepcopy(nb)
        the_plan = verdict.plan(whole, task.trusted_sources, task.answer_names, config)
        originals = _strip_hidden_tests(nb)
        shown, judged = await execute(pool, settings, config, submission.files, nb, whole, the_plan)
        _note(outcome, name, judged, settings)
        _note(outcome, name, shown, settings)
        outcome.warnings += [f"{name}/{warning}" for warning in shown.warnings]
        for index, source in originals.items():
            nb.cells[index].source = source
        shown_scores = _scores(nb)
        # A test counts only as far as it passed in both runs: the student's kernel can only lower a score.
        scores[name] = {grade_id: min(points, shown_scores[grade_id]) for grade_id, points in _scores(whole).items()}
        for cell in nb.cells:
            if runner.is_test(cell) and shown_scores[cell.metadata.nbgrader["grade_id"]] > \
                    scores[name][cell.metadata.nbgrader["grade_id"]]:
                runner.mark_failed(cell, HIDDEN_FAILED, reason("hidden_failed"))
    outcome.flags = list(dict.fromkeys(outcome.flags))
    outcome.reasons = list(dict.fromkeys(outcome.reasons))
    return Result(submission.student, notebooks, scores, submission.files, submission.timestamp, outcome,
                  settings.sandboxed)


def record(course: Course, task: Assignment, result: Result) -> None:
    """Writes autograded/<student>/<assignment>/ and the gradebook (trusted side)."""
    graded = {}
    for name, nb in result.notebooks.items():
        if nb is not None:
            nb = _apply(_preprocessors(course.config, "autograde_preprocessors"), nb,
                        _resources(course, task.name, result.student, name,
                                   course.folder("submitted", result.student, task.name)))
            sanitize.clean_notebook(nb, task.trusted_sources)
            # Set here, never taken from the submission: its outputs never saw a hidden test (unless
            # the kernel could read source/ for itself).
            nb.metadata["autograder"] = {"outputs_without_hidden_tests": result.sandboxed}
        graded[name] = nb
    _write_autograded(course.folder("autograded", result.student, task.name), result.files, graded)
    gradebook_writer.record(course, task.name, result.student, result.timestamp, graded, result.scores)


def failed_result(task: Assignment, student: str, outcome: Outcome, problem: Exception) -> Result:
    """Nothing of the submission counts: every test scores 0, with the reason."""
    outcome.error = f"{type(problem).__name__}: {str(problem)[:300]}"
    outcome.worsen("failed", reason("grader_error", problem=outcome.error))
    return Result(student, {name: None for name in task.notebooks}, {}, {}, None, outcome)


async def grade(course: Course, task: Assignment, student: str, pool: KernelPool, settings: kernel.Settings,
                execute=None) -> Outcome:
    """Grades one submission; it always ends with a recorded grade (0 for what could not be graded)
    and a reason. Raises only when not even that could be written (the gradebook is broken)."""
    started = time.monotonic()
    outcome = Outcome(student)
    try:
        # Reading runs beside the event loop, so that the other submissions' kernels are not kept
        # waiting for their next cell meanwhile. Recording stays in it: Ctrl-C (which cancels at
        # an await) then finds each submission either recorded and counted as done, or neither.
        submission = await asyncio.to_thread(prepare, course, task, student)
        outcome = submission.outcome
        result = await run(submission, task, pool, settings, course.config, execute)
        record(course, task, result)
    except Exception as problem:  # noqa: BLE001 -- an old grade must never survive a failed regrade
        record(course, task, failed_result(task, student, outcome, problem))
    outcome.seconds = time.monotonic() - started
    return outcome


async def _judge(pool: KernelPool, settings: kernel.Settings, config, files: dict[str, Path], shown_nb, whole,
                 the_plan: verdict.Plan) -> tuple[runner.Execution, runner.Execution]:
    """The feedback run in the student's kernel, then the verdict run in a clean one, which may ask
    the student's kernel (still alive, its outputs all recorded) to call the answer's functions."""
    student, judge = await pool.get(), None
    try:
        await _stage(student, settings, files)

        async def capture(client, index: int) -> None:
            await verdict.capture(client, student, the_plan, index, settings.timeout)
        shown = await runner.execute(student, shown_nb, settings, config, before=capture)
        judge = await pool.get()
        await _stage(judge, settings, files)
        judged = await verdict.run(student, judge, whole, the_plan, settings, config)
    finally:
        # Both at once: each waits until nothing of its sandbox is left.
        used = [student] if judge is None else [student, judge]
        out_of_memory = await asyncio.gather(*(pool.release(each) for each in used))
    shown.out_of_memory, judged.out_of_memory = out_of_memory
    return shown, judged


async def _stage(sandboxed: kernel.Kernel, settings: kernel.Settings, files: dict[str, Path]) -> None:
    if sandboxed.setup_error:
        raise GraderError(sandboxed.setup_error)
    kernel.stage_files(sandboxed, files)
    problem = await kernel.run_trusted(sandboxed, kernel.copy_staging_code(sandboxed, settings), timeout=120)
    if problem:
        raise GraderError(reason("copy_failed", problem=problem))


def _copy_regular(source: Path, target: Path) -> None:
    """Copies a file that must still be a regular file: a link put in its place meanwhile is not followed."""
    try:
        descriptor = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return
    with os.fdopen(descriptor, "rb") as handle, open(target, "wb") as copy_:
        if stat.S_ISREG(os.fstat(descriptor).st_mode):
            shutil.copyfileobj(handle, copy_)


def _write_autograded(target: Path, files: dict[str, Path], notebooks: dict) -> None:
    """Replaces autograded/<student>/<assignment>/ as a whole, as `nbgrader autograde --force` does."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}-"))
    for name, source in files.items():
        (fresh / name).parent.mkdir(parents=True, exist_ok=True)
        _copy_regular(source, fresh / name)
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
