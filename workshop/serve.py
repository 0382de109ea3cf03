"""`workshop serve`: prepares DIR, then runs JupyterHub in the foreground until Ctrl-C or SIGTERM,
and leaves no participant process behind."""
import os
import pwd
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from coursebuild.course import nbgrader_env

from . import REPO, accounts, course, env, limits
from .layout import Layout, LayoutError

CONFIG = '''\
# Written by `workshop serve` at every start; change the options of `workshop serve` instead.
from workshop.hubconfig import configure

configure(c, {dir!r}, ip={ip!r}, port={port}, hub_port={hub_port}, proxy_api_port={proxy_api_port})  # noqa: F821
'''

TEXTS = {
    "de": "Workshop läuft: {url}\n  Teilnehmende: beliebiger Name + Code {code}\n"
          "  Trainer*in: Name „trainer“ + Code aus {trainer}\nStopp mit Strg+C.",
    "en": "Workshop running: {url}\n  Participants: any name + code {code}\n"
          "  Trainer: name “trainer” + the code in {trainer}\nStop with Ctrl+C.",
}


class ServeError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(root: Path, lang: str, memory: str, cpus: float, idle_timeout: int, env_path: Path) -> Layout:
    layout = Layout(root.resolve())
    layout.make_folders()
    settings_file = layout.root / "workshop.json"
    if settings_file.exists() and layout.settings()["lang"] != lang:
        raise ServeError(f"{root} holds a workshop in language {layout.settings()['lang']!r}; "
                         f"start it with --lang {layout.settings()['lang']} or choose a new DIR")
    if cpus <= 0:
        raise ServeError("--cpu-limit must be more than 0")
    layout.write_settings({"lang": lang, "memory_bytes": limits.parse_memory(memory), "cpus": cpus,
                           "idle_timeout": idle_timeout, "env": str(env_path)})
    layout.ensure_codes()
    proxy = REPO / "node_modules" / ".bin" / "configurable-http-proxy"
    if not proxy.exists():
        raise ServeError(f"{proxy} is missing: run `make` (it installs the npm packages) first")
    env.ensure_env(env_path)
    course.ensure_course(layout.course, layout.exchange, lang)
    course.write_participant_config(layout.participant_config, course.course_id(layout.course), layout.exchange)
    with tempfile.TemporaryDirectory() as scratch:
        course.write_home_template(layout.template, layout.course, lang, Path(scratch))
    return layout


def participant_pids(layout: Layout) -> list[int]:
    uids = {pwd.getpwnam(name).pw_uid for name in accounts.workshop_accounts(layout.homes)}
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                # A zombie has ended; it only waits for its parent to collect its exit status.
                if proc.stat().st_uid in uids and (proc / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
                    found.append(int(proc.name))
            except (FileNotFoundError, ProcessLookupError):
                pass
    return found


def stop_leftovers(layout: Layout) -> None:
    """The hub stops the servers it knows; this catches kernels or processes that outlived them,
    and a proxy left running by a hub that was killed."""
    limits.stop_all(layout.root)
    # The hub returns only when none of them runs any more.
    limits.kill_and_wait(lambda: participant_pids(layout), seconds=10)
    pid_file = layout.hub / "proxy.pid"
    if pid_file.exists():
        try:
            pid = int(pid_file.read_text().strip())
            if "configurable-http-proxy" in Path(f"/proc/{pid}/cmdline").read_text():
                os.kill(pid, signal.SIGTERM)
        except (ValueError, FileNotFoundError, ProcessLookupError):
            pass


def default_signals() -> None:
    """A hub started from a background shell would inherit an ignored SIGINT and pass it on to its
    services, which then take the slow path (SIGTERM after a timeout) at shutdown."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def serve(root: Path, lang: str, ip: str, port: int, memory: str, cpus: float, idle_timeout: int,
          env_path: Path) -> int:
    if os.geteuid() != 0:
        raise ServeError("workshop serve must run as root: it creates a Unix account per participant")
    try:
        layout = prepare(root, lang, memory, cpus, idle_timeout, env_path)
    except (LayoutError, env.EnvError) as exc:
        raise ServeError(str(exc)) from exc
    config = layout.hub / "jupyterhub_config.py"
    config.write_text(CONFIG.format(dir=str(layout.root), ip=ip, port=port, hub_port=free_port(),
                                    proxy_api_port=free_port()))
    hub = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)], cwd=layout.hub,
                           env=nbgrader_env(), start_new_session=True, preexec_fn=default_signals)

    def stop(signum, frame):
        hub.send_signal(signal.SIGTERM)
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    shown = "<address of this machine>" if ip in ("0.0.0.0", "") else ip
    print(TEXTS[lang].format(url=f"http://{shown}:{port}/", code=layout.participant_code(),
                             trainer=layout.root / "trainer-code"), flush=True)
    try:
        while hub.poll() is None:
            try:
                hub.wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass
        deadline = time.monotonic() + 30
        while hub.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        if hub.poll() is None:
            hub.kill()
            hub.wait()
        stop_leftovers(layout)
    return 0
