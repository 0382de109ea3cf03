"""Every lesson runs from top to bottom in both languages, within its time budget."""
import time

import nbformat
import pytest
from nbclient import NotebookClient

from coursebuild import LANGUAGES
from coursebuild.notebooks import data_files, for_language, language_tags, lesson_sources, read_source

LESSONS = lesson_sources()
# A guard against a hanging cell, not the time budget (60 s per lesson): execution times are
# printed (pytest -s) and reported, never asserted, because this machine's speed varies.
CELL_TIMEOUT = 60


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("source", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_executes(source, lang, tmp_path, generated_data):
    nb = for_language(read_source(source), lang)
    for filename in data_files(nb):
        (tmp_path / filename).write_bytes(generated_data[filename].read_bytes())
    start = time.perf_counter()
    NotebookClient(nb, timeout=CELL_TIMEOUT, resources={"metadata": {"path": str(tmp_path)}}).execute()
    seconds = time.perf_counter() - start
    print(f"{source.stem} [{lang}] executed in {seconds:.1f} s")


@pytest.mark.parametrize("source", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_is_complete_in_both_languages(source):
    nb = read_source(source)
    prose = {lang: [c for c in nb.cells if language_tags(c) == {lang}] for lang in LANGUAGES}
    assert len(prose["de"]) == len(prose["en"]), "German and English should have the same number of text cells"
    assert "ipywidgets" in "".join(c.source for c in nb.cells if c.cell_type == "code"), "a lesson needs a widget"
    assert not [c for c in nb.cells if c.cell_type == "code" and language_tags(c)], "code is shared, not per language"
