"""The screenshots of the trainer's guide (book/trainers.*.md), made with our real tools: a small
course of one exercise in a temporary folder, a Moodle download of four synthetic learners,
`autograder collect`, `grade`, the marking page of `autograder mark` (one reflection graded in the
browser), nbgrader's formgrader with our marking guide, `feedback`, `report` and `return`,
photographed with Playwright and Debian's chromium.

    .venv/bin/python -m coursebuild.screenshots [--lang de en] [--out book/images]

writes book/images/trainers-{marking,formgrader,report,feedback}.{de,en}.png (1000 px wide, 256 colours, so
that each stays small). Needs bubblewrap and chromium, like the tests; takes a few minutes."""
import argparse
import io
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path

import nbformat
from nbgrader import utils
from nbgrader.api import Gradebook

from .course import build_course, nbgrader_env, notebook_file
from .datasets import write_all

REPO = Path(__file__).resolve().parent.parent
EXERCISE = "02-data-quality"
AUTOGRADER = "import sys; from autograder.cli import main; sys.exit(main())"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
WIDTH = 1000
UPLOADED = (2026, 3, 1, 21, 45, 0)
# Moodle name -> (participant number, what they did): "all" solves everything, "skip" leaves the
# last question as handed out, "loop" hangs in the first.
LEARNERS = {
    "Ben Bauer": ("101", "all"),
    "Jörg Müller": ("102", "skip"),
    "Олена Коваленко": ("103", "all"),
    "Cem Yılmaz": ("104", "loop"),
}
TEXT = {
    "de": {"reflection": "Weil fehlende Werte sonst unbemerkt die Summe der Spenden verfälschen. Wir prüfen "
                         "deshalb jede Spalte, bevor wir Zahlen an den Vorstand geben.",
           "comment": "Guter Grund, klar erklärt. Ein Beispiel aus eurem Verein hätte es noch stärker gemacht.",
           "link": "Seite zum Bewerten: "},
    "en": {"reflection": "Because missing values would otherwise quietly distort the total of donations. So we "
                         "check every column before we give numbers to the board.",
           "comment": "Good reason, clearly explained. An example from your own club would make it even stronger.",
           "link": "Grading page: "},
}


