"""Turns the exercises into a standard nbgrader course for one language and lets nbgrader
generate the student versions (release/)."""
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import nbformat

from autograder.judging.integrity import GUARD_MODULE

from . import LANGUAGES
from .files import copy_if_changed, write_if_changed
from .notebooks import data_files, exercise_sources, for_language, read_source, to_json


def notebook_file(assignment: str) -> str:
    """Each exercise's notebook is named after its assignment (02-data-quality.ipynb), so a download
    says which exercise it is, and a trainer's tools can tell the exercises apart."""
    return f"{assignment}.ipynb"


STUBS = {
    "de": {"code": "# DEINE LÖSUNG HIER\nraise NotImplementedError()", "text": "DEINE ANTWORT HIER"},
    "en": {"code": "# YOUR CODE HERE\nraise NotImplementedError()", "text": "YOUR ANSWER HERE"},
}

# The first code cell of every student notebook: a test cell run before its answer is written
# says so in the notebook's language instead of a bare English NameError. The error itself
# stays an error (IPython shows it through the handler), so grading is unchanged. Under
# `autograder grade` the cell does nothing: its guard watches these IPython hooks.
ERROR_HELP = {
    "de": {
        "comment": "# Diese Zelle hat der Kurs eingefügt: Sie erklärt Fehlermeldungen auf Deutsch. Du musst an ihr nichts ändern.",
        "missing": "Die Antwort in der Zelle oben fehlt noch: `{name}` ist noch nicht festgelegt. Schreibe deine Lösung in die "
                   "Zelle mit `raise NotImplementedError()` über diesem Test, führe sie aus und dann diesen Test. (Oder ein "
                   "Tippfehler im Namen? Oder eine Zelle weiter oben wurde noch nicht ausgeführt?)",
        "stub": "Hier fehlt noch deine Antwort: Lösche die Zeile `raise NotImplementedError()` und schreibe deine Lösung an ihre Stelle.",
    },
    "en": {
        "comment": "# The course added this cell: it explains error messages in English. You need not change anything in it.",
        "missing": "The answer in the cell above is still missing: `{name}` is not set yet. Write your solution in the cell "
                   "with `raise NotImplementedError()` above this test, run it, then run this test. (Or a typo in the name? "
                   "Or a cell further up has not been run yet?)",
        "stub": "Your answer is still missing here: delete the line `raise NotImplementedError()` and write your solution in its place.",
    },
}
ERROR_HELP_CELL = '''\
{comment}
def _explain_error(shell, etype, value, tb, tb_offset=None):
    if issubclass(etype, NotImplementedError):
        hint = {stub!r}
    else:
        hint = {missing!r}.replace("{{name}}", str(getattr(value, "name", None) or value))
    trace = shell.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)
    trace = trace + ["\\x1b[1;31m" + hint + "\\x1b[0m"]
    shell._showtraceback(etype, value, trace)
    return trace


if {guard!r} not in __import__("sys").modules:
    get_ipython().set_custom_exc((NameError, NotImplementedError), _explain_error)
'''


def with_error_help(nb, lang: str):
    """The notebook with the error-help cell before its first code cell (hidden on the site)."""
    cell = nbformat.v4.new_code_cell(ERROR_HELP_CELL.format(guard=GUARD_MODULE, **ERROR_HELP[lang]).strip(),
                                     id="error-help")
    cell.metadata["tags"] = ["remove-cell"]
    first_code = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), len(nb.cells))
    nb.cells.insert(first_code, cell)
    return nb


CONFIG = '''\
# nbgrader configuration of the course "Daten, KI & Gemeinwohl" ({lang}), written by coursebuild.
import os

c = get_config()  # noqa: F821 (provided by Jupyter's config loader)
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "daten-ki-gemeinwohl-{lang}"
c.ClearSolutions.code_stub = {{"python": {code_stub!r}}}
c.ClearSolutions.text_stub = {text_stub!r}
# Feedback must never show hidden tests, nor the marking guides of trainer-graded tasks.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.ClearMarkScheme",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
# Formgrader shows each hand-graded answer's marking guide below it (only formgrader, never feedback).
c.HTMLExporter.preprocessors = ["autograder.formgrade.MarkingGuides"]
'''


def assignment_name(source: Path) -> str:
    return source.parent.name


def nbgrader_env() -> dict:
    """nbgrader runs `alembic` as a program, so the interpreter's bin/ must be on PATH."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def run_nbgrader(args: list[str], course: Path) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course, env=nbgrader_env(), capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed in {course}:\n{result.stdout}\n{result.stderr}")
    return result


def write_sources(course: Path, lang: str, data: dict[str, Path], only: list[str] | None = None) -> list[str]:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    stubs = STUBS[lang]
    write_if_changed(course / "nbgrader_config.py",
                     CONFIG.format(lang=lang, code_stub=stubs["code"], text_stub=stubs["text"]))
    names = []
    for source in exercise_sources():
        name = assignment_name(source)
        if only is not None and name not in only:
            continue
        nb = read_source(source)
        target = course / "source" / name
        write_if_changed(target / notebook_file(name), to_json(with_error_help(for_language(nb, lang), lang)))
        for stale in target.glob("*.ipynb"):   # e.g. the exercise.ipynb of older builds
            if stale.name != notebook_file(name):
                stale.unlink()
        for filename in data_files(nb):
            if filename not in data:
                raise FileNotFoundError(f"{source} needs data file {filename}, which no generator in data/generators writes")
            copy_if_changed(data[filename], target / filename)
        names.append(name)
    return names


def generate_release(course: Path, names: list[str]) -> None:
    """One nbgrader process for all assignments: start-up costs more than the work."""
    script = (
        "import sys\n"
        "from nbgrader.apps import NbGraderAPI\n"
        "from nbgrader.apps.baseapp import NbGrader\n"
        "app = NbGrader()\n"
        "app.load_config_file()\n"
        "api = NbGraderAPI(config=app.config)\n"
        "for name in sys.argv[1:]:\n"
        "    result = api.generate_assignment(name, force=True, create=True)\n"
        "    if not result['success']:\n"
        "        sys.exit(f'{name}: ' + result['error'] + result['log'])\n"
    )
    result = subprocess.run([sys.executable, "-c", script, *names], cwd=course, env=nbgrader_env(),
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"nbgrader could not generate the student versions in {course}:\n{result.stderr[-4000:]}")


def fingerprint(course: Path, names: list[str]) -> str:
    digest = hashlib.sha256((course / "nbgrader_config.py").read_bytes())
    for name in names:
        for path in sorted((course / "source" / name).rglob("*")):
            digest.update(path.name.encode() + path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()


def build_course(course: Path, lang: str, data: dict[str, Path], only: list[str] | None = None,
                 reuse: bool = False) -> list[str]:
    """Writes the course and returns its assignment names; `only` limits it to some exercises.
    With `reuse`, nbgrader does not run again when the sources are the same as last time."""
    names = write_sources(course, lang, data, only)
    stamp = course / ".coursebuild-sources"
    current = fingerprint(course, names)
    released = all((course / "release" / name / notebook_file(name)).exists() for name in names)
    if reuse and released and stamp.exists() and stamp.read_text() == current:
        return names
    generate_release(course, names)
    if reuse:
        stamp.write_text(current)
    return names
