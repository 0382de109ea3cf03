"""How the workshop hub copes with a class: participants log in at once and each runs module 1's
lesson top to bottom in their own kernel, over HTTP and the kernel websocket as a browser would.
Run by hand as root, never in the test suite:

    .venv/bin/python benchmarks/workshop_load.py [--participants 30]

First one participant alone (the baseline), then all of them at once on the same hub; prints login
to ready server (median, slowest), lesson run time, peak memory per participant (from their memory
cgroup), failures, and the ratios against the baseline."""
import argparse
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


def one_participant(base: str, code: str, name: str, root: Path, results: list) -> None:
    record = {"name": name, "error": None}
    try:
        person = Participant(base, name)
        start = time.monotonic()
        answer = person.login(code)
        if answer.status_code != 200:
            raise RuntimeError(f"login answered {answer.status_code}")
        person.wait_for_server(timeout=600)
        record["ready"] = time.monotonic() - start
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
    results.append(record)


def wave(base: str, code: str, names: list[str], root: Path) -> list[dict]:
    results: list[dict] = []
    threads = [threading.Thread(target=one_participant, args=(base, code, n, root, results)) for n in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def summary(results: list[dict]) -> dict:
    ok = [r for r in results if not r["error"]]
    memory = [r["memory"] for r in ok if r.get("memory")]
    return {
        "ready_median": statistics.median(r["ready"] for r in ok) if ok else float("nan"),
        "ready_max": max((r["ready"] for r in ok), default=float("nan")),
        "lesson_median": statistics.median(r["lesson"] for r in ok) if ok else float("nan"),
        "lesson_max": max((r["lesson"] for r in ok), default=float("nan")),
        "memory_median_mb": statistics.median(memory) / 2 ** 20 if memory else float("nan"),
        "memory_max_mb": max(memory) / 2 ** 20 if memory else float("nan"),
        "failures": [f"{r['name']}: {r['error']}" for r in results if r["error"]],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=30)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="workshop-bench-"))
    port = free_port()
    log = open(root.parent / f"{root.name}.log", "w")
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
        baseline = summary(wave(base, code, [f"solo-{tag}"], root))
        print(f"baseline, 1 participant: ready {baseline['ready_max']:.1f} s, lesson {baseline['lesson_max']:.1f} s, "
              f"peak memory {baseline['memory_max_mb']:.0f} MB, failures {len(baseline['failures'])}", flush=True)
        for failure in baseline["failures"]:
            print(f"    {failure}", flush=True)
        start = time.monotonic()
        results = wave(base, code, [f"p{i:02d}-{tag}" for i in range(args.participants)], root)
        total = time.monotonic() - start
        s = summary(results)
        print(f"{args.participants} participants at once ({total:.0f} s in all):")
        print(f"  login to ready server: median {s['ready_median']:.1f} s, slowest {s['ready_max']:.1f} s "
              f"({s['ready_max'] / baseline['ready_max']:.1f}x the baseline)")
        print(f"  lesson 01 top to bottom: median {s['lesson_median']:.1f} s, slowest {s['lesson_max']:.1f} s "
              f"({s['lesson_median'] / baseline['lesson_max']:.1f}x the baseline)")
        print(f"  peak memory per participant: median {s['memory_median_mb']:.0f} MB, largest {s['memory_max_mb']:.0f} MB")
        print(f"  failures: {len(s['failures'])}")
        for failure in s["failures"]:
            print(f"    {failure}")
    finally:
        hub.send_signal(signal.SIGTERM)
        hub.wait(timeout=120)
        log.close()
        for name in accounts.workshop_accounts(root / "home"):
            accounts.remove_account(name)
        subprocess.run(["rm", "-rf", str(root), log.name])
    return 0


if __name__ == "__main__":
    sys.exit(main())