def autograder(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-c", AUTOGRADER, *args], env=nbgrader_env(), capture_output=True,
                            text=True)
    if check and result.returncode != 0:
        raise RuntimeError(f"autograder {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def handed_in(course: Path, lang: str, how: str) -> bytes:
    """The learners' version with the solution's answers (markers removed), one of them changed by `how`."""
    solution = nbformat.read(course / "source" / EXERCISE / notebook_file(EXERCISE), as_version=4)
    answers = {c.metadata.nbgrader["grade_id"]: "\n".join(line for line in c.source.splitlines() if "SOLUTION" not in line)
               for c in solution.cells if utils.is_solution(c) and not utils.is_grade(c)}
    nb = nbformat.read(course / "release" / EXERCISE / notebook_file(EXERCISE), as_version=4)
    ids = [c.metadata.nbgrader["grade_id"] for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") in answers]
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if utils.is_solution(cell) and utils.is_grade(cell) and cell.cell_type == "markdown":
            cell.source = TEXT[lang]["reflection"]
        elif grade_id == ids[0] and how == "loop":
            cell.source = "while True:\n    pass"
        elif grade_id in answers and not (grade_id == ids[-1] and how == "skip"):
            cell.source = answers[grade_id]
    return nbformat.writes(nb).encode()


def moodle_download(course: Path, lang: str, path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, (number, how) in LEARNERS.items():
            entry = zipfile.ZipInfo(f"{name}_{number}_assignsubmission_file_{notebook_file(EXERCISE)}", UPLOADED)
            archive.writestr(entry, handed_in(course, lang, how))
    return path


def save_small(png: bytes, target: Path) -> None:
    """256 colours are plenty for text on a page, and make the file a fraction of the size."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)


def marking_page(course: Path, lang: str, out: Path, browser) -> None:
    """Grades the first reflection on `autograder mark`'s page, photographed just before saving."""
    server = subprocess.Popen([sys.executable, "-c", AUTOGRADER, "mark", EXERCISE, "--course", str(course),
                               "--no-browser"], env=nbgrader_env(), stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        if TEXT[lang]["link"] not in line:
            raise RuntimeError(f"autograder mark did not start: {line}")
        page = browser.new_page(viewport={"width": WIDTH, "height": 760})
        page.goto(line.split(": ", 1)[1].split()[0])
        page.get_by_role("link", name="ben-bauer").first.click()
        page.locator("#score").fill("2")
        page.locator("#comment").fill(TEXT[lang]["comment"])
        save_small(page.screenshot(), out / f"trainers-marking.{lang}.png")
        page.get_by_role("button").last.click()
        page.wait_for_load_state()
        page.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def formgrader(course: Path, lang: str, out: Path, browser) -> None:
    """Jörg's reflection in nbgrader's formgrader, with the marking guide below it."""
    port, token = free_port(), secrets.token_hex(16)
    server = subprocess.Popen([sys.executable, "-m", "jupyter", "server", "--no-browser", "--allow-root",
                               f"--port={port}", "--ServerApp.ip=127.0.0.1", f"--ServerApp.token={token}",
                               f"--ServerApp.root_dir={course}"], cwd=course, env=nbgrader_env(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
            submission = gb.find_submission_notebook(notebook_file(EXERCISE).removesuffix(".ipynb"), EXERCISE,
                                                     "joerg-mueller").id
        page = browser.new_page(viewport={"width": WIDTH, "height": 760},
                                extra_http_headers={"Authorization": f"token {token}"})
        page.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())
        with page.expect_response(lambda r: "/formgrader/api/grades" in r.url and r.ok, timeout=120000):
            page.goto(f"http://127.0.0.1:{port}/formgrader/submissions/{submission}/")
        guide = page.locator("blockquote").last
        guide.wait_for(timeout=120000)
        page.locator(".nbgrader_cell", has_text=TEXT[lang]["reflection"][:40]).scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, -120)")
        save_small(page.screenshot(), out / f"trainers-formgrader.{lang}.png")
        page.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


def grade_the_rest_by_hand(course: Path, lang: str) -> None:
    """The other reflections, as the trainer would grade them on the same page."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for submission in gb.find_assignment(EXERCISE).submissions:
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if grade.needs_manual_grade and grade.manual_score is None:
                        grade.manual_score = grade.max_score / 2
                        grade.needs_manual_grade = False
        gb.db.commit()


def photograph(path: Path, target: Path, browser, height: int) -> None:
    page = browser.new_page(viewport={"width": WIDTH, "height": height})
    page.goto(path.as_uri())
    save_small(page.screenshot(), target)
    page.close()


def make(lang: str, out: Path, work: Path, browser) -> list[Path]:
    course = work / f"course-{lang}"
    build_course(course, lang, write_all(work / "data"), only=[EXERCISE])
    download = moodle_download(course, lang, work / f"moodle-{lang}.zip")
    autograder("collect", EXERCISE, "--zip", str(download), "--course", str(course))
    # Cem's loop runs into the cell time limit: the report lists it, the feedback says why.
    autograder("grade", EXERCISE, "--course", str(course), "--timeout", "5", "--workers", "2")
    marking_page(course, lang, out, browser)
    formgrader(course, lang, out, browser)
    grade_the_rest_by_hand(course, lang)
    autograder("feedback", EXERCISE, "--course", str(course))
    autograder("report", EXERCISE, "--course", str(course), "--html", str(work / f"report-{lang}.html"))
    autograder("return", EXERCISE, "--course", str(course), "--moodle-zip", str(work / f"feedback-{lang}.zip"))
    photograph(work / f"report-{lang}.html", out / f"trainers-report.{lang}.png", browser, 900)
    with zipfile.ZipFile(work / f"feedback-{lang}.zip") as returned:
        returned.extractall(work / f"returned-{lang}")
    page = next((work / f"returned-{lang}").glob("Jörg Müller_102_*/*.html"))
    photograph(page, out / f"trainers-feedback.{lang}.png", browser, 900)
    return [out / f"trainers-{name}.{lang}.png" for name in ("marking", "formgrader", "report", "feedback")]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Make the screenshots of the trainer's guide.")
    parser.add_argument("--lang", nargs="+", default=["de", "en"], choices=["de", "en"])
    parser.add_argument("--out", type=Path, default=REPO / "book" / "images")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="screenshots-") as work, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            for lang in args.lang:
                for path in make(lang, args.out, Path(work), browser):
                    print(f"{path} ({path.stat().st_size // 1024} KB)")
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
