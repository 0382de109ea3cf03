"""`autograder grade --scheduler`: a real Dask scheduler and two workers on 127.0.0.1 (started
here, stopped after). Grading through them gives the same export as grading on this machine, and
a worker killed while it runs a notebook loses no submission and counts none twice."""
import csv
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from nbformat.v4 import new_code_cell
from nbgrader.api import Gradebook

from autograder.cli import main as autograder
from coursebuild.course import nbgrader_env
from dask_cluster import dask_cluster, start_worker, stop, wait_for_workers
from grading_helpers import (AUTOGRADER, answer, check_cell, grade, make_course, meta, notebook, require_bwrap,
                             run_record, sandbox_processes, submit)
from postgres_server import free_port

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]

# Every notebook takes a second, so that a worker can be caught in the middle of one.
SETUP = "import time\ntime.sleep(1)"
TOTAL = "def total(amounts):\n    return sum(amounts)"
COUNT = "def count_donors():\n    with open('donors.csv') as file:\n        return len(file.read().splitlines()) - 1"
WRONG_TOTAL = "def total(amounts):\n    return max(amounts)"
WRONG_COUNT = "def count_donors():\n    return 3"
# Twelve students: right, half right, the other half right, by turns.
ANSWERS = [(TOTAL, COUNT), (WRONG_TOTAL, COUNT), (TOTAL, WRONG_COUNT)]
STUDENTS = {f"s{n:02d}": ANSWERS[n % 3] for n in range(12)}
EXPECTED = {(TOTAL, COUNT): 3.0, (WRONG_TOTAL, COUNT): 1.0, (TOTAL, WRONG_COUNT): 2.0}


def donations():
    return notebook(
        new_code_cell(SETUP, metadata=meta("setup", locked=True)),
        answer("q_total", TOTAL),
        check_cell("t_total", "assert total([1, 2]) == 3\n### BEGIN HIDDEN TESTS\nassert total([5, 1, 4]) == 10\n"
                              "### END HIDDEN TESTS", points=2),
        answer("q_count", COUNT),
        check_cell("t_count", "assert count_donors() == 4", points=1),
    )


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    require_bwrap()
    root = make_course(tmp_path_factory.mktemp("cluster") / "course", "ps", {"donations": donations()},
                       files={"donors.csv": "name\nAda\nBo\nCem\nDana\n"})
    for student, (q_total, q_count) in STUDENTS.items():
        submit(root, "ps", student, "donations", {"q_total": q_total, "q_count": q_count})
        (root / "submitted" / student / "ps" / "timestamp.txt").write_text("2026-05-04 12:00:00.000000 UTC")
    return root


@pytest.fixture(scope="module")
def cluster():
    with dask_cluster(workers=2) as running:
        yield running
    # The workers keep warm kernels between notebooks; stopped, they leave none behind (other
    # grading runs on this machine may have sandboxes of their own).
    assert not [line for line in sandbox_processes() if sys.prefix in line]


def copy(course, target):
    shutil.copytree(course, target)
    return target


def export(course, target) -> list[dict]:
    """The rows by student (the gradebook lists submissions in the order they were recorded)."""
    assert autograder(["export", "--course", str(course), "--csv", str(target)]) == 0
    with open(target, newline="") as file:
        return sorted(csv.DictReader(file), key=lambda row: row["student_id"])


def test_cluster_grading_gives_the_same_export_as_local_grading(course, cluster, tmp_path):
    scheduler, _ = cluster
    local, remote = copy(course, tmp_path / "local"), copy(course, tmp_path / "remote")
    started = time.monotonic()
    assert grade(local, "ps").returncode == 0
    local_seconds = time.monotonic() - started
    result = grade(remote, "ps", "--scheduler", scheduler)
    print(f"12 submissions: {local_seconds:.1f} s here, {time.monotonic() - started - local_seconds:.1f} s on the cluster")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "12 submission(s)" in result.stdout and "grading ps" in result.stderr, "the same summary and progress bar"
    ours = export(remote, tmp_path / "remote.csv")
    assert ours == export(local, tmp_path / "local.csv")
    assert {row["student_id"]: float(row["score"]) for row in ours} == {
        student: EXPECTED[answers] for student, answers in STUDENTS.items()}
    assert {entry["status"] for entry in run_record(remote, "ps").values()} == {"graded"}
    assert sorted(p.name for p in (remote / "autograded" / "s00" / "ps").iterdir()) == [
        "donations.ipynb", "donors.csv", "timestamp.txt"]


def test_a_worker_killed_while_grading_loses_no_submission(course, cluster, tmp_path):
    scheduler, processes = cluster
    target = copy(course, tmp_path / "killed")
    victim = start_worker(scheduler, "victim")
    processes.append(victim)
    wait_for_workers(scheduler, {"victim"})
    students = sorted(STUDENTS)[:6]
    run = subprocess.Popen([sys.executable, "-c", AUTOGRADER, "grade", "ps", "--course", str(target),
                            "--scheduler", scheduler, "--student", *students], env=nbgrader_env(),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert _wait_until_busy(scheduler, "victim"), "the extra worker got no notebook to run"
        time.sleep(0.5)   # its sandboxed kernel is running the notebook now
        os.kill(victim.pid, signal.SIGKILL)
        output = run.communicate(timeout=600)[0]
    finally:
        stop(run)
    assert run.returncode == 0, output
    with Gradebook(f"sqlite:///{target}/gradebook.db", "testcourse") as gb:
        submissions = gb.assignment_submissions("ps")
        assert sorted(s.student.id for s in submissions) == students, "each submission recorded once"
        assert {s.student.id: s.score for s in submissions} == {s: EXPECTED[STUDENTS[s]] for s in students}
    assert {entry["status"] for entry in run_record(target, "ps").values()} == {"graded"}


def _wait_until_busy(scheduler: str, name: str, timeout: float = 120) -> bool:
    from distributed import Client

    with Client(scheduler, timeout=30) as client:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            workers = client.scheduler_info()["workers"]
            address = next((a for a, w in workers.items() if w["name"] == name), None)
            if address and client.processing(workers=[address]).get(address):
                return True
            time.sleep(0.1)
    return False


def test_an_unreachable_scheduler_is_a_clear_error(course, tmp_path):
    target = copy(course, tmp_path / "nowhere")
    quick = {**nbgrader_env(), "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"}
    result = grade(target, "ps", "--scheduler", f"tcp://127.0.0.1:{free_port()}", env=quick)
    assert result.returncode == 2 and "cannot reach the Dask scheduler" in result.stderr, result.stderr
    assert not (target / "autograded").exists()
