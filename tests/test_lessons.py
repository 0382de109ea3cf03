"""Every lesson runs from top to bottom in both languages, within its time budget."""
import re
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
# A share or probability written with a decimal point ("0.845"), not part of a longer number or a date.
DECIMAL_POINT = re.compile(r"(?<![\d.,])0\.\d")
TAG = re.compile(r"<[^>]+>")


def printed_texts(nb) -> list[str]:
    """What a learner reads in the outputs: printed text, results, tables, Markdown (not images, not markup)."""
    texts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                texts.append(output.text)
            data = output.get("data", {})
            if "application/vnd.jupyter.widget-view+json" in data:
                continue   # the widget itself; what it shows comes as outputs of its own
            for kind, content in data.items():
                if kind in ("text/plain", "text/markdown"):
                    texts.append(content)
                elif kind == "text/html":
                    texts.append(TAG.sub(" ", content))
    return texts


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
    if lang == "de":
        points = [m.string[max(0, m.start() - 40):m.end() + 10] for text in printed_texts(nb) for m in DECIMAL_POINT.finditer(text)]
        assert not points, f"German output shows numbers with a decimal point instead of a comma: {points[:5]}"


@pytest.mark.parametrize("source", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_is_complete_in_both_languages(source):
    nb = read_source(source)
    prose = {lang: [c for c in nb.cells if language_tags(c) == {lang}] for lang in LANGUAGES}
    assert len(prose["de"]) == len(prose["en"]), "German and English should have the same number of text cells"
    assert "ipywidgets" in "".join(c.source for c in nb.cells if c.cell_type == "code"), "a lesson needs a widget"
    assert not [c for c in nb.cells if c.cell_type == "code" and language_tags(c)], "code is shared, not per language"
