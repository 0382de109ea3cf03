"""What a Dask worker runs: one sanitised notebook, with the submission's files, in a sandboxed
kernel of this machine, as a local grading run would. The worker returns the executed notebook
and what happened; it writes nothing outside its temporary folders."""
import asyncio
import shutil
import socket
import tempfile
from pathlib import Path

from .. import grading, sandbox
from ..kernel import Settings
from ..runner import Execution


def execute_notebook(nb, files: dict[str, tuple[bytes, int]], settings: Settings, config,
                     warmup: str) -> tuple[object, Execution]:
    """`files` maps each file's relative name to its content and permission bits."""
    workspace = Path(tempfile.mkdtemp(prefix="autograder-"))
    workspace.chmod(0o711)   # the sandboxes' uids may pass through, not look around
    staged = Path(tempfile.mkdtemp(prefix="autograder-files-"))
    try:
        if settings.sandboxed:
            reason = sandbox.unavailable_reason(workspace)
            if reason:
                raise grading.GraderError(f"the Dask worker on {socket.gethostname()} cannot sandbox: {reason}")
        paths = {}
        for name, (content, mode) in files.items():
            path = staged / name
            if not path.resolve().is_relative_to(staged.resolve()):
                raise grading.GraderError(f"{name!r} is not a file name inside the submission")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            path.chmod(mode)
            paths[name] = path
        execution = asyncio.run(_execute(nb, paths, settings, config, workspace, warmup))
        return nb, execution
    finally:
        shutil.rmtree(staged, ignore_errors=True)
        shutil.rmtree(workspace, ignore_errors=True)


async def _execute(nb, paths: dict[str, Path], settings: Settings, config, workspace: Path, warmup: str) -> Execution:
    pool = grading.KernelPool(settings, workspace, warmup, size=1, needed=1)
    try:
        # The very function a local run uses, on a pool of one kernel.
        return await grading._execute(pool, settings, config, paths, nb)
    finally:
        await pool.close()
