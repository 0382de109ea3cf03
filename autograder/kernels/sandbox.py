"""The command line that runs one kernel in a bubblewrap sandbox.

Layers, outermost first (each `exec`s the next, so they share one pid that the grader kills):
  sh       (root only) joins the submission's cgroups (memory and process limits for the whole
           submission, children included) and, in a private mount namespace, makes the Python
           installation reachable for the sandbox's uid (pyenv's lives under /root, mode 700);
  prlimit  per-process limits: CPU seconds, processes, file size, no core dumps;
  setpriv  (root only) drops to an unprivileged uid of its own, with no capabilities and no groups:
           bubblewrap started by root would keep root's powers over every file it can see;
  bwrap    new user, pid, network, ipc and uts namespaces: no network, no other processes, only the
           system's read-only files, Python (read-only), the submission's files (read-only, under
           /staging) and a size-limited tmpfs as its scratch copy; the environment is cleared.
"""
import fcntl
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from autograder.cli import UserError
from autograder.i18n import N_, translator
from autograder.reasons import Reason, reason

SCRATCH = "/submission"   # the kernel's working directory: a tmpfs, the only place it may write
STAGING = "/staging"      # the submission's files as the grader prepared them, read-only
SYSTEM_LINKS = ["/bin", "/lib", "/lib64", "/sbin"]
SYSTEM_FILES = ["/etc/fonts", "/etc/localtime", "/etc/alternatives", "/etc/ld.so.cache", "/etc/mime.types"]
# Passed through because numerical libraries need them to compute correctly on some processors.
PASSED_ENV = ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"]
FIRST_UID = 61000

UNSAFE_FLAG = "--unsafe-no-sandbox"
UNSAFE_CONSEQUENCES = N_(
    "Without the sandbox every submission runs with your own rights: it can read and overwrite the "
    "gradebook, source/ (hidden tests, solutions) and every other file you can reach, use the network, "
    "use all memory and leave processes running. Only grade code you trust this way."
)

ROOT_SCRIPT = """set -e
while [ "$1" != -- ]; do echo $$ > "$1"; shift; done; shift
while [ "$1" != -- ]; do mount --bind "$1" "$2"; shift 2; done; shift
exec "$@"
"""


@dataclass
class Limits:
    cpu_seconds: int
    processes: int
    file_bytes: int
    scratch_bytes: int
    memory_bytes: int | None   # per process; only where no cgroup limits the whole submission


def python_dirs() -> list[str]:
    """The venv and the interpreter it was made from."""
    return [sys.prefix] + ([] if sys.base_prefix.startswith("/usr") else [sys.base_prefix])


def as_root() -> bool:
    return os.geteuid() == 0


# Slots (and so uids) are claimed machine-wide: two grading runs at once (two courses, two
# trainers) must not share a uid, or they would share its process limit.
SLOT_LOCKS = Path("/run/lock") if Path("/run/lock").is_dir() and os.access("/run/lock", os.W_OK) \
    else Path(tempfile.gettempdir())
MAX_SLOTS = 1000


