"""`autograder grade ASSIGNMENT`: grades every (or each named) submission in parallel, each in its
own sandbox, into nbgrader's gradebook and autograded/, with a progress bar and a summary.

Ctrl-C stops grading: what was graded is recorded (gradebook and run.json agree), one line in the
course's language says what is left, and `--only-ungraded` goes on with the rest: every submission
without a grade in run.json, or handed in again since it was graded."""
import asyncio
import importlib.util
import os
import shlex
import shutil
import sys
import tempfile
import time
from pathlib import Path

from nbgrader.api import Gradebook
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from autograder.cli import UserError
from autograder.cluster import client as cluster
from autograder.course import coursedir, fresh_data, names, runrecord
from autograder.course.coursedir import Course, add_course_argument
from autograder.i18n import N_, translator
from autograder.judging import answers, integrity, verdict
from autograder.judging.grading import Assignment, KernelPool, Outcome, grade
from autograder.kernels import limits, sandbox
from autograder.kernels.kernel import Settings
from autograder.reasons import reason, translate

NAME = "grade"
HELP = "grade submissions in parallel, each in its own sandbox, into nbgrader's gradebook"
LONG = 30   # seconds after which the progress bar names a submission still running
STATUS = {"graded": N_("graded"), "failed": N_("failed"), "timeout": N_("timed out")}


def add_arguments(parser) -> None:
    parser.add_argument("assignment", help="the assignment's name, as in source/ and the gradebook")
    add_course_argument(parser)
    parser.add_argument("--student", nargs="+", metavar="ID", help="grade only these students")
    parser.add_argument("--only-ungraded", action="store_true",
                        help="skip submissions already graded (e.g. after Ctrl-C); handed-in-again ones are graded")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="submissions graded at once (default: all cores)")
    parser.add_argument("--timeout", type=int, help="seconds per cell (default: nbgrader's Execute.timeout, 30)")
    parser.add_argument("--submission-timeout", type=int, default=600, help="CPU and wall seconds per notebook (default 600)")
    parser.add_argument("--memory", type=int, default=2048, metavar="MB", help="memory for a whole submission (default 2048)")
    parser.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                        help="run the notebooks on the workers of this Dask cluster (the gradebook and "
                             "autograded/ are still written here only)")
    parser.add_argument("--fresh-kernels", action="store_true",
                        help="start every kernel from scratch instead of forking it from a pre-imported template (slower)")
    parser.add_argument(sandbox.UNSAFE_FLAG, dest="unsafe", action="store_true",
                        help="grade without a sandbox where none is possible: student code then runs with YOUR rights")
    fresh_data.add_argument(parser)


def _describe(course: Course, name: str, notebooks: list[str]) -> tuple[Assignment, str]:
    """The assignment as its trusted source shows it, and the kernels' warm-up code: they import
    the modules the assignment's own notebooks import while they wait."""
    sources = coursedir.source_code(course, name)
    modules, aliases = integrity.imports(sources)
    task = Assignment(name=name, notebooks=notebooks, hidden_lines=integrity.hidden_test_lines(sources),
                      module_names={alias for alias, target in aliases.items() if ":" not in target},
                      trusted_sources=set(sources), answer_names=verdict.answer_names(sources))
    return task, answers.kernel_code() + integrity.guard_code([m for m in modules if _importable(m)], aliases)


def _importable(module: str) -> bool:
    """Whether the kernels can import it; only the top-level package is looked up, since looking
    up `sklearn.linear_model` would import scikit-learn into the grader."""
    try:
        return importlib.util.find_spec(module.split(".")[0]) is not None
    except (ImportError, ValueError):
        return False


def _handed_in(course: Course, assignment: str, student: str) -> str | None:
    """The submission's timestamp.txt: a new one means it was handed in again."""
    try:
        return (course.folder("submitted", student, assignment) / "timestamp.txt").read_text(encoding="utf-8").strip()
    except OSError:
        return None


def _handed_in_again(course: Course, assignment: str, students: list[str]) -> list[str]:
    """Students graded before whose submission has changed since (collect took a newer upload)."""
    record = runrecord.students(course.root, assignment)
    return [s for s in students if isinstance(record.get(s), dict) and record[s].get("submitted")
            and record[s]["submitted"] != _handed_in(course, assignment, s)]


