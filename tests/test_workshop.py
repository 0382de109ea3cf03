"""The workshop hub end to end: a real JupyterHub with configurable-http-proxy, started by
`workshop serve` on 127.0.0.1, used over HTTP only as participants' browsers would, and the
trainer's side with real nbgrader and `autograder grade`. One hub serves the whole module."""
import csv
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
import requests

from coursebuild.course import nbgrader_env, notebook_file
from workshop import accounts
from workshop.layout import Layout
from workshop_client import Participant

pytestmark = pytest.mark.slow

ASSIGNMENT = "01-reading-data"
NOTEBOOK = notebook_file(ASSIGNMENT)
LESSON = "01-reading-data"
BIN = Path(sys.executable).parent

if os.geteuid() != 0 or not Path("/usr/bin/python3").exists():
    if os.environ.get("CI"):
        raise RuntimeError("the workshop tests need root and /usr/bin/python3 (CI runs as root)")
    pytest.skip("the workshop hub needs root (it creates Unix accounts)", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_hub(info: dict, timeout: float) -> subprocess.Popen:
    process = subprocess.Popen([str(BIN / "workshop"), "serve", "--dir", str(info["root"]), "--lang", "en",
                                "--port", str(info["port"])], stdout=info["logfile"], stderr=subprocess.STDOUT,
                               env=nbgrader_env())
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"workshop serve exited:\n{info['log'].read_text()[-3000:]}")
        try:
            if requests.get(f"{info['base']}/hub/api", timeout=2).status_code == 200:
                return process
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise TimeoutError(f"the hub did not start:\n{info['log'].read_text()[-3000:]}")
        time.sleep(1)


@pytest.fixture(scope="module")
def hub():
    root = Path(tempfile.mkdtemp(prefix="workshop-test-"))
    port = free_port()
    log = open(root.parent / f"{root.name}.log", "w")
    tag = secrets.token_hex(2)
    info = {"root": root, "base": f"http://127.0.0.1:{port}", "port": port, "log": Path(log.name), "logfile": log,
            "names": {"a": f"anna-{tag}", "b": f"ben-{tag}", "c": f"cem-{tag}"}}
    try:
        # The first start on a machine also installs the participants' environment (minutes).
        info["process"] = start_hub(info, timeout=900)
        info["layout"] = Layout(root)
        info["code"] = info["layout"].participant_code()
        yield info
    finally:
        process = info.get("process")
        if process and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
        log.close()
        for name in accounts.workshop_accounts(root / "home"):
            accounts.remove_account(name)
        shutil.rmtree(root, ignore_errors=True)
        info["log"].unlink(missing_ok=True)


@pytest.fixture(scope="module")
def people(hub):
    """Participants A and B, logged in with the code, each with a running server and a kernel."""
    found = {}
    for key in ("a", "b"):
        person = Participant(hub["base"], hub["names"][key])
        answer = person.login(hub["code"])
        assert answer.status_code == 200, answer.text[-500:]
        person.ready_after = person.wait_for_server()
        person.kernel = person.start_kernel()
        found[key] = person
    return found


def test_state_files_and_codes(hub):
    root = hub["root"]
    for name in ("participant-code", "trainer-code"):
        assert (root / name).stat().st_mode & 0o777 == 0o600
    assert len(hub["layout"].trainer_code()) >= 32
    assert hub["code"] in hub["log"].read_text(), "the participant code is printed at start"
    for folder in ("hub", "course"):
        assert (root / folder).stat().st_mode & 0o777 == 0o700
    assert (root / "course" / "nbgrader_config.py").exists() and (root / "hub" / "jupyterhub.sqlite").exists()


def test_wrong_code_and_bad_names_are_refused(hub):
    wrong = Participant(hub["base"], "mallory").login("not-the-code")
    assert wrong.status_code == 403 and "/user/mallory" not in wrong.url
    bad = Participant(hub["base"], "Anna Müller!").login(hub["code"])
    assert bad.status_code == 403 and "lowercase letters" in bad.text
    taken = Participant(hub["base"], "root").login(hub["code"])
    assert taken.status_code == 403 and "already exists" in taken.text
    trainer = Participant(hub["base"], "trainer").login(hub["code"])
    assert trainer.status_code == 403, "the trainer's name needs the trainer's code"


