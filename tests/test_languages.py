"""The one-source mechanism: a bilingual MyST notebook becomes one notebook per language."""
import re

import nbformat
import pytest

from coursebuild import LANGUAGES
from coursebuild.notebooks import SourceError, for_language, language_tags, lesson_sources, read_source, title

DECIMAL_POINT = re.compile(r"(?<![\d.,])0\.\d")

SOURCE = '''---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
course:
  data: [x.csv]
---

+++ {"tags": ["de"]}

# Titel

+++ {"tags": ["en"]}

# Title

+++

Shared text.

```{code-cell} ipython3
---
alt: {de: "Ein Diagramm", en: "A chart"}
tags: [hide-input]
---
LANG = "de"
print("de" if LANG == "de" else "en")
```
'''


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "lesson.md"
    path.write_text(SOURCE, encoding="utf-8")
    return read_source(path)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_split_keeps_own_and_shared_cells(source, lang):
    nb = for_language(source, lang)
    assert title(nb) == {"de": "Titel", "en": "Title"}[lang]
    assert [c.source for c in nb.cells if c.cell_type == "markdown"][1] == "Shared text."
    code = [c for c in nb.cells if c.cell_type == "code"][0]
    assert code.source.startswith(f'LANG = "{lang}"')
    assert code.metadata["mystnb"]["image"]["alt"] == {"de": "Ein Diagramm", "en": "A chart"}[lang]
    assert code.metadata["tags"] == ["hide-input"]
    assert not any(language_tags(c) for c in nb.cells)
    nbformat.validate(nb)


def test_unknown_language_and_missing_alt_are_refused(source):
    with pytest.raises(SourceError):
        for_language(source, "fr")
    source.cells[-1].metadata["alt"] = {"de": "nur deutsch"}
    with pytest.raises(SourceError, match="alt text has no 'en'"):
        for_language(source, "en")


def test_malformed_source_gets_a_clear_error(tmp_path):
    path = tmp_path / "broken.md"
    path.write_text("---\njupytext: [unclosed\n---\n", encoding="utf-8")
    with pytest.raises(SourceError, match="broken.md"):
        read_source(path)


@pytest.mark.parametrize("source_path", lesson_sources(), ids=[p.stem for p in lesson_sources()])
def test_every_lesson_has_the_promised_sections(source_path):
    wanted = {"de": ["Lernziele", "Das Wichtigste", "Quellen", "Studie"],
              "en": ["Learning goals", "Key points", "Sources", "study"]}
    for lang in LANGUAGES:
        text = "\n".join(c.source for c in for_language(read_source(source_path), lang).cells if c.cell_type == "markdown")
        missing = [w for w in wanted[lang] if w not in text]
        assert not missing, f"{lang}: missing {missing}"


def test_german_notebooks_show_decimal_commas(tmp_path):
    """Tables, arrays and results of a German notebook show 0,5; the English notebook keeps 0.5."""
    from nbclient import NotebookClient

    path = tmp_path / "numbers.md"
    path.write_text(SOURCE.replace('print("de" if LANG == "de" else "en")', "import pandas as pd\nLANG") + '''
```{code-cell} ipython3
import numpy as np
print(pd.DataFrame({"rate": [0.845, 0.1]}, index=[0.2, 0.5]).to_string())
print(np.array([0.25, 1.5]))
```

```{code-cell} ipython3
round(2 / 3, 3), np.float64(0.5), 1 / 4
```
''', encoding="utf-8")
    shown = {}
    for lang in LANGUAGES:
        nb = for_language(read_source(path), lang)
        NotebookClient(nb, timeout=60).execute()
        outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
        shown[lang] = "".join(o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in outputs)
    assert "0,845" in shown["de"] and "0,2" in shown["de"] and "[0,25 1,5]" in shown["de"], shown["de"]
    assert "(0,667, 0,5, 0,25)" in shown["de"], shown["de"]
    assert not DECIMAL_POINT.search(shown["de"]), shown["de"]
    assert "0.845" in shown["en"] and "[0.25 1.5 ]" in shown["en"] and "(0.667, np.float64(0.5), 0.25)" in shown["en"], shown["en"]


def test_german_charts_label_axes_and_bars_with_decimal_commas(tmp_path):
    """Tick labels and bar labels of a German chart read 0,5; the English chart keeps 0.5."""
    from nbclient import NotebookClient

    path = tmp_path / "chart.md"
    path.write_text(SOURCE.replace('print("de" if LANG == "de" else "en")',
                                   'import matplotlib\nmatplotlib.use("Agg")\nimport matplotlib.pyplot as plt\nLANG') + '''
```{code-cell} ipython3
fig, ax = plt.subplots()
bars = ax.bar(["a", "b"], [0.25, 1.5])
ax.bar_label(bars, fmt="%.2f")
fig.canvas.draw()
print("|".join(t.get_text() for t in ax.get_yticklabels()))
print("|".join(t.get_text() for t in ax.texts))
```
''', encoding="utf-8")
    shown = {}
    for lang in LANGUAGES:
        nb = for_language(read_source(path), lang)
        NotebookClient(nb, timeout=60).execute()
        shown[lang] = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "0,25|1,50" in shown["de"] and "0,2|" in shown["de"], shown["de"]
    assert "0.25|1.50" in shown["en"] and "0.2|" in shown["en"], shown["en"]


CIVIC_CODING_SOURCES = {"2024": "<https://civic-data.de/civic-coding-studie-2024>",
                        "2025": "<https://www.civic-coding.de/angebote/meldungen/kurzstudie-gemeinwohlorientierte-ki-veroeffentlicht>"}


def test_the_civic_coding_studies_are_cited_the_same_way_everywhere():
    """Every source entry for a Civic Coding study names its year and links it; a page that
    mentions a study lists it under its sources or links the course's page about the studies."""
    from coursebuild import REPO

    pages = list(lesson_sources()) + sorted((REPO / "book").glob("*.md"))
    wrong = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        entries = [line for line in text.splitlines() if line.startswith("- Civic Coding")]
        for entry in entries:
            year = "2024" if "(2024)" in entry else "2025" if "(2025)" in entry else None
            if year is None or CIVIC_CODING_SOURCES[year] not in entry:
                wrong.append(f"{page.name}: {entry[:90]}")
        cited = "\n".join(entries)
        if "study." in page.name or "<study>`" in text:
            continue
        if "Civic-Coding-Studie" in text or "Civic Coding study" in text:
            if CIVIC_CODING_SOURCES["2024"] not in cited:
                wrong.append(f"{page.name}: mentions the 2024 study but does not list it")
        if "AI-ready" in text and CIVIC_CODING_SOURCES["2025"] not in cited:
            wrong.append(f"{page.name}: mentions the 2025 short study but does not list it")
    assert not wrong, "\n".join(wrong)