def _forget_hand_grades(course: Course, assignment: str, students: list[str]) -> list[str]:
    """A hand grade belongs to the answer it was given for: a new submission is graded by hand anew.
    Returns the students whose hand grades were taken back."""
    from nbgrader.api import MissingEntry

    reset = []
    if not students:
        return reset
    with Gradebook(course.db_url, course.course_id) as gb:
        for student in students:
            try:
                submission = gb.find_submission(assignment, student)
            except MissingEntry:
                continue
            grades = [g for nb in submission.notebooks for g in nb.grades if g.manual_score is not None]
            for grade in grades:
                grade.manual_score = None
            if grades:
                reset.append(student)
        gb.db.commit()
    return reset


def _ungraded(course: Course, assignment: str, students: list[str]) -> list[str]:
    record = runrecord.students(course.root, assignment)
    return [s for s in students if (record.get(s) or {}).get("status") not in ("graded", "timeout")
            or record[s].get("submitted") != _handed_in(course, assignment, s)]


def run(args) -> int:
    if args.workers < 1:
        raise UserError(N_("--workers must be at least 1"))
    seed = None if args.fresh_data is None else fresh_data.seed_from(args.fresh_data)
    course = Course.open(args.course)
    notebooks = coursedir.assignment_notebooks(course, args.assignment)
    students = coursedir.students(course, args.assignment, args.student)
    _ = translator(course.language(args.assignment))
    if args.only_ungraded:
        students = _ungraded(course, args.assignment, students)
        if not students:
            print(_("Every submission of {assignment} is graded already.", assignment=args.assignment))
            return 0
    timeout = args.timeout or course.config.get("Execute", {}).get("timeout", 30)
    workspace = Path(tempfile.mkdtemp(prefix="autograder-"))
    workspace.chmod(0o711)   # the sandboxes' uids may pass through, not look around
    done: list[Outcome] = []
    stamps = {s: _handed_in(course, args.assignment, s) for s in students}
    reset = _forget_hand_grades(course, args.assignment, _handed_in_again(course, args.assignment, students))
    if reset:
        print(_("Handed in again since grading, so their answers are graded by hand anew: {students}",
                students=", ".join(reset)))
    try:
        # On a cluster the workers sandbox (each checks it can); this machine runs no student code.
        sandboxed = not args.unsafe if args.scheduler else sandbox.require_sandbox(args.unsafe, workspace, course.language(args.assignment))
        if sandboxed and not args.scheduler and not (sandbox.as_root() and limits.available()):
            print(_("Note: no cgroups can be made here, so the {memory} MB memory limit applies to each process of "
                    "a submission, not to all of them together.", memory=args.memory), file=sys.stderr)
        if seed is not None:
            course = fresh_data.use_fresh_data(course, args.assignment, seed, workspace)
        task, warmup = _describe(course, args.assignment, notebooks)
        settings = Settings(timeout=timeout, submission_seconds=args.submission_timeout,
                            memory_bytes=args.memory * 2**20, sandboxed=sandboxed,
                            kernel_templates=not args.fresh_kernels)
        asyncio.run(_grade_all(course, task, students, settings, workspace, warmup,
                               min(args.workers, len(students)), done, _, args.scheduler))
    except KeyboardInterrupt:
        _record(course, args.assignment, done, stamps, seed)
        left = len(students) - len([o for o in done if o.error is None])
        again = shlex.join(["autograder", "grade", args.assignment, "--course", str(args.course), "--only-ungraded",
                            *(["--fresh-data", str(seed)] if seed is not None else [])])
        print(_("Interrupted: {graded} of {total} submission(s) graded and recorded, {left} not graded. "
                "To go on with the rest: {command}", graded=len(students) - left, total=len(students), left=left,
                command=again), file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(workspace, ignore_errors=True)
    _record(course, args.assignment, done, stamps, seed)
    _summary(course, args.assignment, done, _)
    # A learner's code that crashes is a result (0 points, with its reason); a run where the grader
    # could not grade a submission, or where nothing could be graded at all, is not.
    if seed is not None:
        print(_("Graded on fresh data, seed {seed}; `--fresh-data {seed}` grades on the same data again.", seed=seed))
    return 1 if any(o.error for o in done) or all(o.status == "failed" for o in done) else 0


def _record(course: Course, assignment: str, outcomes: list[Outcome], stamps: dict, seed: int | None) -> None:
    """run.json for every submission graded (with the fresh data's seed), and the names collect found
    into the gradebook."""
    entries = {o.student: {**o.entry(), "submitted": stamps.get(o.student)} for o in outcomes}
    runrecord.merge(course.root, assignment, entries if seed is None else fresh_data.mark(entries, seed))
    registry = names.Registry.load(course.root)
    with Gradebook(course.db_url, course.course_id) as gb:
        for outcome in outcomes:
            full_name = registry.full_name(outcome.student)
            if full_name and outcome.error is None:
                first, last = names.split_name(full_name)
                gb.update_or_create_student(outcome.student, first_name=first, last_name=last)


class RunningLong(ProgressColumn):
    """Names the submissions that have been running for more than LONG seconds."""

    def __init__(self, running: dict[str, float], label: str):
        super().__init__()
        self.running, self.label = running, label

    def render(self, task) -> Text:
        now = time.monotonic()
        slow = [f"{student} ({int(now - start)} s)" for student, start in sorted(self.running.items(),
                                                                                key=lambda item: item[1])
                if now - start > LONG]
        return Text(f"{self.label}: {', '.join(slow)}" if slow else "")


async def _grade_all(course, task: Assignment, students, settings, workspace, warmup, workers,
                     done: list[Outcome], _, scheduler=None) -> None:
    """Grades into `done` as each submission finishes, so that an interrupted run knows what it graded."""
    if scheduler:
        pool, execute = await cluster.connect(scheduler, warmup), cluster.execute
        workers = pool.slots
    else:
        # Each submission under way holds two kernels (its notebook's two runs).
        pool = KernelPool(settings, workspace, warmup, 2 * workers, needed=len(students) * task.kernels_per_submission())
        execute = None
    slots = asyncio.Semaphore(workers)
    console = Console(stderr=True)
    running: dict[str, float] = {}
    with Progress(TextColumn(_("grading {assignment}", assignment=task.name)), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), RunningLong(running, _("still running")), console=console,
                  transient=False) as progress:
        bar = progress.add_task(task.name, total=len(students))

        async def one(student: str) -> None:
            async with slots:
                running[student] = time.monotonic()
                try:
                    outcome = await grade(course, task, student, pool, settings, execute)
                except Exception as problem:  # noqa: BLE001 -- one broken submission must not stop the others
                    outcome = Outcome(student, status="failed", error=str(problem))
                    outcome.reasons.append(reason("grader_error", problem=problem))
                finally:
                    running.pop(student, None)
                done.append(outcome)
                progress.advance(bar)
        try:
            await asyncio.gather(*(one(s) for s in students))
        finally:
            await pool.close()
    if not scheduler:
        runrecord.note_kernels(course.root, task.name, pool.kernels)


