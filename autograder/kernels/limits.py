"""Memory and process limits for a whole submission, children included, through cgroups.

Per-process rlimits cannot bound a submission that forks: ten children with 2 GB each are 20 GB.
A cgroup per submission can, and it also lists every process to kill at the end. Both cgroup
versions are supported; where neither is writable (not root, no delegation) the caller falls back
to per-process limits and says so.
"""
import os
import signal
import time
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
# file names per version: (memory limit, oom-kill counter file)
V1 = {"memory": ("memory.limit_in_bytes", "memory.oom_control"), "pids": ("pids.max", None)}
V2 = ("memory.max", "memory.events")


def _own_v2_cgroup() -> Path | None:
    if not (ROOT / "cgroup.controllers").exists():
        return None
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        if line.startswith("0::"):
            return ROOT / line[3:].lstrip("/")
    return None


def create(name: str, memory_bytes: int, max_processes: int) -> list[Path]:
    """Creates the submission's cgroup(s) and returns their folders, or [] where that is impossible."""
    made = []
    try:
        v2 = _own_v2_cgroup()
        if v2 is not None:
            group = v2 / name
            group.mkdir()
            made.append(group)
            (group / V2[0]).write_text(str(memory_bytes))
            (group / "pids.max").write_text(str(max_processes))
        else:
            for controller, (limit_file, _) in V1.items():
                group = ROOT / controller / name
                group.mkdir()
                made.append(group)
                value = memory_bytes if controller == "memory" else max_processes
                (group / limit_file).write_text(str(value))
    except OSError:
        remove(made)
        return []
    return made


def available() -> bool:
    """Whether this grader can limit whole submissions (else only single processes)."""
    groups = create(f"autograder-probe-{os.getpid()}", 2**30, 64)
    remove(groups)
    return bool(groups)


def procs_files(groups: list[Path]) -> list[Path]:
    return [group / "cgroup.procs" for group in groups]


def pids(groups: list[Path]) -> set[int]:
    found = set()
    for group in groups:
        try:
            found |= {int(pid) for pid in (group / "cgroup.procs").read_text().split()}
        except OSError:
            pass
    return found


def kill_all(groups: list[Path], patience: float = 5.0, keep: frozenset[int] = frozenset()) -> bool:
    """SIGKILLs every process of the submission (but `keep`); True once none is left."""
    deadline = time.monotonic() + patience
    while (left := pids(groups) - keep) and time.monotonic() < deadline:
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.002)   # a killed kernel is gone within a few milliseconds; its submission waits for it
    return not pids(groups) - keep


def out_of_memory(groups: list[Path]) -> bool:
    return oom_kills(groups) > 0


def oom_kills(groups: list[Path]) -> int:
    """How often the out-of-memory killer has struck in these cgroups."""
    kills = 0
    for group in groups:
        counter = V2[1] if (group / V2[1]).exists() else V1["memory"][1] if group.parent.name == "memory" else None
        if counter is None:
            continue
        try:
            for line in (group / counter).read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill":
                    kills += int(value)
        except OSError:
            pass
    return kills


def remove(groups: list[Path]) -> None:
    for group in groups:
        try:
            group.rmdir()
        except OSError:
            pass
