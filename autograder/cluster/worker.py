"""What a Dask worker runs: one sanitised notebook judged with the submission's files, in two
sandboxed kernels of this machine (the student's and the clean verdict kernel), as a local grading
run would. The worker returns both executed notebooks and what happened; it writes nothing
outside its temporary folders.

As locally, kernels are started and warmed up (the assignment's imports done) before a notebook
needs them: each worker process keeps a KernelPool per kind of grading run on an event loop of its
own, shared by the worker's threads, and closes it once no notebook has come for a while or the
worker stops. Every kernel still runs one notebook only."""
import asyncio
import shutil
import socket
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from autograder import reasons
from autograder.judging import grading
from autograder.judging.runner import Execution
from autograder.kernels import sandbox
from autograder.kernels.kernel import Settings

IDLE_SECONDS = 60


def judge_notebook(shown, whole, plan, files: dict[str, tuple[bytes, int]], settings: Settings, config,
                   warmup: str) -> tuple[object, object, Execution, Execution]:
    """`files` maps each file's relative name to its content and permission bits."""
    staged = Path(tempfile.mkdtemp(prefix="autograder-files-"))
    try:
        paths = {}
        for name, (content, mode) in files.items():
            path = staged / name
            if not path.resolve().is_relative_to(staged.resolve()):
                raise grading.GraderError(f"{name!r} is not a file name inside the submission")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            path.chmod(mode)
            paths[name] = path
        running = asyncio.run_coroutine_threadsafe(
            _judge(shown, whole, plan, paths, settings, config, warmup, _threads()), _loop())
        return (shown, whole, *running.result())
    finally:
        shutil.rmtree(staged, ignore_errors=True)


@dataclass
class _Pool:
    pool: grading.KernelPool
    workspace: Path
    busy: int = 0
    used: float = field(default_factory=time.monotonic)


_pools: dict[tuple, _Pool] = {}      # only touched on the loop's thread
_started = threading.Lock()
_running_loop: asyncio.AbstractEventLoop | None = None


def _loop() -> asyncio.AbstractEventLoop:
    global _running_loop
    with _started:
        if _running_loop is None:
            _running_loop = asyncio.new_event_loop()
            threading.Thread(target=_running_loop.run_forever, name="autograder-kernels", daemon=True).start()
            asyncio.run_coroutine_threadsafe(_close_idle_pools(), _running_loop)
            _close_with_the_worker()
    return _running_loop


def _threads() -> int:
    """The worker's threads: that many notebooks run at once, so keep that many kernels warm."""
    try:
        from distributed import get_worker
        return max(1, get_worker().state.nthreads)
    except (ImportError, ValueError, AttributeError):
        return 1


async def _judge(shown, whole, plan, paths: dict[str, Path], settings: Settings, config, warmup: str,
                 threads: int) -> tuple[Execution, Execution]:
    entry = _pool(settings, warmup, threads)
    entry.busy += 1
    try:
        # The very function a local run uses.
        return await grading._judge(entry.pool, settings, config, paths, shown, whole, plan)
    finally:
        entry.busy -= 1
        entry.used = time.monotonic()


def _pool(settings: Settings, warmup: str, threads: int) -> _Pool:
    key = (repr(settings), warmup)
    if key not in _pools:
        workspace = Path(tempfile.mkdtemp(prefix="autograder-"))
        workspace.chmod(0o711)   # the sandboxes' uids may pass through, not look around
        reason = sandbox.unavailable_reason(workspace) if settings.sandboxed else None
        if reason:
            shutil.rmtree(workspace, ignore_errors=True)
            raise grading.GraderError(reasons.reason("worker_unsandboxed", host=socket.gethostname(), reason=reason))
        _pools[key] = _Pool(grading.KernelPool(settings, workspace, warmup, 2 * threads, needed=sys.maxsize), workspace)   # two kernels per notebook
    return _pools[key]


async def _close_idle_pools() -> None:
    while True:
        await asyncio.sleep(IDLE_SECONDS / 4)
        await _close(lambda entry: not entry.busy and time.monotonic() - entry.used > IDLE_SECONDS)


async def _close(which) -> None:
    for key, entry in list(_pools.items()):
        if which(entry):
            del _pools[key]
            await entry.pool.close()
            shutil.rmtree(entry.workspace, ignore_errors=True)


def _close_with_the_worker() -> None:
    """A stopping worker tears down its plugins (at interpreter exit it would be too late: no
    thread could be started to kill a kernel's processes); this one closes every pool."""
    try:
        from distributed import get_worker
        worker = get_worker()
    except (ImportError, ValueError):
        return

    class CloseKernelPools:
        def teardown(self, worker):
            return asyncio.wrap_future(asyncio.run_coroutine_threadsafe(_close(lambda entry: True), _running_loop))

    worker.plugins.setdefault("autograder-kernel-pools", CloseKernelPools())
