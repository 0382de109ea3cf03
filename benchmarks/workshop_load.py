"""How the workshop hub copes with a class: participants log in at once and each runs module 1's
lesson top to bottom in their own kernel, over HTTP and the kernel websocket as a browser would.
Run by hand as root, never in the test suite:

    .venv/bin/python benchmarks/workshop_load.py [--participants 30]

First one participant alone (the baseline), then all of them at once on the same hub; prints login
to ready server (median, slowest), lesson run time, peak memory per participant (from their memory
cgroup), failures, and the ratios against the baseline.

The machine may be shared, so the run also measures how much of it the workshop got: a fixed
CPU-bound loop (calibration) before and after, the load average, and the CPU seconds the
participants' servers, the hub and the proxy used until the last server was ready. Those CPU
seconds divided by the cores are what the wave would take on an idle machine of the same kind
(the idle-machine estimate; starts are CPU-bound, so the cores are the limit)."""
import argparse
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

from coursebuild import REPO
from coursebuild.course import nbgrader_env
from workshop import accounts, limits
from workshop.layout import Layout

sys.path.insert(0, str(REPO / "tests"))
from workshop_client import Participant  # noqa: E402

LESSON = "lessons/01-reading-data.ipynb"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_memory(root: Path, name: str) -> int | None:
    for base in limits.base_folders(root):
        for file in ("memory.max_usage_in_bytes", "memory.peak"):
            path = base / name / file
            if path.exists():
                return int(path.read_text())
    return None


TICK = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float:
    """CPU seconds of a process and of its children it has waited for."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return sum(int(f) for f in fields[11:15]) / TICK


def group_cpu(root: Path, name: str) -> float:
    """CPU seconds used so far by the processes in a participant's group (server, kernels)."""
    for base in limits.base_folders(root):
        stat = base / name / "cpu.stat"
        if base.parent == limits.ROOT and stat.exists():  # v2 counts every process that ever ran in it
            return int(stat.read_text().split("usage_usec ")[1].split()[0]) / 1e6
        procs = base / name / "cgroup.procs"
        if base.name != "memory" and procs.exists():
            return sum(process_cpu(int(pid)) for pid in procs.read_text().split())
    return float("nan")


def throttled(root: Path, name: str) -> float:
    """Seconds the group's CPU cap held it back."""
    for base in limits.base_folders(root):
        stat = base / name / "cpu.stat"
        if stat.exists():
            values = dict(line.split() for line in stat.read_text().splitlines())
            if "throttled_usec" in values:
                return int(values["throttled_usec"]) / 1e6
            if "throttled_time" in values:
                return int(values["throttled_time"]) / 1e9
    return float("nan")


def hub_cpu(root: Path) -> float:
    """CPU seconds of the hub and the proxy (with the useradd and cp runs the hub waited for)."""
    total = 0.0
    for pid_file in ("jupyterhub.pid", "proxy.pid"):
        path = root / "hub" / pid_file
        if path.exists():
            total += process_cpu(int(path.read_text().strip()))
    return total


def calibration() -> tuple[float, float]:
    """Wall and CPU seconds of a fixed CPU-bound loop: on an idle core the two are equal."""
    wall, cpu = time.monotonic(), time.process_time()
    total = 0
    for i in range(20_000_000):
        total += i * i % 7
    return time.monotonic() - wall, time.process_time() - cpu


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def one_participant(base: str, code: str, record: dict, root: Path) -> None:
    name = record["name"]
    try:
        person = Participant(base, name)
        start = time.monotonic()
        answer = person.login(code)
        if answer.status_code != 200:
            raise RuntimeError(f"login answered {answer.status_code}")
        record["login"] = time.monotonic() - start
        person.wait_for_server(timeout=600)
        record["ready"] = time.monotonic() - start
        record["ready_at"] = time.monotonic()
        record["cpu_ready"] = group_cpu(root, name)
        record["throttled_ready"] = throttled(root, name)
        lesson = person.api("GET", f"contents/{LESSON}").json()["content"]
        kernel = person.start_kernel(LESSON)
        start = time.monotonic()
        for cell in lesson["cells"]:
            if cell["cell_type"] == "code":
                result = person.run(kernel, cell["source"], timeout=300)
                if result["error"]:
                    raise RuntimeError(f"lesson cell failed: {result['error']}")
        record["lesson"] = time.monotonic() - start
        record["memory"] = peak_memory(root, name)
        person.api("DELETE", f"kernels/{kernel}")
    except Exception as exc:  # a failure is a result here, not the end of the run
        record["error"] = f"{type(exc).__name__}: {exc}"


