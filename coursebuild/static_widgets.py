"""Widgets that answer on the static site, without a kernel.

The site's build kernel (and only it: see `kernel_profile`) gets a replacement for
`ipywidgets.interact`. Instead of showing live controls it calls the lesson's function once for
every state of the controls (every combination of discrete controls, slider positions at the
slider's step), records what each call shows, and outputs one HTML block: plain form controls,
the recorded outputs and a table from control state to output. book/_assets/course.js swaps
the outputs in the browser. In a running notebook nothing of this is loaded, so the same cells
stay real ipywidgets.

Controls with free text cannot be enumerated: they are shown disabled, with the reason, and keep
their value. A widget with more than MAX_STATES states is shown disabled as a whole, with its
first state: the lesson should then offer fewer states.

Figures become SVG with text as text (small, sharp at any width), titled with a description
made from the figure's titles and axis labels; that title is the image's alternative text, on
widgets and (through coursebuild.sphinx_theme) on every other figure of the page.
"""
import html
import io
import itertools
import json
import math
import re
import sys

MAX_STATES = 160

TEXTS = {
    "de": {
        "figure": "Diagramm",
        "x": "waagerecht",
        "y": "senkrecht",
        "states": "Auf dieser Seite vorberechnet: {n} Einstellungen. Im laufenden Notebook rechnet das Steuerelement frei.",
        "free_text": "Auf der Webseite fest: Eigener Text braucht ein laufendes Notebook (Download oben).",
        "too_many": "Auf der Webseite fest: Zusammen mit den anderen hätte dieses Steuerelement zu viele Einstellungen, um sie vorzuberechnen. Im laufenden Notebook (Download oben) lässt es sich verstellen.",
        "unsupported": "Auf der Webseite nicht verstellbar: Dieses Steuerelement braucht ein laufendes Notebook (Download oben).",
        "from": "von",
        "to": "bis",
        "updated": "Ausgabe aktualisiert.",
    },
    "en": {
        "figure": "Chart",
        "x": "horizontal",
        "y": "vertical",
        "states": "Precomputed on this page: {n} settings. In a running notebook the control computes freely.",
        "free_text": "Fixed on the web page: your own text needs a running notebook (download above).",
        "too_many": "Fixed on the web page: together with the others this control would have too many settings to precompute. In a running notebook (download above) you can change it.",
        "unsupported": "Not adjustable on the web page: this control needs a running notebook (download above).",
        "from": "from",
        "to": "to",
        "updated": "Output updated.",
    },
}
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
LONG_NUMBER = re.compile(r"(\d+\.\d{2})\d+")
_counter = itertools.count(1)


def language() -> str:
    from IPython import get_ipython

    shell = get_ipython()
    lang = shell.user_ns.get("LANG", "en") if shell else "en"
    return lang if lang in TEXTS else "en"


def text(key: str, **values) -> str:
    return TEXTS[language()][key].format(**values)


# --- figures -------------------------------------------------------------------------------


def figure_description(fig) -> str:
    """What the chart shows, from its own words: suptitle, axes titles and axis labels."""
    parts = []
    if getattr(fig, "_suptitle", None) is not None and fig._suptitle.get_text().strip():
        parts.append(fig._suptitle.get_text().strip())
    for ax in fig.get_axes():
        if not ax.get_visible() or not ax.axison and not ax.get_title():
            continue
        bits = [t for t in (ax.get_title(loc) for loc in ("left", "center", "right")) if t.strip()]
        labels = []
        if ax.get_xlabel().strip():
            labels.append(f"{text('x')}: {ax.get_xlabel().strip()}")
        if ax.get_ylabel().strip():
            labels.append(f"{text('y')}: {ax.get_ylabel().strip()}")
        if labels:
            bits.append(f"({', '.join(labels)})")
        if bits:
            parts.append(" ".join(bits))
    body = "; ".join(dict.fromkeys(" ".join(p.split()) for p in parts))
    return f"{text('figure')}: {body}" if body else text("figure")


