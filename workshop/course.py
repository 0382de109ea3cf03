"""The workshop's course: DIR/course is a standard nbgrader course made by `autograder init-course`,
with nbgrader's exchange in DIR/exchange; DIR/home-template holds what each home starts with."""
import subprocess
import sys
from pathlib import Path

from coursebuild.course import nbgrader_env
from coursebuild.datasets import write_all
from coursebuild.files import write_if_changed
from coursebuild.notebooks import data_files, for_language, read_source, to_json
from coursebuild.site import published_lessons

EXCHANGE_MARK = "# Workshop hub: nbgrader's exchange"

PARTICIPANT_CONFIG = '''\
# nbgrader for the participants of this workshop, written by `workshop serve`.
import os

c = get_config()  # noqa: F821 (provided by Jupyter's config loader)
c.CourseDirectory.course_id = {course_id!r}
c.Exchange.root = {exchange!r}
# Exercises live in ~/exercises/<assignment>/: fetch puts them there and submit takes them from there.
c.Exchange.assignment_dir = os.path.expanduser("~/exercises")
'''

# Participants get the Assignments panel only (the trainer's tools work on DIR/course, not in a home),
# JupyterLab without Jupyter Notebook's own interface and without language-server or jupytext
# extensions (the course is .ipynb in JupyterLab), and an extension manager that only lists: the
# environment is root's, so installing would fail. Each of these costs CPU at every server start,
# and thirty servers start at once.
SERVER_CONFIG = '''\
{"ServerApp": {"jpserver_extensions": {"nbgrader.server_extensions.formgrader": false,
                                       "nbgrader.server_extensions.course_list": false,
                                       "jupyter_lsp": false, "jupyterlab_jupytext": false,
                                       "notebook": false, "notebook_shim": false}},
 "LabApp": {"extension_manager": "readonly"}}
'''
LAB_PAGE_CONFIG = '''\
{"disabledExtensions": {"@jupyter/nbgrader:formgrader": true, "@jupyter/nbgrader:create-assignment": true,
                        "@jupyter/nbgrader:course-list": true, "@jupyter-notebook/lab-extension": true,
                        "@jupyterlab/apputils-extension:announcements": true}}
'''


def course_id(course: Path) -> str:
    script = ("from nbgrader.apps.baseapp import NbGrader\napp = NbGrader()\napp.load_config_file()\n"
              "print(app.config.CourseDirectory.course_id)")
    return run_python(script, course).strip()


def run_python(script: str, cwd: Path, *args: str) -> str:
    result = subprocess.run([sys.executable, "-c", script, *args], cwd=cwd, env=nbgrader_env(),
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"nbgrader failed in {cwd}:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def ensure_course(course: Path, exchange: Path, lang: str, log=print) -> list[str]:
    """Creates the course on first start, tells its config about the exchange and releases every
    assignment that is not released yet. Returns the assignment names."""
    if not (course / "nbgrader_config.py").exists():
        log(f"Creating the nbgrader course in {course} ...")
        result = subprocess.run([sys.executable, "-m", "autograder", "init-course", str(course), "--lang", lang],
                                env=nbgrader_env(), capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"autograder init-course failed:\n{result.stdout}\n{result.stderr[-3000:]}")
    course.chmod(0o700)
    config = course / "nbgrader_config.py"
    if EXCHANGE_MARK not in config.read_text():
        with config.open("a") as f:
            f.write(f"\n{EXCHANGE_MARK} (written by `workshop serve`).\nc.Exchange.root = {str(exchange)!r}\n")
    exchange.mkdir(exist_ok=True)
    names = sorted(p.name for p in (course / "release").iterdir() if p.is_dir())
    cid = course_id(course)
    new = [n for n in names if not (exchange / cid / "outbound" / n).exists()]
    if new:
        script = ("import sys\nfrom nbgrader.apps import NbGraderAPI\nfrom nbgrader.apps.baseapp import NbGrader\n"
                  "app = NbGrader()\napp.load_config_file()\napi = NbGraderAPI(config=app.config)\n"
                  "for name in sys.argv[1:]:\n"
                  "    result = api.release_assignment(name)\n"
                  "    if not result['success']:\n"
                  "        sys.exit(name + ': ' + result['error'] + result['log'])\n")
        run_python(script, course, *new)
    return names


def write_participant_config(folder: Path, course_id_: str, exchange: Path) -> None:
    write_if_changed(folder / "nbgrader_config.py", PARTICIPANT_CONFIG.format(course_id=course_id_, exchange=str(exchange)))
    write_if_changed(folder / "jupyter_server_config.json", SERVER_CONFIG)
    write_if_changed(folder / "labconfig" / "page_config.json", LAB_PAGE_CONFIG)
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


def write_home_template(template: Path, course: Path, lang: str, scratch: Path) -> None:
    """lessons/ with their data and exercises/<assignment>/ as the course released them (student
    versions): the same notebooks as `coursebuild notebooks`, for one language."""
    data = write_all(scratch)
    for source in published_lessons():
        nb = for_language(read_source(source), lang)
        write_if_changed(template / "lessons" / f"{source.stem}.ipynb", to_json(nb))
        for filename in data_files(nb):
            write_if_changed(template / "lessons" / filename, data[filename].read_bytes())
    for folder in sorted((course / "release").iterdir()):
        for path in folder.rglob("*"):
            if path.is_file():
                write_if_changed(template / "exercises" / folder.name / path.relative_to(folder), path.read_bytes())
    for path in [template, *template.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
