"""Widgets on the static site: the build kernel (coursebuild's IPython profile) turns each
`widgets.interact` into precomputed states. A real kernel runs a small notebook with it."""
import json
import re

import nbformat
import pytest
from nbclient import NotebookClient

from coursebuild.site import kernel_profile
from coursebuild.sphinx_theme import fill_empty_headers
from coursebuild.static_widgets import MAX_STATES, readable_width

CELLS = [
    'LANG = "de"\nimport matplotlib.pyplot as plt\nimport ipywidgets as widgets',
    '''def show(level, site, closed, note, weeks, extra):
    fig, ax = plt.subplots(figsize=(4, 2))
    ax.plot([0, level])
    ax.set_title(f"Stufe {level} in {site}")
    ax.set_xlabel("Woche")
    plt.show()
    print(level, site, closed, note, weeks, extra)

widgets.interact(show,
    level=widgets.IntSlider(min=0, max=4, step=2, value=2, description="Stufe"),
    site=widgets.Dropdown(options=[("Hafen", "H"), ("Altstadt", "A")], description="Ort"),
    closed=widgets.Checkbox(value=False, description="geschlossen"),
    note=widgets.Text(value="frei", description="Notiz"),
    weeks=widgets.IntRangeSlider(min=1, max=3, value=(1, 3), description="Wochen"),
    extra=widgets.fixed(7));''',
    '''widgets.interact(lambda n: print(n), n=widgets.IntSlider(min=0, max=10 * MAX, value=5, description="viel"));''',
]


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    import os

    profile, _ = kernel_profile(tmp_path_factory.mktemp("ipython"))
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c.replace("MAX", str(MAX_STATES))) for c in CELLS]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    old = os.environ.get("IPYTHONDIR")
    os.environ["IPYTHONDIR"] = str(profile)
    try:
        NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    finally:
        if old is None:
            os.environ.pop("IPYTHONDIR")
        else:
            os.environ["IPYTHONDIR"] = old
    return nb


def widget(nb, index):
    outputs = [o for o in nb.cells[index].outputs if "text/html" in o.get("data", {})]
    assert len(outputs) == 1, nb.cells[index].outputs
    page = outputs[0]["data"]["text/html"]
    data = json.loads(re.search(r'class="static-widget-data">(.*?)</script>', page, re.S).group(1).replace("<\\/", "</"))
    return page, data


def test_every_state_is_precomputed_with_its_own_output(executed):
    page, data = widget(executed, 1)
    # 3 slider positions x 2 sites x 2 check-box states x 6 week ranges; the text field is fixed.
    assert len(data["states"]) == 3 * 2 * 2 * 6
    assert data["initial"] == "1,0,0,0-2"
    first = data["outputs"][data["states"]["0,1,1,1-2"]]
    assert "0 A True frei (2, 3) 7" in first
    assert 'alt="Diagramm: Stufe 0 in A (waagerecht: Woche)"' in first
    assert len(data["images"]) == 3 * 2  # one chart per level and site, shared by the other states
    assert all(svg.startswith("<svg") and "<title>" in svg for svg in data["images"])
    assert 'type="text" id="sw1-3" value="frei" disabled' in page and "Eigener Text" in page
    assert not any("widget-view" in str(o) for o in executed.cells[1].outputs), "no live widget is left"


def test_a_control_with_too_many_states_is_shown_fixed_with_the_reason(executed):
    page, data = widget(executed, 2)
    assert list(data["states"]) == [""]
    assert "static-widget-disabled" in page and "zu viele Einstellungen" in page
    assert "5" in data["outputs"][0]


def test_no_widget_state_for_a_widget_manager(executed):
    assert "widgets" not in executed.metadata


def test_readable_width_and_empty_headers():
    svg = '<svg viewBox="0 0 500 200"><text style="font-size: 10px">a</text><text style="font-size: 5px">b</text></svg>'
    assert readable_width(svg) == 1001
    assert fill_empty_headers("<tr><th></th><th>a</th><th class='x'>&nbsp;</th><th><p></p></th><th><\\/th></tr>") == \
        "<tr><td></td><th>a</th><td class='x'></td><td></td><td><\\/td></tr>"