def figure_svg(fig, **kwargs) -> str:
    """The figure as compact SVG (text kept as text, coordinates rounded) with its description
    as <title>."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "course"}):
        kwargs.setdefault("bbox_inches", "tight")
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, **kwargs)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = LONG_NUMBER.sub(r"\1", svg)
    title = f"<title>{html.escape(figure_description(fig))}</title>"
    return re.sub(r"(<svg[^>]*>)", lambda m: m.group(1) + title, svg, count=1)


FONT_SIZE = re.compile(r"font-size: ?([\d.]+)px")
VIEWBOX = re.compile(r'viewBox="[\d.]+ [\d.]+ ([\d.]+) [\d.]+"')
MIN_TEXT_PX = 10


def readable_width(svg: str) -> int:
    """The width (CSS px) at which the chart's smallest text is MIN_TEXT_PX high."""
    sizes = [float(size) for size in FONT_SIZE.findall(svg)]
    viewbox = VIEWBOX.search(svg)
    if not sizes or not viewbox:
        return 0
    return int(MIN_TEXT_PX * float(viewbox.group(1)) / min(sizes)) + 1


def scrolling_figure(img: str, svg: str, lang: str) -> str:
    """The image in a box that scrolls sideways on a phone instead of shrinking its text."""
    label = {"de": "Diagramm, seitlich verschiebbar", "en": "Chart, scrolls sideways"}.get(lang, "Chart, scrolls sideways")
    return (f'<div class="figure-scroll" tabindex="0" role="group" aria-label="{label}" '
            f'style="--readable-width: {readable_width(svg)}px">{img}</div>')


def svg_title(svg: str) -> str:
    match = TITLE.search(svg)
    return html.unescape(match.group(1)) if match else ""


def install_svg_figures() -> None:
    """Every figure the kernel shows is our SVG (InlineBackend.figure_formats = {'svg'} is set
    in the kernel's profile; this adds the compact form and the title)."""
    import IPython.core.pylabtools as pylabtools

    original = pylabtools.print_figure

    def print_figure(fig, fmt="png", bbox_inches="tight", base64=False, **kwargs):
        if fmt == "svg":
            return figure_svg(fig)
        return original(fig, fmt, bbox_inches, base64, **kwargs)

    pylabtools.print_figure = print_figure


# --- recording what a function shows -------------------------------------------------------


class Recorder:
    """Collects, in order, the text a call prints and the objects it displays."""

    def __init__(self):
        self.events = []

    def write(self, data):
        if self.events and self.events[-1][0] == "text":
            self.events[-1] = ("text", self.events[-1][1] + data)
        else:
            self.events.append(("text", data))
        return len(data)

    def flush(self):
        pass

    def publish(self, data, metadata=None, *args, **kwargs):
        self.events.append(("display", data))

    def clear_output(self, wait=False):
        self.events.clear()


def run_and_record(func, kwargs) -> list:
    from IPython import get_ipython
    from IPython.display import display

    shell = get_ipython()
    recorder = Recorder()
    old_publish, old_clear = shell.display_pub.publish, shell.display_pub.clear_output
    old_stdout = sys.stdout
    shell.display_pub.publish, shell.display_pub.clear_output = recorder.publish, recorder.clear_output
    sys.stdout = recorder
    try:
        result = func(**kwargs)
        if result is not None:
            display(result)
        if "matplotlib.pyplot" in sys.modules:
            import matplotlib.pyplot as plt

            for number in plt.get_fignums():
                display(plt.figure(number))
            plt.close("all")
    finally:
        shell.display_pub.publish, shell.display_pub.clear_output = old_publish, old_clear
        sys.stdout = old_stdout
    return recorder.events


