"""The one-source format of lessons and exercises.

Sources are MyST markdown notebooks (jupytext). A cell tagged ``de`` or ``en`` belongs to that
language only; every other cell (all code and every test) is shared. A code line ``LANG = "de"``
is rewritten to the target language, so shared code can pick texts with it. A code cell's
metadata ``alt: {de: ..., en: ...}`` becomes the alternative text of the images it outputs. Exercise cells carry
nbgrader's own metadata. The front matter may list data files: ``course: {data: [file.csv]}``.
German notebooks get one more cell after their first code cell (hidden on the site): it makes
tables, arrays, results and chart labels show decimal commas, so printed numbers match the German text.

Code cells tagged ``hide-input`` (code that only draws a chart or builds a widget) are folded: on
the site Jupyter Book shows a "show code" toggle, in JupyterLab the input is collapsed
(``jupyter.source_hidden``), and a note before the first one says that this code need not be
understood.
"""
import copy
import re
from pathlib import Path

import jupytext
import nbformat

from . import LANGUAGES, REPO

LANG_LINE = re.compile(r"""^LANG = ["'][a-z]{2}["']""", re.M)
HEADING = re.compile(r"^#\s+(.+)$", re.M)
HIDE_INPUT = "hide-input"
FOLDED_CODE_NOTE = {
    "de": "**Hinweis:** Einige Code-Zellen zeichnen nur Diagramme oder bauen Steuerelemente. Diesen Code musst du "
          "nicht verstehen, deshalb ist er eingeklappt. Auf der Webseite klappst du ihn mit „Code anzeigen“ auf, in "
          "JupyterLab mit einem Klick auf die drei Punkte (…) oder auf den Balken links neben der Zelle. Ausführen "
          "musst du diese Zellen trotzdem, wie alle anderen mit Umschalt + Enter.",
    "en": "**Note:** Some code cells only draw charts or build controls. You don't need to understand their code, so "
          "it is folded away. On the website, \"Show code\" unfolds it; in JupyterLab, click the three dots (…) or the "
          "bar to the left of the cell. You still run these cells like all others, with Shift + Enter.",
}

# Formats for display only: the values themselves, CSV files and str() of a number stay as they are.
DECIMAL_COMMA_CELL = '''\
# Diese Zelle hat der Kurs eingefügt: Tabellen und Ergebnisse zeigen Kommazahlen mit Dezimalkomma (0,5 statt 0.5).
# Du musst nichts daran ändern. In eigenen Texten (f-Strings) setzt du das Komma selbst, z. B. mit .replace(".", ",").
import numpy as _np
import pandas as _pd


def _decimal_comma(number):
    text = f"{number:.6f}".rstrip("0").rstrip(".")
    return ("0" if text in ("", "-0") else text).replace(".", ",")


_pd.set_option("display.float_format", _decimal_comma)
_np.set_printoptions(formatter={"float_kind": _decimal_comma})
for _kind in (float, _np.float16, _np.float32, _np.float64, _np.longdouble):
    get_ipython().display_formatter.formatters["text/plain"].for_type(
        _kind, lambda number, printer, cycle: printer.text(_decimal_comma(number)))

# Diagramme auch: Achsenbeschriftungen und Werte an Balken (ax.bar_label) mit Dezimalkomma.
import sys as _sys

if "matplotlib" in _sys.modules:
    import matplotlib.ticker as _ticker
    from matplotlib.axes import Axes as _Axes

    _tick_label = _ticker.ScalarFormatter.__call__
    _ticker.ScalarFormatter.__call__ = lambda self, x, pos=None: _tick_label(self, x, pos).replace(".", ",")
    _bar_label = _Axes.bar_label

    def _bar_label_with_comma(self, container, labels=None, *, fmt="%g", **kwargs):
        if labels is None and isinstance(fmt, str):
            pattern = fmt
            fmt = lambda value: (pattern % value if "%" in pattern else pattern.format(value)).replace(".", ",")
        return _bar_label(self, container, labels, fmt=fmt, **kwargs)

    _Axes.bar_label = _bar_label_with_comma
'''


class SourceError(ValueError):
    """A lesson or exercise source that cannot be turned into notebooks."""


def read_source(path: Path) -> nbformat.NotebookNode:
    try:
        nb = jupytext.read(path)
    except Exception as exc:  # jupytext raises many kinds for malformed files
        raise SourceError(f"{path}: cannot be read as a MyST notebook: {exc}") from exc
    return nb


def language_tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", [])) & set(LANGUAGES)


def for_language(nb: nbformat.NotebookNode, lang: str) -> nbformat.NotebookNode:
    if lang not in LANGUAGES:
        raise SourceError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    out = copy.deepcopy(nb)
    cells = []
    for cell in out.cells:
        tags = language_tags(cell)
        if tags and lang not in tags:
            continue
        if tags:
            remaining = [t for t in cell.metadata.get("tags", []) if t not in LANGUAGES]
            if remaining:
                cell.metadata["tags"] = remaining
            else:
                cell.metadata.pop("tags", None)
        if cell.cell_type == "code":
            cell.source = LANG_LINE.sub(f'LANG = "{lang}"', cell.source)
            alt = cell.metadata.pop("alt", None)
            if alt:
                if lang not in alt:
                    raise SourceError(f"a cell's alt text has no {lang!r} version: {alt}")
                cell.metadata.setdefault("mystnb", {}).setdefault("image", {})["alt"] = alt[lang]
        cells.append(cell)
    cells = folded(cells, lang)
    # Cell ids numbered, not random, so an unchanged source gives the same file (no rebuild).
    for number, cell in enumerate(cells):
        cell["id"] = f"cell-{number}"
    if lang == "de":
        cells = with_decimal_commas(cells)
    out.cells = cells
    out.metadata.pop("jupytext", None)
    out.metadata["language_info"] = {"name": "python"}
    out.metadata.setdefault("kernelspec", {"name": "python3", "display_name": "Python 3", "language": "python"})
    nbformat.validate(out)
    return out


def with_decimal_commas(cells: list) -> list:
    """The cells with the decimal-comma cell after the first code cell (its own id, so the other
    cells keep the same ids in both languages)."""
    first_code = next((i for i, c in enumerate(cells) if c.cell_type == "code"), None)
    if first_code is None:
        return cells
    cell = nbformat.v4.new_code_cell(DECIMAL_COMMA_CELL.strip(), id="decimal-comma")
    cell.metadata["tags"] = ["remove-cell"]
    return cells[:first_code + 1] + [cell] + cells[first_code + 1:]


def folded(cells: list, lang: str) -> list:
    """Collapses the input of hide-input cells in JupyterLab too, with the note before the first."""
    hidden = [i for i, c in enumerate(cells) if c.cell_type == "code" and HIDE_INPUT in c.metadata.get("tags", [])]
    for i in hidden:
        cells[i].metadata.setdefault("jupyter", {})["source_hidden"] = True
    if hidden:
        cells.insert(hidden[0], nbformat.v4.new_markdown_cell(FOLDED_CODE_NOTE[lang]))
    return cells


def data_files(nb: nbformat.NotebookNode) -> list[str]:
    return list(nb.metadata.get("course", {}).get("data", []))


def title(nb: nbformat.NotebookNode) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = HEADING.search(cell.source)
            if match:
                return match.group(1).strip()
    return ""


def lesson_sources() -> list[Path]:
    return sorted((REPO / "lessons").glob("*.md"))


def exercise_sources() -> list[Path]:
    """One nbgrader assignment per folder: exercises/<assignment>/exercise.md."""
    return sorted((REPO / "exercises").glob("*/exercise.md"))


def to_json(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb) + "\n"
