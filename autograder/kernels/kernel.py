"""One sandboxed Jupyter kernel: started (and warmed up) before its submission is known, given the
submission's files, used for one notebook, then killed with everything it started. It is started
from scratch, or forked from its slot's pre-imported template (kernel_template.py).

The kernel runs inside the sandbox; the client that executes cells and records outputs runs in the
grader. They talk over Unix sockets in a folder both can see, since the sandbox has no network.
"""
import asyncio
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import zmq
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager

from autograder.kernels import kernel_template, limits, sandbox
from autograder.reasons import reason


STARTUP_CPU_SECONDS = 30
MESSAGE_SLACK = 64_000   # bytes of headers and signatures around a message's content


@dataclass
class Settings:
    timeout: int                 # seconds per cell (wall clock, the kernel is interrupted)
    submission_seconds: int      # CPU seconds per kernel process, and the wall-clock limit of a notebook
    memory_bytes: int            # the whole submission, children included
    sandboxed: bool = True
    max_processes: int = 64
    max_output_bytes: int = 5_000_000
    file_bytes: int = 200_000_000
    scratch_bytes: int = 512_000_000
    kernel_templates: bool = True   # fork kernels from pre-imported templates where possible


@dataclass
class Kernel:
    km: AsyncKernelManager
    kc: object
    folder: Path                 # this kernel's private folder in the grader's temp space
    staging: Path                # the submission's files, mounted read-only at sandbox.STAGING
    groups: list[Path]           # cgroups holding every process of the sandbox
    uid_slot: int
    setup_error: str | None = None
    template: kernel_template.Template | None = None   # the slot's template it was forked from
    staging_inside: str = sandbox.STAGING                # where the sandbox sees `staging`


def _command(settings: Settings, workspace: Path, staging: Path, runtime: Path, uid: int, groups) -> list[str]:
    python = [f"{sys.prefix}/bin/python", "-m", "ipykernel_launcher", "-f", "{connection_file}",
              "--HistoryManager.hist_file=:memory:"]
    if not settings.sandboxed:
        return python
    # CPU seconds: the notebook's limit plus the kernel's start-up and imports, spent before it.
    process_limits = sandbox.Limits(cpu_seconds=settings.submission_seconds + STARTUP_CPU_SECONDS,
                                    processes=settings.max_processes,
                                    file_bytes=settings.file_bytes, scratch_bytes=settings.scratch_bytes,
                                    memory_bytes=None if groups else settings.memory_bytes)
    return sandbox.command(python, uid=uid, limits=process_limits, cgroup_procs=limits.procs_files(groups),
                           workspace=workspace, binds=[(staging, sandbox.STAGING)], writable=[runtime])


async def start(settings: Settings, workspace: Path, number: int, slot: int, warmup_code: str) -> Kernel:
    """Starts kernel `number` in its own sandbox, as the uid of `slot` (no other live kernel has it),
    and runs the trusted warm-up code before any student code."""
    folder = workspace / f"kernel-{number}"
    staging, runtime, scratch = folder / "staging", folder / "run", folder / "scratch"
    for path in (folder, runtime, scratch):
        path.mkdir(mode=0o711)
    staging.mkdir(mode=0o755)
    uid = sandbox.sandbox_uid(slot)
    if settings.sandboxed and sandbox.as_root():
        os.chown(runtime, uid, uid)   # the kernel creates its sockets here
    groups = limits.create(f"autograder-{os.getpid()}-{number}", settings.memory_bytes,
                           settings.max_processes) if settings.sandboxed and sandbox.as_root() else []
    km = AsyncKernelManager(transport="ipc", ip=str(runtime / "kernel"),
                            connection_file=str(runtime / "kernel.json"))
    km._kernel_spec = KernelSpec(argv=_command(settings, workspace, staging, runtime, uid, groups),
                                 display_name="sandboxed Python 3", language="python",
                                 interrupt_mode="message")
    km.write_connection_file()
    if settings.sandboxed and sandbox.as_root():
        os.chown(km.connection_file, uid, uid)
    kernel = Kernel(km=km, kc=None, folder=folder, staging=staging, groups=groups, uid_slot=slot)
    cwd = None if settings.sandboxed else str(scratch)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")} if settings.sandboxed else dict(os.environ)
    try:
        await km.start_kernel(cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              stdin=subprocess.DEVNULL)
    except Exception as problem:  # noqa: BLE001 -- reported per submission; the kernel is still cleaned up
        kernel.setup_error = reason("kernel_not_started", problem=problem)
        return kernel
    await _connect(kernel, settings, runtime, warmup_code)
    return kernel


async def start_forked(settings: Settings, template: kernel_template.Template, number: int,
                       warmup_code: str) -> Kernel:
    """Kernel `number` forked from `template` (the slot's, which serves only this kernel until it is
    stopped), with the same connection, limits and trusted warm-up as a kernel started from scratch."""
    runtime, staging = kernel_template.kernel_folders(template, number)
    runtime.mkdir(mode=0o711)
    staging.mkdir(mode=0o755)
    uid = sandbox.sandbox_uid(template.slot)
    os.chown(runtime, uid, uid)
    km = AsyncKernelManager(transport="ipc", ip=str(runtime / "kernel"),
                            connection_file=str(runtime / "kernel.json"))
    km._kernel_spec = KernelSpec(argv=["forked"], display_name="sandboxed Python 3", language="python",
                                 interrupt_mode="message")
    km.write_connection_file()
    os.chown(km.connection_file, uid, uid)
    kernel = Kernel(km=km, kc=None, folder=runtime, staging=staging, groups=[], uid_slot=template.slot,
                    template=template, staging_inside=kernel_template.staging_inside(number))
    try:
        # jupyter_client's own provisioner, given the forked process instead of one it launches.
        await km._async_pre_start_kernel()
        pid = await kernel_template.fork(template, Path(km.connection_file),
                                         settings.submission_seconds + STARTUP_CPU_SECONDS, settings.scratch_bytes)
        km.provisioner.process = kernel_template.ForkedProcess(pid)
        km.provisioner.pid, km.provisioner.pgid = pid, None
        await km._async_post_start_kernel()
    except Exception as problem:  # noqa: BLE001 -- reported per submission; the kernel is still cleaned up
        kernel.setup_error = reason("kernel_not_started", problem=problem)
        return kernel
    await _connect(kernel, settings, runtime, warmup_code)
    return kernel