def events_html(events, images: list[str]) -> str:
    """The recorded outputs as HTML; SVG figures go to `images` and are referenced by number."""
    parts = []
    for kind, data in events:
        if kind == "text":
            if data.strip():
                parts.append(f'<pre class="static-widget-text">{html.escape(data.rstrip())}</pre>')
        elif "image/svg+xml" in data:
            svg = data["image/svg+xml"]
            if svg not in images:
                images.append(svg)
            alt = html.escape(svg_title(svg), quote=True)
            img = f'<img class="static-widget-figure" data-image="{images.index(svg)}" alt="{alt}">'
            parts.append(scrolling_figure(img, svg, language()))
        elif "text/html" in data:
            parts.append(f'<div class="static-widget-html">{data["text/html"]}</div>')
        elif "text/markdown" in data:
            from markdown_it import MarkdownIt

            parts.append(f'<div class="static-widget-html">{MarkdownIt().render(data["text/markdown"])}</div>')
        elif "text/plain" in data:
            parts.append(f'<pre class="static-widget-text">{html.escape(data["text/plain"])}</pre>')
    return "\n".join(parts)


# --- controls ------------------------------------------------------------------------------


def number_label(widget, value) -> str:
    fmt = getattr(widget, "readout_format", "") or ""
    try:
        return format(value, fmt.lstrip(",")) if fmt else str(value)
    except (TypeError, ValueError):
        return str(value)


def numeric_steps(widget) -> list:
    step = widget.step or 1
    count = int((widget.max - widget.min) / step + 1e-9) + 1
    if isinstance(widget.min, int) and isinstance(step, int):
        return [widget.min + i * step for i in range(count)]
    return [round(widget.min + i * step, 10) for i in range(count)]


def control_spec(name, widget):
    """(spec for the page, list of (key part, value) for every state)."""
    import ipywidgets as w

    label = widget.description if isinstance(getattr(widget, "description", None), str) else name
    spec = {"name": name, "label": label}
    if isinstance(widget, (w.Checkbox, w.ToggleButton)):
        spec.update(kind="checkbox", index=int(bool(widget.value)))
        return spec, [("0", False), ("1", True)]
    if isinstance(widget, w.widgets.widget_selection._MultipleSelection):
        labels, values = list(widget._options_labels), list(widget._options_values)
        chosen = set(widget.index)
        spec.update(kind="multi", options=labels, index=[i in chosen for i in range(len(labels))])
        states = []
        for mask in range(2 ** len(values)):
            states.append((str(mask), tuple(v for i, v in enumerate(values) if mask >> i & 1)))
        return spec, states
    if isinstance(widget, w.SelectionRangeSlider):
        labels, values = list(widget._options_labels), list(widget._options_values)
        return range_spec(spec, labels, values, widget.index)
    if isinstance(widget, w.widgets.widget_selection._Selection):
        labels, values = list(widget._options_labels), list(widget._options_values)
        kind = {w.RadioButtons: "radio", w.ToggleButtons: "radio", w.SelectionSlider: "slider"}.get(type(widget), "select")
        spec.update(kind=kind, options=labels, index=widget.index if widget.index is not None else 0)
        return spec, [(str(i), v) for i, v in enumerate(values)]
    if isinstance(widget, (w.IntRangeSlider, w.FloatRangeSlider)):
        values = numeric_steps(widget)
        labels = [number_label(widget, v) for v in values]
        index = (nearest(values, widget.value[0]), nearest(values, widget.value[1]))
        return range_spec(spec, labels, values, index)
    if isinstance(widget, (w.IntSlider, w.FloatSlider, w.BoundedIntText, w.BoundedFloatText)) \
            and not isinstance(widget, w.FloatLogSlider):
        values = numeric_steps(widget)
        spec.update(kind="slider", options=[number_label(widget, v) for v in values],
                    index=nearest(values, widget.value))
        return spec, [(str(i), v) for i, v in enumerate(values)]
    if isinstance(widget, w.fixed):
        return None, [("", widget.value)]
    reason = "free_text" if isinstance(widget, (w.Text, w.Textarea)) else "unsupported"
    spec.update(kind="fixed", value=str(getattr(widget, "value", "")),
                multiline=isinstance(widget, w.Textarea), reason=text(reason))
    return spec, [("", getattr(widget, "value", None))]


