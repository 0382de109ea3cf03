"""Kernels forked from a pre-imported template, so that pandas, scikit-learn & co. are imported
once per sandbox slot instead of once per kernel (on 2 cores the imports were most of a kernel's
CPU time). template_process.py is the code that runs inside the sandbox.

Design: each slot (a uid of its own, a cgroup of its own) has one bubblewrap sandbox built exactly
as for a kernel started from scratch (sandbox.py: same mounts, uid, rlimits, cgroup). In it a
template process imports ipykernel and the assignment's modules, starts no thread and never runs
student code. A slot serves ONE kernel at a time: for it the template forks a child, which

  * closes every file descriptor it inherited (the template's control pipe among them);
  * makes new user, mount, pid, ipc, network and uts namespaces: every mount of the sandbox becomes
    read-only (bubblewrap's own root, /etc, /dev and the debugger's empty folder are writable
    tmpfs otherwise, which a later kernel would read), a fresh /tmp and scratch tmpfs are mounted,
    and a new /proc shows only the kernel's own processes;
  * forks the first process of that pid namespace, which mounts a /proc of the namespace, gives up
    the capabilities, joins a session keyring of its own and forks the kernel: when the kernel ends,
    process 1 ends and with it everything the kernel started; both die when their parent is killed.
    The kernel gets its own CPU limit (a fresh CPU count, since it is a new process) and becomes an
    ipykernel on the connection file the grader made (ipc transport, as for a kernel started from scratch);
  * then the grader runs the same trusted warm-up (the integrity guard) and copy steps as always.

Why one submission cannot see or change another's state:
  * memory: a forked kernel has a copy-on-write copy of the template; nothing it writes reaches the
    template, and the template is not dumpable (PR_SET_DUMPABLE 0: /proc/<pid>/mem and ptrace need
    privileges the sandbox never has). The kernel cannot even name it: the template is outside
    the kernel's pid namespace, so no signal, ptrace or /proc entry reaches it (kill(-1) neither).
  * files: everything but the kernel's own tmpfs mounts is read-only in its mount namespace, and
    those tmpfs vanish with it; locked by the kernel, so a namespace nested inside it cannot make
    them writable again. The staging and socket folders are per kernel and deleted after it.
  * processes: everything a kernel starts lives in its pid namespace and dies with it; before the
    slot's next fork the grader kills every process of the slot's cgroup but the sandbox's own
    (bubblewrap, its init, keeper, template) and checks that the template is alive and not stopped.
  * IPC, keyrings, network: System V IPC, POSIX message queues and abstract sockets are per
    ipc/network namespace; keys go to a session keyring of its own, user keyrings are per user
    namespace.
  * limits: memory and process limits are the slot's cgroup, which holds one kernel at a time
    (plus the template, whose imports a kernel started from scratch would hold too); the CPU
    limit is set in the kernel itself before it runs anything else.
If the template dies or stops (only the grader, an administrator or the slot's own out-of-memory
killer can do that), the kernel it forked runs on (the keeper, not the template, holds the
sandbox); the slot's sandbox is replaced before its next kernel. Where the template cannot be
used (no sandbox, not root, no cgroups, not x86_64, a template that fails to start) kernels start
from scratch as before, and the run record says so.
"""
import asyncio
import ast
import json
import os
import signal
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from autograder.kernels import limits, sandbox

SOURCE = (Path(__file__).with_name("template_process.py")).read_text(encoding="utf-8")
READY_SECONDS = 180       # importing pandas & scikit-learn on a loaded machine
FORK_SECONDS = 30
TEMPLATE_CPU_SECONDS = 3600   # the template only imports once and forks
EXTRA_PROCESSES = 5       # keeper, template, the kernel's waiting parent and its namespace's init


@dataclass
class Template:
    slot: int
    folder: Path                  # runtime/ (sockets) and staging/ (files) of this slot's kernels
    groups: list[Path]
    process: asyncio.subprocess.Process
    keep: set[int] = field(default_factory=set)   # host pids of the sandbox itself
    template_pid: int | None = None               # host pid of the template
    oom_kills: int = 0


def available(settings) -> str | None:
    """Why kernels cannot come from templates here, or None."""
    if not settings.kernel_templates:
        return "asked for with --fresh-kernels"
    if not settings.sandboxed:
        return "grading runs without a sandbox"
    if not sandbox.as_root():
        return "the grader does not run as root"
    if os.uname().machine != "x86_64":
        return "kernel templates are implemented for x86_64 only"
    if not limits.available():
        return "no cgroups can be made here"
    return None


def preloaded_modules(warmup: str) -> list[str]:
    """The modules the warm-up imports (integrity.guard_code passes them as lists of names): the
    template imports them once. A module missed here only costs time: the kernel imports it itself."""
    found = []
    try:
        tree = ast.parse(warmup)
    except SyntaxError:
        return []
    for node in tree.body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            for argument in node.value.args:
                if isinstance(argument, ast.List):
                    found += [item.value for item in argument.elts
                              if isinstance(item, ast.Constant) and isinstance(item.value, str)]
    return list(dict.fromkeys(found))


def _nspids(pid: int) -> list[int]:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("NSpid:"):
                return [int(value) for value in line.split()[1:]]
    except (OSError, ValueError):
        pass
    return []


