"""`autograder mark` in a real browser (Debian's chromium through Playwright): the trainer grades a
reflection with the task, the marking guide and the answer side by side, in the course's language,
and the points and comment land in nbgrader's gradebook where formgrader keeps them."""
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from nbgrader.api import Gradebook

from coursebuild.course import nbgrader_env
from grading_helpers import AUTOGRADER, grade, require_bwrap, submit
from test_trainer_day import ASSIGNMENT, make_course

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]

pytestmark = [pytest.mark.browser, pytest.mark.sandbox, pytest.mark.slow]


@pytest.fixture
def graded_course(tmp_path):
    require_bwrap()
    course = make_course(tmp_path / "kurs", "de")
    submit(course, ASSIGNMENT, "ben-bauer", ASSIGNMENT,
           {"a1": "summe = 6", "reflection": "Damit wir <script>alert(1)</script> planen können."})
    submit(course, ASSIGNMENT, "olena-kovalenko", ASSIGNMENT, {"a1": "summe = 6", "reflection": "Für den Bericht."})
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
            assert "<script>alert(1)</script>" in answer.inner_text() and not dialogs
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
