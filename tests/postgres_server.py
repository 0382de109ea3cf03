"""A real PostgreSQL server for the tests, from Debian's `postgresql` package: a fresh cluster
(initdb) in a temporary folder, listening on a free port of 127.0.0.1 only, stopped at the end.
PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user the
package creates (or `nobody` where it is missing)."""
import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

USER = "grader"   # the database role the courses connect as (trusted locally: the server listens on 127.0.0.1)


def binaries() -> Path | None:
    """The newest installed server's bin/ (Debian keeps them off PATH, in /usr/lib/postgresql/<major>/bin)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name)
                   if p.parent.parent.name.isdigit() else 0)
    if found:
        return found[-1].parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


def require_postgres() -> Path:
    """In CI (CI=true) a missing server fails the test; locally it skips it."""
    found = binaries()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed: `make system-deps`")
        pytest.skip("PostgreSQL is not installed: `make system-deps`")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_owner(owner: pwd.struct_passwd | None) -> list[str]:
    if owner is None:
        return []
    return ["setpriv", f"--reuid={owner.pw_uid}", f"--regid={owner.pw_gid}", "--clear-groups", "--"]


@contextlib.contextmanager
def postgres_server():
    """Yields the server's URL prefix `postgresql://grader@127.0.0.1:PORT/`; database `grader` exists."""
    bin_dir = require_postgres()
    owner = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            owner = pwd.getpwnam("nobody")
    folder = Path(tempfile.mkdtemp(prefix="pg-test-"))
    data = folder / "data"
    data.mkdir()
    if owner is not None:
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        os.chown(data, owner.pw_uid, owner.pw_gid)
    run = _as_owner(owner)
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    port = free_port()
    try:
        subprocess.run([*run, str(bin_dir / "initdb"), "-D", str(data), "-U", USER, "--auth=trust",
                        "--encoding=UTF8", "--no-sync"], check=True, capture_output=True, env=env, cwd=folder)
        # fsync off: the cluster is thrown away after the test.
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off -c max_connections=100"
        subprocess.run([*run, str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"),
                        "-w", "-t", "60", "start"], check=True, capture_output=True, env=env, cwd=folder)
        try:
            subprocess.run([*run, str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", USER, USER],
                           check=True, capture_output=True, env=env, cwd=folder)
            yield f"postgresql://{USER}@127.0.0.1:{port}/"
        finally:
            subprocess.run([*run, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                           capture_output=True, env=env, cwd=folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def create_database(url: str, name: str) -> str:
    """A new empty database on the server; returns its URL."""
    import psycopg

    with psycopg.connect(url + USER, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return url + name