def range_spec(spec, labels, values, index):
    spec.update(kind="range", options=labels, index=list(index), words=[text("from"), text("to")])
    states = [(f"{i}-{j}", (values[i], values[j])) for i in range(len(values)) for j in range(i, len(values))]
    return spec, states


def nearest(values, value) -> int:
    return min(range(len(values)), key=lambda i: abs(values[i] - value))


def initial_key(spec) -> str:
    if spec["kind"] == "multi":
        return str(sum(1 << i for i, on in enumerate(spec["index"]) if on))
    if spec["kind"] == "range":
        return f"{spec['index'][0]}-{spec['index'][1]}"
    if spec["kind"] == "fixed":
        return ""
    return str(spec["index"])


# --- the page's HTML -----------------------------------------------------------------------


def controls_html(number: int, specs: list[dict], disabled: bool) -> str:
    rows = []
    off = " disabled" if disabled else ""
    for i, spec in enumerate(specs):
        cid = f"sw{number}-{i}"
        label = html.escape(spec["label"])
        kind = spec["kind"]
        attrs = f'data-control="{i}" data-kind="{kind}"'
        if kind == "checkbox":
            checked = " checked" if spec["index"] else ""
            rows.append(f'<div class="static-widget-row" {attrs}><input type="checkbox" id="{cid}"{checked}{off}>'
                        f'<label for="{cid}">{label}</label></div>')
        elif kind == "select":
            options = "".join(f'<option value="{j}"{" selected" if j == spec["index"] else ""}>{html.escape(o)}</option>'
                              for j, o in enumerate(spec["options"]))
            rows.append(f'<div class="static-widget-row" {attrs}><label for="{cid}">{label}</label>'
                        f'<select id="{cid}"{off}>{options}</select></div>')
        elif kind in ("radio", "multi"):
            kind_attr = "radio" if kind == "radio" else "checkbox"
            chosen = (lambda j: j == spec["index"]) if kind == "radio" else (lambda j: spec["index"][j])
            options = "".join(
                f'<label><input type="{kind_attr}" name="{cid}" value="{j}"{" checked" if chosen(j) else ""}{off}> '
                f'{html.escape(o)}</label>' for j, o in enumerate(spec["options"]))
            rows.append(f'<fieldset class="static-widget-row" {attrs}><legend>{label}</legend>{options}</fieldset>')
        elif kind == "slider":
            current = spec["options"][spec["index"]]
            rows.append(f'<div class="static-widget-row" {attrs}><label for="{cid}">{label}</label>'
                        f'<input type="range" id="{cid}" min="0" max="{len(spec["options"]) - 1}" step="1" '
                        f'value="{spec["index"]}" aria-valuetext="{html.escape(current)}"{off}>'
                        f'<output for="{cid}">{html.escape(current)}</output></div>')
        elif kind == "range":
            inputs = []
            for end in (0, 1):
                current = spec["options"][spec["index"][end]]
                word = html.escape(spec["words"][end])
                inputs.append(f'<label for="{cid}-{end}">{word}</label>'
                              f'<input type="range" id="{cid}-{end}" min="0" max="{len(spec["options"]) - 1}" '
                              f'step="1" value="{spec["index"][end]}" aria-valuetext="{html.escape(current)}"{off}>'
                              f'<output for="{cid}-{end}">{html.escape(current)}</output>')
            rows.append(f'<fieldset class="static-widget-row" {attrs}><legend>{label}</legend>{"".join(inputs)}</fieldset>')
        else:
            field = (f'<textarea id="{cid}" rows="4" disabled>{html.escape(spec["value"])}</textarea>' if spec["multiline"]
                     else f'<input type="text" id="{cid}" value="{html.escape(spec["value"], quote=True)}" disabled>')
            rows.append(f'<div class="static-widget-row static-widget-fixed" {attrs}><label for="{cid}">{label}</label>'
                        f'{field}<p class="static-widget-reason">{html.escape(spec["reason"])}</p></div>')
    return "\n".join(rows)


