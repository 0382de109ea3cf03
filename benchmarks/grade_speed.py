"""Wall time of plain `nbgrader autograde` against `autograder grade` (sandboxed, parallel) on 40
realistic submissions of the course's pandas + scikit-learn exercise (05-first-model), with kernels
forked from pre-imported templates and (for comparison) with every kernel started from scratch
(`--fresh-kernels`); with --cluster also `autograder grade --scheduler` on a local Dask cluster of 2 worker processes with
the same number of notebooks at once, which shows what Dask adds per submission.
Run by hand, never in the test suite:  .venv/bin/python benchmarks/grade_speed.py [--students 40] [--cluster]

Each submission is the exercise's solution with some answers left as the student version's stub
(seeded), so scores vary as in a real class. Both graders get identical copies of the course."""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from coursebuild.course import build_course, nbgrader_env, notebook_file
from coursebuild.datasets import write_all

ASSIGNMENT = "05-first-model"
NOTEBOOK = notebook_file(ASSIGNMENT)


def submissions(course: Path, count: int, seed: int = 5) -> None:
    rng = random.Random(seed)
    solution = nbformat.read(course / "source" / ASSIGNMENT / NOTEBOOK, as_version=4)
    release = nbformat.read(course / "release" / ASSIGNMENT / NOTEBOOK, as_version=4)
    stubs = {c.metadata["nbgrader"]["grade_id"]: c.source for c in release.cells
             if c.metadata.get("nbgrader", {}).get("solution")}
    for number in range(count):
        nb = nbformat.read(course / "source" / ASSIGNMENT / NOTEBOOK, as_version=4)
        skill = rng.random()
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in stubs:
                cell.source = solution_or_stub(cell, stubs[grade_id], rng.random() < 0.4 + 0.6 * skill)
            elif cell.metadata.get("nbgrader", {}).get("locked"):
                cell.source = next(c.source for c in release.cells
                                   if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
        folder = course / "submitted" / f"student{number:02d}" / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / NOTEBOOK)


def solution_or_stub(cell, stub: str, solved: bool) -> str:
    """The solution without nbgrader's markers (as a student would write it), or the stub."""
    if not solved:
        return stub
    return "\n".join(line for line in cell.source.splitlines() if "### BEGIN SOLUTION" not in line
                     and "### END SOLUTION" not in line)


CPU_SECONDS: dict[str, float] = {}   # command -> CPU seconds of it and everything it started
CPUACCT = Path("/sys/fs/cgroup/cpuacct")


def timed(command: list[str], cwd: Path) -> float:
    """Wall seconds; where a cgroup v1 cpuacct hierarchy is writable (as root) also the CPU seconds of
    the command and all its processes, which other jobs on the machine hardly change."""
    group = CPUACCT / f"grade-speed-{os.getpid()}-{len(CPU_SECONDS)}"
    try:
        group.mkdir()
        command = ["/bin/sh", "-c", f'echo $$ > {group}/cgroup.procs && exec "$@"', "sh", *command]
    except OSError:
        group = None
    started = time.monotonic()
    result = subprocess.run(command, cwd=cwd, env=nbgrader_env(), capture_output=True, text=True)
    seconds = time.monotonic() - started
    if group is not None:
        CPU_SECONDS[" ".join(command)] = int((group / "cpuacct.usage").read_text()) / 1e9
        for _ in range(100):   # the last processes of a sandbox may take a moment to leave
            try:
                group.rmdir()
                break
            except OSError:
                time.sleep(0.1)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command[:4])} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return seconds


def cpu_note() -> str:
    seconds = list(CPU_SECONDS.values())
    return f"; {seconds[-1]:.0f} CPU-s" if seconds else ""


def scores(course: Path, course_id: str) -> dict[str, float]:
    with Gradebook(f"sqlite:///{course}/gradebook.db", course_id) as gb:
        return {s.student.id: s.score for s in gb.assignment_submissions(ASSIGNMENT)}


def grade_command(course: Path, workers: int, *extra: str) -> list[str]:
    return [sys.executable, "-c", "import sys; from autograder.cli import main; sys.exit(main())",
            "grade", ASSIGNMENT, "--course", str(course), "--workers", str(workers), *extra]


