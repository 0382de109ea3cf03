"""The Python environment that participants' servers run in.

The servers run as the participants' own Unix accounts, so the interpreter and every package must be
readable by them: the project's .venv may come from a Python under /root (pyenv), which they cannot
read. This environment is made from Debian's /usr/bin/python3 in a world-readable folder and holds
the project's requirements.txt, so every package any notebook imports is there.

One package is left out again: rfc3987-syntax, which jsonschema imports whenever it is installed and
which then compiles an IRI grammar (about 0.8 s of CPU, a third of a server's start) only to check
"iri" fields in JSON schemas; no notebook and no server of the course uses that check. With thirty
servers starting on two cores, that is about twelve seconds for everyone."""
import hashlib
import os
import subprocess
from pathlib import Path

from . import REPO

DEFAULT = Path("/opt/daten-ki-gemeinwohl/workshop-env")
SYSTEM_PYTHON = Path("/usr/bin/python3")
STAMP = ".workshop-requirements"
LEFT_OUT = ["rfc3987-syntax"]


class EnvError(RuntimeError):
    pass


def requirements_digest() -> str:
    """Changes with requirements.txt and with what is left out, so either makes a new install."""
    return hashlib.sha256((REPO / "requirements.txt").read_bytes() + " ".join(LEFT_OUT).encode()).hexdigest()


def is_current(env: Path) -> bool:
    stamp = env / STAMP
    return (env / "bin" / "jupyterhub-singleuser").exists() and stamp.exists() \
        and stamp.read_text().strip() == requirements_digest()


def ensure_env(env: Path = DEFAULT, log=print) -> Path:
    """Creates or updates the environment when requirements.txt changed; returns its bin/ folder."""
    if is_current(env):
        return env / "bin"
    if not SYSTEM_PYTHON.exists():
        raise EnvError(f"{SYSTEM_PYTHON} is missing: participants need a Python outside /root "
                       "(Debian: apt-get install python3 python3-venv)")
    log(f"Installing the participants' Python environment in {env} (once; a few minutes) ...")
    old_umask = os.umask(0o022)  # everything readable by the participants
    try:
        env.parent.mkdir(parents=True, exist_ok=True)
        if not (env / "bin" / "python").exists():
            run([str(SYSTEM_PYTHON), "-m", "venv", str(env)],
                "could not create the virtual environment (Debian: apt-get install python3-venv)")
        run([str(env / "bin" / "python"), "-m", "pip", "install", "--quiet", "-r", str(REPO / "requirements.txt")],
            "pip could not install requirements.txt into it")
        run([str(env / "bin" / "python"), "-m", "pip", "uninstall", "--quiet", "--yes", *LEFT_OUT],
            f"pip could not remove {' '.join(LEFT_OUT)}")
        (env / STAMP).write_text(requirements_digest() + "\n")
    finally:
        os.umask(old_umask)
    return env / "bin"


def run(cmd: list[str], what: str) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise EnvError(f"{what}:\n{result.stderr[-3000:]}")