def test_participants_get_their_own_servers(hub, people):
    for person in people.values():
        assert person.ready_after < 120
        home = hub["root"] / "home" / person.name
        assert home.stat().st_mode & 0o777 == 0o700
        assert (home / "lessons" / f"{LESSON}.ipynb").exists()
        assert (home / "exercises" / ASSIGNMENT / NOTEBOOK).exists()
        listing = person.api("GET", "contents/lessons").json()
        assert f"{LESSON}.ipynb" in {item["name"] for item in listing["content"]}
        # What JupyterLab's Assignments panel (nbgrader's lab extension) shows; no formgrader for participants.
        panel = person.server("GET", "assignments", params={"course_id": "daten-ki-gemeinwohl-en"}).json()
        assert panel["success"], panel
        assert {a["assignment_id"]: a["status"] for a in panel["value"]}[ASSIGNMENT] == "fetched"
        assert person.server("GET", "formgrader/").status_code == 404
        assert person.server("GET", "tree").status_code == 404, "JupyterLab only, no Notebook interface"


def test_kernels_have_the_course_packages_and_data(people):
    code = ("import os, pandas, sklearn, fairlearn, textstat, pycanon\n"
            "frame = pandas.read_csv(os.path.expanduser('~/lessons/foodbank.csv'))\n"
            "print(os.getuid(), len(frame))\n"
            "print(open('/proc/self/cgroup').read())")
    uids = set()
    for person in people.values():
        result = person.run(person.kernel, code)
        assert result["error"] is None, result
        uid, rows = result["stdout"].split("\n")[0].split()
        assert int(rows) > 0 and int(uid) != 0
        assert "workshop-" in result["stdout"], "the server runs inside its memory/CPU limits"
        uids.add(uid)
    assert len(uids) == 2


def test_participants_cannot_read_others_or_the_course(hub, people):
    root = hub["root"]
    targets = [root / "home" / people["b"].name / "lessons" / f"{LESSON}.ipynb",
               root / "course" / "gradebook.db", root / "course" / "source" / ASSIGNMENT / NOTEBOOK,
               root / "hub" / "jupyterhub.sqlite", root / "trainer-code", root / "participant-code"]
    code = ("found = []\n"
            f"for path in {[str(t) for t in targets]!r}:\n"
            "    try:\n        open(path, 'rb').read(1)\n        found.append(path)\n"
            "    except PermissionError:\n        pass\n"
            "print(found)")
    result = people["a"].run(people["a"].kernel, code)
    assert result["error"] is None and result["stdout"].strip() == "[]", result