def claim_slots(count: int) -> tuple[list[int], list]:
    """Returns `count` slots no other grading run holds, and the open lock files that hold them
    (closing them, or the end of the process, frees the slots)."""
    slots, held = [], []
    for slot in range(MAX_SLOTS):
        handle = open(SLOT_LOCKS / f"autograder-slot-{slot}.lock", "a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        slots.append(slot)
        held.append(handle)
        if len(slots) == count:
            return slots, held
    for handle in held:
        handle.close()
    raise RuntimeError(reason("no_slot", count=MAX_SLOTS))


def sandbox_uid(slot: int) -> int:
    """As root each live sandbox gets its own uid, so process limits and signals stay per sandbox."""
    return FIRST_UID + slot if as_root() else os.geteuid()


def command(inner: list[str], *, uid: int, limits: Limits, cgroup_procs: list[Path], workspace: Path,
            binds: list[tuple[Path, str]], writable: list[Path]) -> list[str]:
    """`inner` run in a sandbox. `binds` are (outside, inside) read-only mounts; `writable` folders
    are mounted at their own path (the kernel's sockets, named by path on both sides)."""
    mounts = []
    if as_root():
        for index, path in enumerate(python_dirs()):
            reachable = workspace / f"python-{index}"
            reachable.mkdir(mode=0o755, exist_ok=True)
            mounts += [path, str(reachable)]
    args = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
            "--ro-bind", "/usr", "/usr"]
    for path in SYSTEM_LINKS:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    args += [arg for path in SYSTEM_FILES if os.path.exists(path) for arg in ("--ro-bind", path, path)]
    args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    for index, path in enumerate(python_dirs()):
        args += ["--ro-bind", str(workspace / f"python-{index}") if as_root() else path, path]
    # ipykernel imports the debugger (debugpy) at every start; grading needs none. An empty folder
    # over it makes ipykernel skip it, which saves a tenth of a kernel's start-up.
    for debugger in sorted(Path(sys.prefix).glob("lib/python3*/site-packages/debugpy")):
        args += ["--tmpfs", str(debugger)]
    for outside, inside in binds:
        args += ["--ro-bind", str(outside), inside]
    for path in writable:
        args += ["--bind", str(path), str(path)]
    args += ["--size", str(limits.scratch_bytes), "--tmpfs", SCRATCH, "--chdir", SCRATCH]
    for name, value in sandbox_env().items():
        args += ["--setenv", name, value]
    # The process limit counts all processes of the uid: as a normal user that includes your own.
    processes = limits.processes + (0 if as_root() else _own_processes())
    rlimits = ["prlimit", f"--cpu={limits.cpu_seconds}", f"--nproc={processes}",
               f"--fsize={limits.file_bytes}", "--core=0"]
    if limits.memory_bytes:
        rlimits.append(f"--as={limits.memory_bytes}")
    sandboxed = [*rlimits, "--", *drop_privileges(uid), *args, "--", *inner]
    if not as_root():
        return sandboxed
    return ["unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c", ROOT_SCRIPT, "sh",
            *map(str, cgroup_procs), "--", *mounts, "--", *sandboxed]


def _own_processes() -> int:
    uid = os.geteuid()
    count = 0
    for entry in Path("/proc").iterdir():
        try:
            count += entry.name.isdigit() and entry.stat().st_uid == uid
        except OSError:
            pass
    return count


def drop_privileges(uid: int) -> list[str]:
    if not as_root():
        return []
    return ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
            "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]


def sandbox_env() -> dict[str, str]:
    env = {
        "PATH": f"{sys.prefix}/bin:/usr/bin:/bin", "HOME": "/tmp", "USER": "student", "LOGNAME": "student",
        "LANG": "C.UTF-8", "TMPDIR": "/tmp", "MPLCONFIGDIR": "/tmp/matplotlib", "IPYTHONDIR": "/tmp/ipython",
        "PYTHONDONTWRITEBYTECODE": "1", "NBGRADER_EXECUTION": "autograde",
        # One thread per numerical library: the grader already runs one sandbox per core.
        "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    }
    env.update({name: os.environ[name] for name in PASSED_ENV if name in os.environ})
    return env


def unavailable_reason(workspace: Path) -> str | None:
    """Why no sandbox can be made here, or None when it can."""
    if platform.system() != "Linux":
        return reason("no_linux", system=platform.system())
    for tool in ("bwrap", "prlimit", "unshare", "setpriv"):
        if shutil.which(tool) is None:
            return reason("tool_missing", tool=tool)
    slots, held = claim_slots(1)
    try:
        probe = command([f"{sys.prefix}/bin/python", "-c", "pass"], uid=sandbox_uid(slots[0]),
                        limits=Limits(60, 16, 10**6, 10**6, None), cgroup_procs=[], workspace=workspace,
                        binds=[], writable=[])
        result = subprocess.run(probe, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    finally:
        for handle in held:
            handle.close()
    if result.returncode != 0:
        return reason("no_namespaces", error=result.stderr.strip())
    return None


def require_sandbox(unsafe: bool, workspace: Path, lang: str = "en") -> bool:
    """True when grading runs sandboxed; refuses loudly unless the trainer gave up the sandbox."""
    problem = unavailable_reason(workspace)
    if problem is None:
        return True
    _ = translator(lang)
    if not unsafe:
        raise UserError(N_("cannot grade safely: {reason}.\n{consequences}\nTo grade anyway, pass {flag}."),
                        reason=Reason(problem), consequences=_(UNSAFE_CONSEQUENCES), flag=UNSAFE_FLAG)
    print(_("WARNING: grading WITHOUT a sandbox ({reason}). {consequences}", reason=Reason(problem),
            consequences=_(UNSAFE_CONSEQUENCES)), file=sys.stderr)
    return False