def widget_html(specs, outputs, images, states, initial, note, disabled) -> str:
    number = next(_counter)
    data = {"outputs": outputs, "images": images, "states": states, "initial": initial,
            "options": [s.get("options", []) for s in specs], "updated": text("updated")}
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    classes = "static-widget static-widget-disabled" if disabled else "static-widget"
    note_html = f'<p class="static-widget-note">{html.escape(note)}</p>\n' if note else ""
    return (
        f'<div class="{classes}" id="static-widget-{number}" data-states="{len(states)}">\n'
        f'<form class="static-widget-controls" onsubmit="return false">\n{controls_html(number, specs, disabled)}\n</form>\n'
        f"{note_html}"
        f'<div class="static-widget-output">{outputs[states[initial]]}</div>\n'
        f'<p class="static-widget-status visually-hidden" aria-live="polite"></p>\n'
        f'<script type="application/json" class="static-widget-data">{payload}</script>\n'
        f"</div>"
    )


def shown_value(spec) -> str:
    """A control's current value as the page shows it."""
    kind, options, index = spec["kind"], spec.get("options"), spec.get("index")
    if kind == "checkbox":
        return "✓" if index else "✗"
    if kind == "multi":
        return ", ".join(o for o, on in zip(options, index) if on)
    if kind == "range":
        return f"{options[index[0]]} – {options[index[1]]}"
    return options[index]


def freeze(spec, space):
    """A control kept at its value on the page: shown disabled, with the reason."""
    chosen = next(state for state in space if state[0] == initial_key(spec))
    frozen = {"name": spec["name"], "label": spec["label"], "kind": "fixed", "value": shown_value(spec),
              "multiline": False, "reason": text("too_many")}
    return frozen, [("", chosen[1])]


def interact(__interact_f=None, **kwargs):
    """Drop-in for ipywidgets.interact in the site's build kernel (see the module's docstring)."""
    if __interact_f is None:
        return lambda func: interact(func, **kwargs)
    import ipywidgets
    from IPython.display import HTML, display

    func = __interact_f
    # "manual" keeps ipywidgets from calling the function while it builds the controls.
    controls = [[widget._kwarg, *control_spec(widget._kwarg, widget)]
                for widget in ipywidgets.interactive(func, {"manual": True}, **kwargs).kwargs_widgets]

    def varies(control):
        return control[1] is not None and control[1]["kind"] != "fixed"

    # Too many states: the controls with the most states stay at their value, until the rest fits.
    while math.prod(len(space) for _, _, space in controls) > MAX_STATES:
        biggest = max((c for c in controls if varies(c)), key=lambda c: len(c[2]))
        biggest[1], biggest[2] = freeze(biggest[1], biggest[2])
    images, outputs, states = [], [], {}
    for combo in itertools.product(*(space for _, _, space in controls)):
        shown = events_html(run_and_record(func, {name: value for (name, _, _), (_, value) in zip(controls, combo)}), images)
        if shown not in outputs:
            outputs.append(shown)
        states[",".join(part for (part, _), control in zip(combo, controls) if varies(control))] = outputs.index(shown)
    specs = [spec for _, spec, _ in controls if spec is not None]
    initial = ",".join(initial_key(spec) for spec in specs if spec["kind"] != "fixed")
    disabled = not any(varies(c) for c in controls)
    note = "" if disabled else text("states", n=len(states))
    display(HTML(widget_html(specs, outputs, images, states, initial, note, disabled)))


def kernel_startup() -> None:
    """Run by the build kernel's profile before any cell (see coursebuild.site)."""
    import ipywidgets
    import ipywidgets.widgets.widget as widget_module

    # Controls are only read, never shown: without a comm they leave no widget state in the
    # notebook, so the site needs no widget manager.
    widget_module.Widget.open = lambda self: None
    ipywidgets.interact = interact
    install_svg_figures()
