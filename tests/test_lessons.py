"""Every lesson runs from top to bottom in both languages, within its time budget: in German in a
learner's kernel here, and in both languages in the site build."""
import copy
import re
import time

import nbformat
import pytest
from nbclient import NotebookClient

from coursebuild import LANGUAGES
from coursebuild.notebooks import FOLDED_CODE_NOTE, data_files, for_language, language_tags, lesson_sources, read_source
from coursebuild.site import executed_lesson, published_lessons

from conftest import shared_code

LESSONS = lesson_sources()
PUBLISHED = published_lessons()
# One run per lesson in a kernel as a learner has it: the German notebook, which has every code cell
# of the English one (only `LANG` differs) and the cell that shows decimal commas. The site build runs
# every published lesson in both languages anyway (its kernel also calls each widget's function for
# every state): test_the_site_build_ran_the_lesson checks that run. A lesson the site does not publish
# runs here in English too.
LEARNER_RUNS = [(s, "de") for s in LESSONS] + [(s, "en") for s in LESSONS if s not in PUBLISHED]
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


@pytest.mark.parametrize(("source", "lang"), LEARNER_RUNS, ids=[f"{s.stem}-{lang}" for s, lang in LEARNER_RUNS])
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


def code_sources(nb) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "code"]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("source", PUBLISHED, ids=[p.stem for p in PUBLISHED])
def test_the_site_build_ran_the_lesson(source, lang, site):
    """The site build ran the lesson's current code, every cell, without an error (the build also
    fails on one). The decimal-comma check stays with the learner's run: the site's widget states
    carry the sliders' own labels."""
    executed = executed_lesson(lang, source.stem)
    assert code_sources(executed) == code_sources(for_language(read_source(source), lang)), \
        "the site build ran other code than the lesson's"
    assert all(c.execution_count for c in executed.cells if c.cell_type == "code"), "a code cell did not run"
    errors = [f"{o.ename}: {o.evalue}" for c in executed.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, f"[{lang}] the lesson stops with {errors}"


def test_the_languages_run_the_same_code():
    """Why one learner's run per lesson is enough: apart from `LANG` and the German decimal-comma
    cell, both languages run the same code cells."""
    for source in LESSONS:
        nb = read_source(source)
        assert shared_code(nb, "de") == shared_code(nb, "en"), f"{source.stem}: the languages run different code"


@pytest.mark.parametrize("source", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_is_complete_in_both_languages(source):
    nb = read_source(source)
    prose = {lang: [c for c in nb.cells if language_tags(c) == {lang}] for lang in LANGUAGES}
    assert len(prose["de"]) == len(prose["en"]), "German and English should have the same number of text cells"
    assert "ipywidgets" in "".join(c.source for c in nb.cells if c.cell_type == "code"), "a lesson needs a widget"
    assert not [c for c in nb.cells if c.cell_type == "code" and language_tags(c)], "code is shared, not per language"


# Code whose only job is a chart or a widget: it calls matplotlib (plt., ax./fig./axes. methods,
# pandas' .plot), ipywidgets or interact. Imports alone (the set-up cell) do not count.
CHART_OR_WIDGET_CALL = re.compile(
    r"\b(?:plt|matplotlib|widgets|ipywidgets)\.[\w.]+\(|\binteract(?:_manual)?\(|\.plot(?:\.\w+)?\("
    r"|\b(?:ax|axes|fig)(?:\.flat)?\.\w+\(")


def is_chart_or_widget_cell(cell) -> bool:
    return cell.cell_type == "code" and bool(CHART_OR_WIDGET_CALL.search(cell.source))


@pytest.mark.parametrize("source", LESSONS, ids=[p.stem for p in LESSONS])
def test_chart_and_widget_code_is_folded(source):
    """Such code is folded (hide-input) unless the lesson teaches it (show-input), and the
    notebooks fold it in JupyterLab too, with a note in the notebook's language before the first."""
    nb = read_source(source)
    cells = [c for c in nb.cells if is_chart_or_widget_cell(c)]
    assert cells, "a lesson has a widget"
    unmarked = [c.source.splitlines()[0] for c in cells
                if not {"hide-input", "show-input"} & set(c.metadata.get("tags", []))]
    assert not unmarked, f"tag these cells hide-input (or show-input if the lesson explains their code): {unmarked}"
    for lang in LANGUAGES:
        split = for_language(nb, lang)
        hidden = [i for i, c in enumerate(split.cells) if "hide-input" in c.metadata.get("tags", [])]
        assert hidden and all(split.cells[i].metadata["jupyter"]["source_hidden"] for i in hidden)
        assert split.cells[hidden[0] - 1].source == FOLDED_CODE_NOTE[lang]
        assert sum(c.source == FOLDED_CODE_NOTE[lang] for c in split.cells) == 1


def test_the_chart_classifier():
    from nbformat.v4 import new_code_cell

    assert is_chart_or_widget_cell(new_code_cell('fig, ax = plt.subplots()\nax.plot([1, 2])'))
    assert is_chart_or_widget_cell(new_code_cell('counts.plot.bar(rot=0)'))
    assert is_chart_or_widget_cell(new_code_cell('widgets.interact(show, n=widgets.IntSlider())'))
    assert not is_chart_or_widget_cell(new_code_cell('import matplotlib.pyplot as plt\nimport ipywidgets as widgets'))
    assert not is_chart_or_widget_cell(new_code_cell('df.groupby("site")["kg"].sum()'))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("source", LESSONS, ids=[p.stem for p in LESSONS])
def test_the_page_links_its_key_terms_to_the_glossary(source, lang):
    """Most of the module's own glossary terms link from their first use (in the page's language),
    each term at most once, never from a heading; the downloaded notebook keeps plain words."""
    import yaml

    from coursebuild.glossary import GLOSSARY, entries, with_term_links

    nb = for_language(read_source(source), lang)
    page = with_term_links(copy.deepcopy(nb), lang, source.stem)
    text = "\n".join(c.source for c in page.cells if c.cell_type == "markdown")
    targets = re.findall(r"\{term\}`[^`<]+ <([^>]+)>`", text)
    assert len(targets) == len(set(targets)), "each term links once"
    assert set(targets) <= {e["term"] for e in entries(lang)}
    own = [e[lang]["term"] for e in yaml.safe_load((GLOSSARY / f"{source.stem}.yml").read_text(encoding="utf-8"))]
    linked = [t for t in own if t in targets]
    assert len(linked) >= 0.6 * len(own), f"only {linked} of {own} link to the glossary"
    assert not [line for line in text.splitlines() if line.startswith(("#", "<")) and "{term}" in line]
    assert "{term}" not in "".join(c.source for c in nb.cells), "notebooks keep plain words"


def test_glossary_links_go_to_prose_only():
    from coursebuild.glossary import link_terms, term_patterns

    patterns = term_patterns("de", "01-reading-data")
    text = ("## Ein DataFrame\n<details><summary>Tipp</summary>\nEin DataFrame hier bleibt roh.\n</details>\n\n"
            "`df.head()` zeigt einen DataFrame, `NaN` und [Index](https://example.org).\n"
            "Noch ein DataFrame, dann Filtern.")
    linked = set()
    out = link_terms(text, patterns, linked).split("\n")
    assert out[:5] == text.split("\n")[:5], "headings and HTML blocks stay as they are"
    assert out[5] == ("`df.head()` zeigt einen {term}`DataFrame <DataFrame>`, {term}`NaN <NaN>` und "
                      "[Index](https://example.org).")
    assert out[6] == "Noch ein DataFrame, dann {term}`Filtern <Filtern>`."
    assert linked == {"DataFrame", "NaN", "Filtern"}
