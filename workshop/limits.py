"""Memory and CPU limits per participant with Linux control groups.

JupyterHub's LocalProcessSpawner has mem_limit and cpu_limit settings but does not enforce them, so
each participant's server (and every kernel it starts) goes into a control group of its own with
those limits. cgroup v1 (one folder per controller) and v2 (one unified tree) are both handled."""
import hashlib
import os
import signal
import time
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
PERIOD_US = 100_000


def parse_memory(text: str) -> int:
    """'700M', '1.5G', '1024K' or a number of bytes."""
    units = {"K": 1024, "M": 1024 ** 2, "G": 1024 ** 3, "T": 1024 ** 4}
    text = text.strip().upper().removesuffix("B").removesuffix("I")
    try:
        if text and text[-1] in units:
            return int(float(text[:-1]) * units[text[-1]])
        return int(text)
    except ValueError:
        raise ValueError(f"memory limit {text!r}: write it like 700M or 1.5G") from None


def group_name(workshop_dir: Path) -> str:
    return "workshop-" + hashlib.sha256(str(workshop_dir.resolve()).encode()).hexdigest()[:10]


def own_v1_path(controller: str) -> str:
    """Our own cgroup in a v1 hierarchy, so participants' groups nest under it (a service manager
    that tracks this process then sees them too)."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if controller in controllers.split(","):
            return path.lstrip("/")
    return ""


def base_folders(workshop_dir: Path) -> list[Path]:
    """The parent groups of this workshop's participants, one per controller (v1) or one (v2)."""
    name = group_name(workshop_dir)
    if (ROOT / "memory" / "cgroup.procs").exists():
        return [ROOT / c / own_v1_path(c) / name for c in ("memory", "cpu")]
    if (ROOT / "cgroup.controllers").exists():
        return [ROOT / name]
    return []


def enable_v2_controllers(folder: Path) -> None:
    (folder / "cgroup.subtree_control").write_text("+memory +cpu")


def prepare(workshop_dir: Path, user: str, memory_bytes: int, cpus: float) -> list[Path]:
    """Creates the user's groups with the limits and returns the files a process writes itself into.
    Raises OSError where the kernel does not let us (then the caller runs without limits)."""
    folders = []
    for base in base_folders(workshop_dir):
        v2 = base.parent == ROOT
        if v2:
            enable_v2_controllers(ROOT)
            base.mkdir(exist_ok=True)
            enable_v2_controllers(base)
        folder = base / user
        folder.mkdir(parents=True, exist_ok=True)
        quota = str(int(cpus * PERIOD_US))
        if v2:
            (folder / "memory.max").write_text(str(memory_bytes))
            if (folder / "memory.swap.max").exists():
                (folder / "memory.swap.max").write_text("0")
            (folder / "cpu.max").write_text(f"{quota} {PERIOD_US}")
        elif base.parts[len(ROOT.parts)] == "memory":
            (folder / "memory.limit_in_bytes").write_text(str(memory_bytes))
        else:
            (folder / "cpu.cfs_period_us").write_text(str(PERIOD_US))
            (folder / "cpu.cfs_quota_us").write_text(quota)
        folders.append(folder / "cgroup.procs")
    return folders


def joiner(procs_files: list[Path]):
    """A function for a child process (before exec) that moves itself into the groups."""
    def join():
        for procs in procs_files:
            with open(procs, "w") as f:
                f.write("0")  # 0 stands for the writing process itself
    return join


def pids(workshop_dir: Path) -> list[int]:
    found = []
    for base in base_folders(workshop_dir):
        if base.is_dir():
            for procs in base.glob("*/cgroup.procs"):
                found += [int(p) for p in procs.read_text().split()]
    return sorted(set(found))


def kill_and_wait(find, seconds: float) -> list[int]:
    """SIGKILL to every pid that find() returns, then wait (at most `seconds`) until find() returns
    none: a SIGKILL takes effect a moment later. Returns the pids it killed."""
    found = find()
    for pid in found:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + seconds
    while find() and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def stop_all(workshop_dir: Path) -> int:
    """Kills every process left in this workshop's groups and removes the groups."""
    left = kill_and_wait(lambda: pids(workshop_dir), seconds=5)
    for base in base_folders(workshop_dir):
        if base.is_dir():
            for folder in base.iterdir():
                if folder.is_dir():
                    try:
                        folder.rmdir()
                    except OSError:
                        pass
            try:
                base.rmdir()
            except OSError:
                pass
    return len(left)