def solved(student: dict, source: Path) -> dict:
    """The fetched student version with every answer cell taken from the course's solution."""
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in nbformat.read(source, 4).cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    for cell in student["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if cell["metadata"].get("nbgrader", {}).get("solution"):
            cell["source"] = answers[grade_id]
    return student


def test_exchange_submit_grade_and_feedback(hub, people):
    a, b = people["a"], people["b"]
    course = hub["root"] / "course"
    # A fetches afresh (as the Assignments panel does), fills in the solution and submits.
    fetch = a.run(a.kernel, (
        "import shutil, subprocess, os\n"
        f"shutil.rmtree(os.path.expanduser('~/exercises/{ASSIGNMENT}'))\n"
        f"r = subprocess.run(['nbgrader', 'fetch_assignment', '{ASSIGNMENT}'], capture_output=True, text=True)\n"
        "print(r.returncode, r.stderr[-800:])"))
    assert fetch["stdout"].startswith("0"), fetch
    path = f"contents/exercises/{ASSIGNMENT}/{NOTEBOOK}"
    student = a.api("GET", path).json()["content"]
    answer = a.api("PUT", path, json={"type": "notebook", "format": "json",
                                      "content": solved(student, course / "source" / ASSIGNMENT / NOTEBOOK)})
    assert answer.status_code == 200, answer.text
    # B hands in the untouched student version from the home.
    for person in (a, b):
        result = person.run(person.kernel, (
            "import subprocess\n"
            f"r = subprocess.run(['nbgrader', 'submit', '{ASSIGNMENT}'], capture_output=True, text=True,"
            " cwd=__import__('os').path.expanduser('~/exercises'))\n"
            "print(r.returncode, r.stderr[-800:])"))
        assert result["stdout"].startswith("0"), result

    env = nbgrader_env()
    subprocess.run([str(BIN / "nbgrader"), "collect", ASSIGNMENT], cwd=course, env=env, check=True, capture_output=True)
    assert {a.name, b.name} <= {p.name for p in (course / "submitted").iterdir()}
    graded = subprocess.run([str(BIN / "autograder"), "grade", ASSIGNMENT, "--course", str(course)],
                            env=env, capture_output=True, text=True)
    assert graded.returncode == 0, graded.stdout + graded.stderr
    export = hub["root"] / "grades.csv"
    subprocess.run([str(BIN / "autograder"), "export", "--course", str(course), "--csv", str(export)],
                   env=env, check=True, capture_output=True)
    rows = {row["student_id"]: row for row in csv.DictReader(export.open()) if row["assignment"] == ASSIGNMENT}
    source = nbformat.read(course / "source" / ASSIGNMENT / NOTEBOOK, 4)
    autograded = sum(c.metadata["nbgrader"].get("points", 0) for c in source.cells
                     if c.metadata.get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"].get("solution"))
    assert autograded > 0
    assert float(rows[a.name]["score"]) == autograded, (rows, graded.stdout[-3000:])
    assert float(rows[b.name]["score"]) == 0

    for step in ("generate_feedback", "release_feedback"):
        subprocess.run([str(BIN / "nbgrader"), step, ASSIGNMENT], cwd=course, env=env, check=True, capture_output=True)
    result = a.run(a.kernel, (
        "import subprocess, os\n"
        f"r = subprocess.run(['nbgrader', 'fetch_feedback', '{ASSIGNMENT}'], capture_output=True, text=True,"
        " cwd=os.path.expanduser('~/exercises'))\n"
        "print(r.returncode, r.stderr[-800:])"))
    assert result["stdout"].startswith("0"), result
    pages = list((hub["root"] / "home" / a.name / "exercises" / ASSIGNMENT / "feedback").rglob("*.html"))
    assert pages, "the released feedback reaches A's home"
    assert "BEGIN HIDDEN TESTS" not in pages[0].read_text()


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.mark.browser
def test_browser_logs_in_and_runs_the_first_lesson_cell(hub):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            raise RuntimeError("chromium is missing: run `make system-deps`")
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    name = hub["names"]["c"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page()
            page.goto(f"{hub['base']}/hub/login")
            page.fill("#username_input", name)
            page.fill("#password_input", hub["code"])
            page.click("#login_submit")
            page.wait_for_url(f"**/user/{name}/lab**", timeout=180_000)
            page.goto(f"{hub['base']}/user/{name}/lab/tree/lessons/{LESSON}.ipynb")
            first = page.locator(".jp-Notebook .jp-CodeCell").first
            first.wait_for(timeout=120_000)
            page.locator("#jp-main-statusbar", has_text="Idle").wait_for(timeout=120_000)
            first.locator(".jp-InputArea-editor").click()
            page.keyboard.press("Shift+Enter")
            try:
                first.locator(".jp-InputArea-prompt", has_text="[1]:").wait_for(timeout=180_000)
            except Exception:
                page.screenshot(path=str(hub["root"].parent / "workshop-browser-failure.png"))
                raise
            assert not first.locator("[data-mime-type='application/vnd.jupyter.stderr']").count()
        finally:
            browser.close()


def test_hub_stops_cleanly(hub, people):
    process = hub["process"]
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    from workshop.serve import participant_pids
    assert participant_pids(hub["layout"]) == []
    left = subprocess.run(["pgrep", "-f", str(hub["root"])], capture_output=True, text=True).stdout.split()
    assert left == [], f"processes of the workshop are still running: {left}"


def test_restart_keeps_accounts_files_and_submissions(hub, people):
    """After test_hub_stops_cleanly: the same DIR again, and A carries on where they were."""
    a = people["a"]
    hub["process"] = start_hub(hub, timeout=300)
    again = Participant(hub["base"], a.name)
    assert again.login(hub["code"]).status_code == 200
    again.wait_for_server()
    listing = again.api("GET", f"contents/exercises/{ASSIGNMENT}/feedback").json()
    assert listing["type"] == "directory" and listing["content"], "A's fetched feedback is still there"
    inbound = hub["root"] / "exchange" / "daten-ki-gemeinwohl-en" / "inbound"
    assert any(p.name.startswith(a.name + "+") for p in inbound.iterdir()), "the submission is kept"
    with sqlite3.connect(hub["root"] / "hub" / "jupyterhub.sqlite") as db:
        names = {row[0] for row in db.execute("SELECT name FROM users")}
    assert {a.name, people["b"].name, "trainer"} <= names
