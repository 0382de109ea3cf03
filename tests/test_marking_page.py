"""`autograder mark` in a real browser (Debian's chromium through Playwright): the trainer grades a
reflection with the task, the marking guide and the answer side by side, in the course's language,
and the points and comment land in nbgrader's gradebook where formgrader keeps them."""
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from nbgrader.api import Gradebook

from coursebuild.course import nbgrader_env
from grading_helpers import AUTOGRADER, grade, nbgrader, require_bwrap, submit
from test_trainer_day import ASSIGNMENT, make_course

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]

pytestmark = [pytest.mark.browser, pytest.mark.sandbox, pytest.mark.slow]


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory):
    """Each test grades its own learner: ben-bauer on our page, zoe-zahn in formgrader."""
    require_bwrap()
    course = make_course(tmp_path_factory.mktemp("marking") / "kurs", "de")
    submit(course, ASSIGNMENT, "ben-bauer", ASSIGNMENT,
           {"a1": "summe = 6", "reflection": "Damit wir <script>alert(1)</script> planen können."})
    submit(course, ASSIGNMENT, "olena-kovalenko", ASSIGNMENT, {"a1": "summe = 6", "reflection": "Für den Bericht."})
    submit(course, ASSIGNMENT, "zoe-zahn", ASSIGNMENT, {"a1": "summe = 6", "reflection": "Für die Planung."})
    result = grade(course, ASSIGNMENT)
    assert result.returncode == 0, result.stderr
    return course


@pytest.fixture
def marking_server(graded_course):
    process = subprocess.Popen([sys.executable, "-c", AUTOGRADER, "mark", ASSIGNMENT, "--course", str(graded_course),
                                "--no-browser"], env=nbgrader_env(), stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert "Seite zum Bewerten: http://127.0.0.1:" in line, line
        yield line.split(": ", 1)[1].split()[0]
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_trainer_grades_a_reflection_with_the_marking_guide_in_view(graded_course, marking_server):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (make system-deps)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            dialogs = []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.goto(marking_server)
            assert page.locator("html").get_attribute("lang") == "de"
            page.get_by_role("link", name="ben-bauer").click()
            task, guide, answer = (page.locator(f"section[aria-labelledby='{name}-heading']")
                                   for name in ("task", "guide", "answer"))
            assert "Warum zählen wir die Ausgaben?" in task.inner_text()
            assert "1 Punkt für den Zweck" in guide.inner_text()
            assert "Musterantwort und Bewertungshinweise" in guide.inner_text()
            # grade already took the tag out of the written answer (sanitize.py); its text stays, nothing runs.
            assert "Damit wir alert(1) planen können." in answer.inner_text() and not dialogs
            boxes = [section.bounding_box() for section in (task, guide, answer)]
            assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"] and abs(boxes[1]["y"] - boxes[2]["y"]) < 5, \
                "side by side on a wide screen"
            page.get_by_label("Punkte").fill("1.5")
            page.get_by_label("Kommentar").fill("Guter Zweck, ein Beispiel fehlt.")
            page.get_by_role("button", name="Speichern und weiter zur nächsten").click()
            page.wait_for_url("**/grade?*olena-kovalenko*")
            assert page.get_by_role("status").inner_text() == "Gespeichert."
        finally:
            browser.close()
    with Gradebook(f"sqlite:///{graded_course}/gradebook.db", "verein-de") as gb:
        grade_ = gb.find_grade("reflection", ASSIGNMENT, ASSIGNMENT, "ben-bauer")
        assert grade_.manual_score == 1.5 and not grade_.needs_manual_grade
        assert gb.find_comment("reflection", ASSIGNMENT, ASSIGNMENT, "ben-bauer").manual_comment == \
            "Guter Zweck, ein Beispiel fehlt."
        assert gb.find_submission(ASSIGNMENT, "olena-kovalenko").needs_manual_grade
    # A form posted from elsewhere (without the page's token) changes nothing.
    request = urllib.request.Request(marking_server + "grade", method="POST", data=(
        f"student=olena-kovalenko&notebook={ASSIGNMENT}&cell=reflection&score=2&token=guess").encode())
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 400
    with Gradebook(f"sqlite:///{graded_course}/gradebook.db", "verein-de") as gb:
        assert gb.find_grade("reflection", ASSIGNMENT, ASSIGNMENT, "olena-kovalenko").manual_score is None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def formgrader(graded_course):
    """A real Jupyter server with nbgrader's formgrader in the course, with our marking guides."""
    config = graded_course / "nbgrader_config.py"
    config.write_text(config.read_text() + 'c.HTMLExporter.preprocessors = ["autograder.formgrade.MarkingGuides"]\n')
    port, token = free_port(), secrets.token_hex(16)
    server = subprocess.Popen([sys.executable, "-m", "jupyter", "server", "--no-browser", "--allow-root", f"--port={port}",
                               "--ServerApp.ip=127.0.0.1", f"--ServerApp.token={token}",
                               f"--ServerApp.root_dir={graded_course}"],
                              cwd=graded_course, env=nbgrader_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=5)
                break
            except OSError:
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}", token
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_formgrader_shows_the_marking_guide_below_the_answer_and_feedback_never_does(graded_course, formgrader):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (make system-deps)")
    from playwright.sync_api import sync_playwright

    base, token = formgrader
    with Gradebook(f"sqlite:///{graded_course}/gradebook.db", "verein-de") as gb:
        submission = gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, "zoe-zahn").id
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            # The token as a header: formgrader's own requests then carry it too (jupyter_server
            # sets no cookie for a token in the URL). Nothing may load from the internet.
            page = browser.new_page(viewport={"width": 1400, "height": 900},
                                    extra_http_headers={"Authorization": f"token {token}"})
            page.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())
            with page.expect_response(lambda r: "/formgrader/api/grades" in r.url and r.ok, timeout=60000):
                page.goto(f"{base}/formgrader/submissions/{submission}/")
            guide = page.locator("blockquote", has_text="Bewertungshinweis (nur für Lehrende")
            guide.wait_for(timeout=60000)
            assert "1 Punkt für den Zweck" in guide.inner_text()
            answer = page.locator(".nbgrader_cell", has_text="Für die Planung.")
            assert answer.bounding_box()["y"] < guide.bounding_box()["y"], "the guide comes right after the answer"
            score = page.locator("input.score#reflection")
            with page.expect_response(lambda r: "/formgrader/api/grade/" in r.url and r.request.method == "PUT",
                                      timeout=60000) as saved:
                score.fill("2")
                score.press("Tab")
            assert saved.value.ok, saved.value.status
        finally:
            browser.close()
    with Gradebook(f"sqlite:///{graded_course}/gradebook.db", "verein-de") as gb:
        assert gb.find_grade("reflection", ASSIGNMENT, ASSIGNMENT, "zoe-zahn").manual_score == 2
    # nbgrader's own feedback uses the same exporter: the guide must stay out of it.
    nbgrader(graded_course, "generate_feedback", ASSIGNMENT, "--force")
    feedback = (graded_course / "feedback" / "zoe-zahn" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "Für die Planung." in feedback and "1 Punkt für den Zweck" not in feedback