async def _connect(kernel: Kernel, settings: Settings, runtime: Path, warmup_code: str) -> None:
    """Connects to the started kernel and runs the trusted warm-up code before any student code."""
    km = kernel.km
    try:
        kernel.kc = km.client()
        # A message larger than the whole output limit is refused by ZeroMQ as it arrives, instead of
        # being taken into the grader's memory first (the output limit counts what gets through).
        kernel.kc.context.setsockopt(zmq.MAXMSGSIZE, settings.max_output_bytes + MESSAGE_SLACK)
        kernel.kc.start_channels()
        await kernel.kc.wait_for_ready(timeout=60)
        _lock_runtime(settings, runtime, km.connection_file)
        error = await run_trusted(kernel, warmup_code, timeout=120)
        if error:
            kernel.setup_error = reason("warmup_failed", error=error)
    except Exception as problem:  # noqa: BLE001 -- reported per submission; the kernel is still cleaned up
        kernel.setup_error = reason("kernel_not_started", problem=problem)


def _lock_runtime(settings: Settings, runtime: Path, connection_file: str) -> None:
    """Once the kernel has made its sockets, the folder they are in (on the host's disk, outside the
    scratch limit) is no longer writable by the sandbox, nor is the connection file."""
    if settings.sandboxed and sandbox.as_root():
        os.chown(connection_file, 0, 0)
        os.chown(runtime, 0, 0)
        runtime.chmod(0o700)


async def run_trusted(kernel: Kernel, code: str, timeout: float) -> str | None:
    """Runs grader code silently (no history, no events); only safe before any student code ran."""
    msg_id = kernel.kc.execute(code, silent=True, store_history=False)
    reply = await _reply(kernel, msg_id, timeout)
    if reply["content"]["status"] != "ok":
        return f"{reply['content'].get('ename')}: {reply['content'].get('evalue')}"
    return None


async def _reply(kernel: Kernel, msg_id: str, timeout: float) -> dict:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        remaining = deadline - asyncio.get_running_loop().time()
        if remaining <= 0:
            raise TimeoutError(reason("no_kernel_reply"))
        msg = await kernel.kc.get_shell_msg(timeout=remaining)
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg


def stage_files(kernel: Kernel, files: dict[str, Path]) -> None:
    """Copies the submission's files (relative name -> file outside) into the read-only staging
    folder, with their permissions: a file only its owner may read stays unreadable in the sandbox."""
    for name, source in files.items():
        target = kernel.staging / name
        target.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
        shutil.copy(source, target)


def copy_staging_code(kernel: Kernel, settings: Settings) -> str:
    """Trusted code that makes the scratch copy (the kernel's working folder) from the staged files."""
    source = kernel.staging_inside if settings.sandboxed else str(kernel.staging)
    return ("def _autograder_copy():\n"
            "    import shutil\n"
            "    def copy(source, target):\n"
            "        try:\n"
            "            shutil.copy(source, target)\n"
            "        except PermissionError:\n"
            "            pass\n"
            f"    shutil.copytree({source!r}, '.', dirs_exist_ok=True, copy_function=copy)\n"
            "_autograder_copy(); del _autograder_copy\n")


async def stop(kernel: Kernel) -> bool:
    """Kills the kernel and every process of its sandbox; True if memory ran out during its life."""
    try:
        if kernel.kc is not None:
            kernel.kc.stop_channels()
    except Exception:  # noqa: BLE001 -- the channels of a dead kernel may already be closed
        pass
    # Every process of the sandbox is killed first, and jupyter_client takes note of it before it
    # shuts the kernel down: else it sends the kernel an interrupt and kills it, polls it every 0.1 s
    # until it is gone, and waits 0.1 s for the interrupt that a dead kernel never takes (each
    # submission waited for all that twice).
    if kernel.template is not None:
        out_of_memory = await kernel_template.end_kernel(kernel.template)
    else:
        out_of_memory = limits.out_of_memory(kernel.groups)
        await asyncio.to_thread(limits.kill_all, kernel.groups)   # it waits a little; the others go on
    try:
        if kernel.template is not None or kernel.groups:
            await asyncio.wait_for(kernel.km.provisioner.wait(), timeout=5)
    except Exception:  # noqa: BLE001 -- still there (or never started): shutdown_kernel kills it
        pass
    try:
        await kernel.km.shutdown_kernel(now=True)
    except Exception:  # noqa: BLE001 -- a kernel that killed itself has nothing left to shut down
        pass
    limits.remove(kernel.groups)
    await kernel.km.cleanup_resources()
    shutil.rmtree(kernel.folder, ignore_errors=True)
    shutil.rmtree(kernel.staging, ignore_errors=True)
    return out_of_memory