def _summary(course, assignment: str, outcomes: list[Outcome], _) -> None:
    with Gradebook(course.db_url, course.course_id) as gb:
        manual = {o.student for o in outcomes if o.error is None
                  and gb.find_submission(assignment, o.student).needs_manual_grade}
    console = Console()
    table = Table(title=_("{assignment}: {count} submission(s)", assignment=assignment, count=len(outcomes)))
    for column in (_(STATUS["graded"]), _(STATUS["failed"]), _(STATUS["timeout"]), _("flagged"),
                   _("waiting for manual grading")):
        table.add_column(column, justify="right")
    count = {status: sum(o.status == status for o in outcomes) for status in STATUS}
    table.add_row(str(count["graded"]), str(count["failed"]), str(count["timeout"]),
                  str(sum(bool(o.flags) for o in outcomes)), str(len(manual)))
    console.print(table)
    for outcome in sorted(outcomes, key=lambda o: o.student):
        if outcome.status != "graded" or outcome.flags or outcome.error:
            details = "; ".join(translate(text, course.language(assignment)) for text in outcome.reasons + outcome.flags)
            console.print(f"  {outcome.student}: {_(STATUS.get(outcome.status, outcome.status))}: {details}", highlight=False, markup=False)
    if any(o.error for o in outcomes):
        print(_("Some submissions could not be graded (see 'grader error' above); they score 0 until graded again."),
              file=sys.stderr)
    print(_("Grades are in the gradebook and {folder}/; the run record is {record}",
            folder=course.coursedir.autograded_directory, record=runrecord.path(course.root, assignment)))
