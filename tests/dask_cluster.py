"""A real Dask cluster for the tests: `dask scheduler` and `dask worker` processes (our package and
bubblewrap are on this machine, as on a real grading machine) on free ports of 127.0.0.1, all
stopped at the end. Workers run without a nanny so that a test can kill one outright."""
import contextlib
import subprocess
import sys
import time
from pathlib import Path

from coursebuild.course import nbgrader_env
from postgres_server import free_port

DASK = str(Path(sys.executable).parent / "dask")


def start_worker(scheduler: str, name: str) -> subprocess.Popen:
    return subprocess.Popen([DASK, "worker", scheduler, "--name", name, "--nthreads", "1", "--no-nanny",
                             "--host", "127.0.0.1", "--no-dashboard"], env=nbgrader_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_for_workers(scheduler: str, names: set[str], timeout: float = 120) -> None:
    from distributed import Client

    with Client(scheduler, timeout=timeout) as client:
        deadline = time.monotonic() + timeout
        while {w["name"] for w in client.scheduler_info()["workers"].values()} < names:
            if time.monotonic() > deadline:
                raise TimeoutError(f"Dask workers {names} did not join {scheduler}")
            time.sleep(0.2)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def dask_cluster(workers: int = 2):
    """Yields (scheduler address, list of extra processes to stop at the end)."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                                 env=nbgrader_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    processes = [scheduler]
    try:
        names = {f"worker-{n}" for n in range(workers)}
        processes += [start_worker(address, name) for name in sorted(names)]
        wait_for_workers(address, names)
        yield address, processes
    finally:
        for process in reversed(processes):
            stop(process)