def on_local_cluster(course: Path, workers: int) -> float:
    """`grade --scheduler` on 2 worker processes with `workers` threads in all (as many notebooks at
    once as the local run), after the workers are up (a real cluster is started once, not per run)."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=max(1, workers // 2), host="127.0.0.1",
                      dashboard_address=None) as cluster:
        return timed(grade_command(course, workers, "--scheduler", cluster.scheduler_address), course)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--cluster", action="store_true", help="also grade on a local Dask cluster of 2 workers")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        ours = scratch / "ours"
        build_course(ours, "de", write_all(scratch / "data"), only=[ASSIGNMENT])
        submissions(ours, args.students)
        plain, clustered, scratch_kernels = scratch / "plain", scratch / "cluster", scratch / "fresh-kernels"
        shutil.copytree(ours, plain)
        shutil.copytree(ours, scratch_kernels)
        if args.cluster:
            shutil.copytree(ours, clustered)
        print(f"{args.students} submissions of {ASSIGNMENT}, {os.cpu_count()} cores, load average "
              f"{os.getloadavg()[0]:.1f} at the start")
        nbgrader_seconds = timed([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT, "--force"], plain)
        print(f"plain nbgrader autograde:      {nbgrader_seconds:6.1f} s{cpu_note()}")
        ours_seconds = timed(grade_command(ours, args.workers), ours)
        print(f"autograder grade (sandboxed):  {ours_seconds:6.1f} s  ({args.workers} workers{cpu_note()})")
        print(f"ratio: {nbgrader_seconds / ours_seconds:.2f}x faster")
        fresh_seconds = timed(grade_command(scratch_kernels, args.workers, "--fresh-kernels"), scratch_kernels)
        print(f"autograder grade --fresh-kernels: {fresh_seconds:6.1f} s  (every kernel imports for itself; "
              f"{nbgrader_seconds / fresh_seconds:.2f}x nbgrader's speed{cpu_note()})")
        if len(CPU_SECONDS) == 3:
            plain_cpu, ours_cpu, fresh_cpu = CPU_SECONDS.values()
            # nbgrader runs one notebook at a time (one core); ours spreads over the workers' cores
            print(f"CPU seconds: nbgrader {plain_cpu:.0f}, ours {ours_cpu:.0f}, ours --fresh-kernels {fresh_cpu:.0f}; "
                  f"on an otherwise idle machine that is about {plain_cpu / (ours_cpu / min(args.workers, os.cpu_count())):.1f}x "
                  f"(--fresh-kernels {plain_cpu / (fresh_cpu / min(args.workers, os.cpu_count())):.1f}x) nbgrader's speed")
        course_id = "daten-ki-gemeinwohl-de"
        theirs = scores(plain, course_id)
        graded = {"autograder grade": ours, "autograder grade --fresh-kernels": scratch_kernels}
        if args.cluster:
            cluster_seconds = on_local_cluster(clustered, args.workers)
            per_submission = (cluster_seconds - ours_seconds) * args.workers / args.students
            print(f"autograder grade --scheduler:  {cluster_seconds:6.1f} s  (2 Dask workers, {args.workers} threads)")
            print(f"cluster / local: {cluster_seconds / ours_seconds:.2f}x the wall time; Dask adds "
                  f"{per_submission:+.2f} s per submission and slot ({ours_seconds * args.workers / args.students:.2f} s "
                  "per submission and slot locally)")
            graded["autograder grade --scheduler"] = clustered
        for name, course in graded.items():
            mine = scores(course, course_id)
            differ = {s: (theirs[s], mine[s]) for s in theirs if theirs[s] != mine.get(s)}
            print(f"scores of {name}: {len(theirs) - len(differ)} of {len(theirs)} identical to nbgrader's"
                  + (f"; different (nbgrader, ours): {differ}" if differ else ""))
        print(f"load average {os.getloadavg()[0]:.1f} at the end (other jobs on the machine slow both sides)")


if __name__ == "__main__":
    main()