def wave(base: str, code: str, names: list[str], root: Path) -> tuple[list[dict], dict]:
    """Runs the participants at once; also returns the CPU seconds the workshop used from the
    first login until the last server was ready (sampled at that moment)."""
    records = [{"name": n, "error": None} for n in names]
    threads = [threading.Thread(target=one_participant, args=(base, code, r, root)) for r in records]
    hub_before = hub_cpu(root)
    for thread in threads:
        thread.start()
    while not all("ready_at" in r or r["error"] or not t.is_alive() for r, t in zip(records, threads)):
        time.sleep(0.2)
    cpu = {"participants": sum(group_cpu(root, n) for n in names), "hub": hub_cpu(root) - hub_before}
    for thread in threads:
        thread.join()
    return records, cpu


def summary(results: list[dict]) -> dict:
    ok = [r for r in results if not r["error"]]
    memory = [r["memory"] for r in ok if r.get("memory")]
    median = lambda key: statistics.median(r[key] for r in ok) if ok else float("nan")  # noqa: E731
    return {
        "ready_median": median("ready"),
        "ready_max": max((r["ready"] for r in ok), default=float("nan")),
        "login_median": median("login"),
        "lesson_median": median("lesson"),
        "lesson_max": max((r["lesson"] for r in ok), default=float("nan")),
        "cpu_ready_median": median("cpu_ready"),
        "throttled_median": median("throttled_ready"),
        "memory_median_mb": statistics.median(memory) / 2 ** 20 if memory else float("nan"),
        "memory_max_mb": max(memory) / 2 ** 20 if memory else float("nan"),
        "failures": [f"{r['name']}: {r['error']}" for r in results if r["error"]],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--keep-log", action="store_true", help="keep the hub's log (its path is printed)")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="workshop-bench-"))
    port = free_port()
    log = open(root.parent / f"{root.name}.log", "w")
    cores = os.cpu_count()
    wall, cpu = calibration()
    print(f"{time.strftime('%Y-%m-%d %H:%M')}, {cores} cores, load {load()}; calibration loop: "
          f"{wall:.2f} s for {cpu:.2f} s of CPU", flush=True)
    hub = subprocess.Popen([sys.executable, "-m", "workshop", "serve", "--dir", str(root), "--lang", "en",
                            "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, env=nbgrader_env())
    base = f"http://127.0.0.1:{port}"
    tag = secrets.token_hex(2)
    try:
        while True:
            if hub.poll() is not None:
                raise SystemExit(f"workshop serve exited; see {log.name}")
            try:
                if requests.get(f"{base}/hub/api", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(1)
        code = Layout(root).participant_code()
        results, _ = wave(base, code, [f"solo-{tag}"], root)
        b = summary(results)
        print(f"baseline, 1 participant: ready {b['ready_max']:.1f} s (login {b['login_median']:.1f} s, "
              f"server CPU {b['cpu_ready_median']:.2f} s, throttled {b['throttled_median']:.2f} s), "
              f"lesson {b['lesson_max']:.1f} s, peak memory {b['memory_max_mb']:.0f} MB, "
              f"failures {len(b['failures'])}", flush=True)
        for failure in b["failures"]:
            print(f"    {failure}", flush=True)
        before = load()
        start = time.monotonic()
        results, used = wave(base, code, [f"p{i:02d}-{tag}" for i in range(args.participants)], root)
        total = time.monotonic() - start
        s = summary(results)
        after_wall, after_cpu = calibration()
        print(f"{args.participants} participants at once ({total:.0f} s in all; load {before} before, {load()} after):")
        print(f"  login to ready server: median {s['ready_median']:.1f} s, slowest {s['ready_max']:.1f} s "
              f"({s['ready_max'] / b['ready_max']:.1f}x the baseline; login form alone median {s['login_median']:.1f} s)")
        print(f"  lesson 01 top to bottom: median {s['lesson_median']:.1f} s, slowest {s['lesson_max']:.1f} s "
              f"({s['lesson_median'] / b['lesson_max']:.1f}x the baseline)")
        print(f"  peak memory per participant: median {s['memory_median_mb']:.0f} MB, largest {s['memory_max_mb']:.0f} MB")
        print(f"  failures: {len(s['failures'])}")
        for failure in s["failures"]:
            print(f"    {failure}")
        busy = used["participants"] + used["hub"]
        print(f"  CPU until the last server was ready: {busy:.0f} s (participants {used['participants']:.0f} s, "
              f"hub and proxy {used['hub']:.0f} s); one server's start: median {s['cpu_ready_median']:.2f} s of CPU, "
              f"{s['throttled_median']:.2f} s held back by its CPU cap")
        print(f"  the workshop got {busy / s['ready_max']:.2f} of {cores} cores until then; on {cores} idle cores the slowest would be "
              f"ready after about {busy / cores:.0f} s")
        print(f"  calibration loop after: {after_wall:.2f} s for {after_cpu:.2f} s of CPU "
              f"(before: {wall:.2f} s)")
    finally:
        hub.send_signal(signal.SIGTERM)
        hub.wait(timeout=120)
        log.close()
        for name in accounts.workshop_accounts(root / "home"):
            accounts.remove_account(name)
        subprocess.run(["rm", "-rf", str(root)])
        if args.keep_log:
            print(f"hub log: {log.name}")
        else:
            Path(log.name).unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
