"""`autograder grade ASSIGNMENT`: grades every (or each named) submission in parallel, each in its
own sandbox, into nbgrader's gradebook and autograded/, with a progress bar and a summary."""
import asyncio
import importlib.util
import os
import shutil
import sys
import tempfile
from pathlib import Path

from nbgrader.api import Gradebook
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import coursedir, fresh_data, integrity, limits, runrecord, sandbox
from .cli import UserError
from .coursedir import Course, add_course_argument
from .grading import Assignment, KernelPool, Outcome, grade
from .kernel import Settings

NAME = "grade"
HELP = "grade submissions in parallel, each in its own sandbox, into nbgrader's gradebook"


def add_arguments(parser) -> None:
    parser.add_argument("assignment", help="the assignment's name, as in source/ and the gradebook")
    add_course_argument(parser)
    parser.add_argument("--student", nargs="+", metavar="ID", help="grade only these students")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="submissions graded at once (default: all cores)")
    parser.add_argument("--timeout", type=int, help="seconds per cell (default: nbgrader's Execute.timeout, 30)")
    parser.add_argument("--submission-timeout", type=int, default=600, help="CPU and wall seconds per notebook (default 600)")
    parser.add_argument("--memory", type=int, default=2048, metavar="MB", help="memory for a whole submission (default 2048)")
    parser.add_argument(sandbox.UNSAFE_FLAG, dest="unsafe", action="store_true",
                        help="grade without a sandbox where none is possible: student code then runs with YOUR rights")
    fresh_data.add_argument(parser)


def _describe(course: Course, name: str, notebooks: list[str]) -> tuple[Assignment, str]:
    """The assignment as its trusted source shows it, and the kernels' warm-up code: they import
    the modules the assignment's own notebooks import while they wait."""
    sources = coursedir.source_code(course, name)
    modules, aliases = integrity.imports(sources)
    task = Assignment(name=name, notebooks=notebooks, hidden_lines=integrity.hidden_test_lines(sources),
                      module_names={alias for alias, target in aliases.items() if ":" not in target})
    return task, integrity.guard_code([m for m in modules if _importable(m)], aliases)


def _importable(module: str) -> bool:
    """Whether the kernels can import it; only the top-level package is looked up, since looking
    up `sklearn.linear_model` would import scikit-learn into the grader."""
    try:
        return importlib.util.find_spec(module.split(".")[0]) is not None
    except (ImportError, ValueError):
        return False


def run(args) -> int:
    if args.workers < 1:
        raise UserError("--workers must be at least 1")
    seed = None if args.fresh_data is None else fresh_data.seed_from(args.fresh_data)
    course = Course.open(args.course)
    notebooks = coursedir.assignment_notebooks(course, args.assignment)
    students = coursedir.students(course, args.assignment, args.student)
    timeout = args.timeout or course.config.get("Execute", {}).get("timeout", 30)
    workspace = Path(tempfile.mkdtemp(prefix="autograder-"))
    workspace.chmod(0o711)   # the sandboxes' uids may pass through, not look around
    try:
        sandboxed = sandbox.require_sandbox(args.unsafe, workspace)
        if sandboxed and not (sandbox.as_root() and limits.available()):
            print(f"Note: no cgroups can be made here, so the {args.memory} MB memory limit applies to each "
                  "process of a submission, not to all of them together.", file=sys.stderr)
        if seed is not None:
            course = fresh_data.use_fresh_data(course, args.assignment, seed, workspace)
        task, warmup = _describe(course, args.assignment, notebooks)
        settings = Settings(timeout=timeout, submission_seconds=args.submission_timeout,
                            memory_bytes=args.memory * 2**20, sandboxed=sandboxed)
        outcomes = asyncio.run(_grade_all(course, task, students, settings, workspace, warmup,
                                          min(args.workers, len(students))))
    finally:
        shutil.rmtree(workspace, ignore_errors=True)
    entries = {o.student: o.entry() for o in outcomes if o.error is None}
    runrecord.merge(course.root, args.assignment, entries if seed is None else fresh_data.mark(entries, seed))
    _summary(course, args.assignment, outcomes)
    if seed is not None:
        print(f"Graded on fresh data, seed {seed}; `--fresh-data {seed}` grades on the same data again.")
    return 1 if any(o.error for o in outcomes) else 0


async def _grade_all(course, task: Assignment, students, settings, workspace, warmup, workers) -> list[Outcome]:
    pool = KernelPool(settings, workspace, warmup, workers, needed=len(students) * len(task.notebooks))
    slots = asyncio.Semaphore(workers)
    console = Console(stderr=True)
    with Progress(TextColumn("grading {task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=False) as progress:
        bar = progress.add_task(task.name, total=len(students))

        async def one(student: str) -> Outcome:
            async with slots:
                try:
                    outcome = await grade(course, task, student, pool, settings)
                except Exception as problem:  # noqa: BLE001 -- one broken submission must not stop the others
                    outcome = Outcome(student, status="failed", error=str(problem))
                    outcome.reasons.append(f"grader error: {problem}")
                progress.advance(bar)
                return outcome
        try:
            return list(await asyncio.gather(*(one(s) for s in students)))
        finally:
            await pool.close()


def _summary(course, assignment: str, outcomes: list[Outcome]) -> None:
    with Gradebook(course.db_url, course.course_id) as gb:
        manual = {o.student for o in outcomes if o.error is None
                  and gb.find_submission(assignment, o.student).needs_manual_grade}
    console = Console()
    table = Table(title=f"{assignment}: {len(outcomes)} submission{'' if len(outcomes) == 1 else 's'}")
    for column in ("graded", "failed", "timed out", "flagged", "waiting for manual grading"):
        table.add_column(column, justify="right")
    count = {status: sum(o.status == status for o in outcomes) for status in ("graded", "failed", "timeout")}
    table.add_row(str(count["graded"]), str(count["failed"]), str(count["timeout"]),
                  str(sum(bool(o.flags) for o in outcomes)), str(len(manual)))
    console.print(table)
    for outcome in outcomes:
        if outcome.status != "graded" or outcome.flags or outcome.error:
            details = "; ".join(outcome.reasons + outcome.flags)
            console.print(f"  {outcome.student}: {outcome.status}: {details}", highlight=False, markup=False)
    if any(o.error for o in outcomes):
        print("Some submissions could not be graded (see 'grader error' above); their old grades are unchanged.",
              file=sys.stderr)
    print(f"Grades are in the gradebook and {course.coursedir.autograded_directory}/; "
          f"the run record is {runrecord.path(course.root, assignment)}")