def _state(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


async def start(settings, workspace: Path, slot: int, warmup: str, max_processes: int) -> Template:
    """Starts the slot's sandbox with its template; raises when the template cannot serve."""
    uid = sandbox.sandbox_uid(slot)
    folder = Path(tempfile.mkdtemp(dir=workspace, prefix=f"template-{slot}-"))
    folder.chmod(0o711)
    for part in ("run", "staging"):
        (folder / part).mkdir(mode=0o711)
    groups = limits.create(f"autograder-{os.getpid()}-{folder.name}", settings.memory_bytes,
                           max_processes + EXTRA_PROCESSES)
    if not groups:
        raise RuntimeError("no cgroup for the template")
    process_limits = sandbox.Limits(cpu_seconds=TEMPLATE_CPU_SECONDS, processes=max_processes + EXTRA_PROCESSES,
                                    file_bytes=settings.file_bytes, scratch_bytes=settings.scratch_bytes,
                                    memory_bytes=None)
    config = json.dumps({"modules": preloaded_modules(warmup)})
    command = sandbox.command([f"{sys.prefix}/bin/python", "-c", SOURCE, config], uid=uid, limits=process_limits,
                              cgroup_procs=limits.procs_files(groups), workspace=workspace,
                              binds=[(folder / "staging", sandbox.STAGING)], writable=[folder / "run"])
    process = await asyncio.create_subprocess_exec(
        *command, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL, env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        limit=2**16)
    template = Template(slot=slot, folder=folder, groups=groups, process=process)
    try:
        answer = await _answer(template, READY_SECONDS)
        if "ready" not in answer:
            raise RuntimeError(answer.get("error", "the template did not start"))
        template.keep, template.template_pid = _sandbox_pids(template, answer["ready"])
    except BaseException:
        await discard(template)
        raise
    return template


def _sandbox_pids(template: Template, template_nspid: int) -> tuple[set[int], int]:
    """Host pids of bubblewrap, its init, the keeper and the template (all of the cgroup now)."""
    keep, found = set(), None
    for pid in limits.pids(template.groups):
        nspids = _nspids(pid)
        if len(nspids) == 1 or (len(nspids) == 2 and nspids[1] in (1, 2, template_nspid)):
            keep.add(pid)
        if len(nspids) == 2 and nspids[1] == template_nspid:
            found = pid
    if found is None:
        raise RuntimeError("the template is not in its cgroup")
    return keep, found


async def _answer(template: Template, timeout: float) -> dict:
    line = await asyncio.wait_for(template.process.stdout.readline(), timeout)
    if not line:
        raise RuntimeError("the template ended")
    return json.loads(line)


def usable(template: Template) -> bool:
    """The template runs and is not stopped, and nothing but the sandbox's own processes is left."""
    return (template.process.returncode is None and _state(template.template_pid) in ("S", "R")
            and limits.pids(template.groups) <= template.keep)


async def fork(template: Template, connection_file: Path, cpu_seconds: int, scratch_bytes: int) -> int:
    """Has the template fork a kernel; returns the host pid of the process that ends with it."""
    template.oom_kills = limits.oom_kills(template.groups)
    request = {"connection_file": str(connection_file), "cpu_seconds": cpu_seconds,
               "scratch": sandbox.SCRATCH, "scratch_bytes": scratch_bytes, "sockets": str(template.folder / "run")}
    template.process.stdin.write((json.dumps(request) + "\n").encode())
    await template.process.stdin.drain()
    answer = await _answer(template, FORK_SECONDS)
    child = answer.get("forked")
    for pid in limits.pids(template.groups):
        nspids = _nspids(pid)
        if len(nspids) == 2 and nspids[1] == child:
            return pid
    raise RuntimeError("the forked kernel is not in the slot's cgroup")


def kernel_folders(template: Template, number: int) -> tuple[Path, Path]:
    """The kernel's socket folder and staging folder (both seen at the same path inside)."""
    return template.folder / "run" / f"kernel-{number}", template.folder / "staging" / f"kernel-{number}"


def staging_inside(number: int) -> str:
    return f"{sandbox.STAGING}/kernel-{number}"


async def end_kernel(template: Template) -> bool:
    """Kills every process of the slot but the sandbox's own; True if memory ran out meanwhile."""
    await asyncio.to_thread(limits.kill_all, template.groups, 5.0, frozenset(template.keep))
    return limits.oom_kills(template.groups) > template.oom_kills


async def discard(template: Template) -> None:
    """Ends the slot's sandbox and everything in it."""
    if template.process.returncode is None:
        try:
            template.process.stdin.close()
        except Exception:  # noqa: BLE001 -- a pipe of a dead process may be closed already
            pass
    await asyncio.to_thread(limits.kill_all, template.groups)
    try:
        await asyncio.wait_for(template.process.wait(), 10)
    except asyncio.TimeoutError:
        pass
    limits.remove(template.groups)
    shutil.rmtree(template.folder, ignore_errors=True)


class ForkedProcess:
    """The forked kernel's waiting parent as jupyter_client's provisioner sees a kernel process.
    It is not the grader's child, so liveness is read from /proc (with its start time, against a
    reused pid)."""

    def __init__(self, pid: int):
        self.pid = pid
        self.started = self._start_time()
        self.returncode = None
        self.stdin = self.stdout = self.stderr = None

    def _start_time(self) -> str | None:
        try:
            return Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
        except (OSError, IndexError):
            return None

    def poll(self) -> int | None:
        if self.returncode is None and (_state(self.pid) in (None, "Z", "X") or self._start_time() != self.started):
            self.returncode = -signal.SIGKILL
        return self.returncode

    def wait(self, timeout=None) -> int | None:
        return self.poll()

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)
