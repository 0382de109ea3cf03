"""Learners without a hub: every zip download carries a pinned requirements.txt with what its notebook
imports, and a fresh virtual environment made from one of them runs that notebook."""
import subprocess
import venv
import zipfile

import nbformat
import pytest

from coursebuild.notebooks import exercise_sources, for_language, lesson_sources, read_source
from coursebuild.requirements import imported_modules, notebook_requirements, pins

# Module 1's lesson: the quickest install (pandas, matplotlib, ipywidgets); the test above checks the
# requirements of every other notebook against its imports.
LESSON = "01-reading-data"


@pytest.mark.parametrize("source", lesson_sources() + exercise_sources(), ids=lambda p: f"exercise-{p.parent.name}" if p.name == "exercise.md" else f"lesson-{p.stem}")
def test_requirements_pin_every_import(source):
    nb = for_language(read_source(source), "en")
    text = notebook_requirements(nb)
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert all("==" in line for line in lines)
    assert set(lines) <= set(pins().values()), "pins come from the project's requirements.txt"
    named = {line.split("==")[0].lower() for line in lines}
    assert {"jupyterlab", "ipykernel"} <= named
    for module in imported_modules(nb):
        dist = {"sklearn": "scikit-learn"}.get(module, module).lower()
        assert dist in named, f"{source}: imports {module} but its requirements.txt lacks it"


def test_every_zip_carries_requirements(site):
    zips = sorted(site.rglob("*.zip"))
    assert zips
    for path in zips:
        with zipfile.ZipFile(path) as archive:
            assert "requirements.txt" in archive.namelist(), path


@pytest.mark.slow
def test_fresh_venv_from_a_zip_runs_its_notebook(site, tmp_path):
    # As a learner downloads it from the lesson's page (Sphinx serves downloads from _downloads/<hash>/).
    [archive] = [z for z in map(zipfile.ZipFile, (site / "en").rglob(f"{LESSON}.zip"))
                 if f"{LESSON}.ipynb" in z.namelist()]
    folder = tmp_path / "download"
    archive.extractall(folder)
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    # pip's cache (or --find-links from the environment) serves the wheels; no project code is installed.
    install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-r", "requirements.txt"],
                             cwd=folder, capture_output=True, text=True)
    assert install.returncode == 0, install.stderr[-3000:]
    run = subprocess.run([str(env / "bin" / "jupyter"), "nbconvert", "--to", "notebook", "--execute",
                          "--ExecutePreprocessor.timeout=120", "--output", "executed.ipynb", f"{LESSON}.ipynb"],
                         cwd=folder, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-3000:]
    kernel = subprocess.run([str(python), "-c", "from jupyter_client.kernelspec import KernelSpecManager as K;"
                             "print(K().get_kernel_spec('python3').argv[0])"], capture_output=True, text=True)
    assert kernel.stdout.strip() in (str(python), "python"), "the notebook ran in the fresh environment"
    executed = nbformat.read(folder / "executed.ipynb", 4)
    assert all(c.get("execution_count") for c in executed.cells if c.cell_type == "code")
