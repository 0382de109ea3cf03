"""Real nbgrader courses and submissions for the tests of `autograder grade`: an assignment made
with `nbgrader generate_assignment`, submissions written from its student version, and a look at
everything outside the sandbox before and after grading."""
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import nbgrader as nbgrader_package
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from nbgrader.api import Gradebook

from coursebuild import REPO
from coursebuild.course import nbgrader_env, run_nbgrader

SANDBOX_UIDS = range(61000, 61100)
# Our own small course (two students, the scores of plain `nbgrader autograde` in grades.csv) and
# the notebooks of nbgrader's own tests, from the installed package.
CLUB101 = REPO / "tests" / "fixtures" / "club101"
NBGRADER_FILES = Path(nbgrader_package.__file__).parent / "tests" / "apps" / "files"
AUTOGRADER = "import sys; from autograder.cli import main; sys.exit(main(sys.argv[1:]))"


def require_bwrap() -> None:
    """The sandbox tests run in CI (CI=true) no matter what; locally they need bubblewrap."""
    if shutil.which("bwrap") is None and not os.environ.get("CI"):
        pytest.skip("bubblewrap (bwrap) is not installed: `make system-deps`")


def nbgrader(course: Path, *args: str) -> str:
    """Runs plain nbgrader in the course (failing on an error); returns what it printed."""
    result = run_nbgrader(list(args), course)
    return result.stdout + result.stderr


def copy_club101(course: Path) -> Path:
    """A copy of the club101 fixture course (without its grades.csv) with its assignment ps1 generated."""
    shutil.copytree(CLUB101, course, ignore=shutil.ignore_patterns("grades.csv"))
    nbgrader(course, "generate_assignment", "ps1", "--force")
    return course


def grade(course: Path, assignment: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """The real command, at most two workers (the machine is shared)."""
    return subprocess.run([sys.executable, "-c", AUTOGRADER, "grade", assignment, "--course", str(course),
                           "--workers", "2", *args], env=env or nbgrader_env(), capture_output=True, text=True)


def meta(grade_id: str, *, grade=False, solution=False, locked=False, points=None) -> dict:
    """A cell's nbgrader metadata, as the Create Assignment toolbar writes it."""
    data = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        data["points"] = points
    return {"nbgrader": data}


def answer(grade_id: str, solution: str):
    return new_code_cell(f"### BEGIN SOLUTION\n{solution}\n### END SOLUTION", metadata=meta(grade_id, solution=True))


def check_cell(grade_id: str, source: str, points: float = 1):
    return new_code_cell(source, metadata=meta(grade_id, grade=True, locked=True, points=points))


def make_course(root: Path, assignment: str, notebooks: dict[str, nbformat.NotebookNode],
                files: dict[str, str] | None = None) -> Path:
    """A course with one assignment from these source notebooks, released by real nbgrader."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.course_id = 'testcourse'\n")
    source = root / "source" / assignment
    source.mkdir(parents=True)
    for name, nb in notebooks.items():
        nbformat.write(nb, source / f"{name}.ipynb")
    for name, text in (files or {}).items():
        (source / name).write_text(text)
    nbgrader(root, "generate_assignment", assignment, "--force")
    return root


def submit(course: Path, assignment: str, student: str, name: str, answers: dict[str, str] | None = None,
           notebook: Path | None = None) -> Path:
    """Hands in the released notebook with these answers (grade_id -> code), or a given notebook file."""
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.ipynb"
    if notebook is not None:
        shutil.copyfile(notebook, target)
        return target
    nb = nbformat.read(course / "release" / assignment / f"{name}.ipynb", as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in (answers or {}):
            cell.source = answers[grade_id]
    nbformat.write(nb, target)
    return target


def scores(course: Path, assignment: str) -> dict[str, dict[str, float]]:
    """{student: {grade_id: auto_score}} from the gradebook, as formgrader sees it."""
    found = {}
    with Gradebook(f"sqlite:///{course}/gradebook.db", "testcourse") as gb:
        for submission in gb.assignment_submissions(assignment):
            found[submission.student.id] = {grade.name: grade.auto_score for nb in submission.notebooks
                                            for grade in nb.grades}
    return found


def totals(course: Path, assignment: str, course_id: str = "testcourse") -> dict[str, float]:
    with Gradebook(f"sqlite:///{course}/gradebook.db", course_id) as gb:
        return {s.student.id: s.score for s in gb.assignment_submissions(assignment)}


def run_record(course: Path, assignment: str) -> dict:
    return json.loads((course / "autograder" / assignment / "run.json").read_text())["students"]


def outputs(path: Path, tests: bool = True) -> str:
    """Everything a graded notebook's cells (without its test cells: tests=False) printed or raised."""
    nb = nbformat.read(path, as_version=4)
    return "\n".join(str(output.get("text", "")) + str(output.get("data", "")) + str(output.get("evalue", ""))
                     for cell in nb.cells if cell.cell_type == "code"
                     and (tests or not cell.metadata.get("nbgrader", {}).get("grade"))
                     for output in cell.outputs)


def fingerprint(*folders: Path) -> dict[str, str]:
    """Every file below these folders with a hash of its content and its mode."""
    found = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest() + oct(path.stat().st_mode)
    return found


def sandbox_processes(within: str | None = None) -> list[str]:
    """Live processes of sandbox uids (zombies are dead already; the system's init reaps them);
    `within`: only those whose command line names this folder (the TMPDIR of one grading run, so
    that other grading runs on the same machine do not count)."""
    result = subprocess.run(["ps", "-eo", "uid=,pid=,stat=,args="], capture_output=True, text=True)
    return [line for line in result.stdout.splitlines()
            if int(line.split()[0]) in SANDBOX_UIDS and not line.split()[2].startswith("Z")
            and (within is None or within in line)]


def markdown(text: str):
    return new_markdown_cell(text)


def notebook(*cells):
    nb = new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb
