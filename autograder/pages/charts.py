"""The report's two charts as base64 PNG, drawn with matplotlib's object API (no pyplot state,
no display needed). The report puts a table with the same numbers next to each chart."""
import base64
import io

from matplotlib.figure import Figure

BAR = "#1f5f8b"  # dark blue: readable for common colour-vision deficiencies, contrast > 4.5:1 on white


def png(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def histogram(bins: list[dict], xlabel: str, ylabel: str) -> str:
    """bins: [{"label", "count"}] from the report, so chart and table cannot disagree."""
    figure = Figure(figsize=(6.5, 3.2))
    axes = figure.subplots()
    axes.bar([b["label"] for b in bins], [b["count"] for b in bins], color=BAR)
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.tick_params(axis="x", labelrotation=45 if len(bins) > 8 else 0)
    return png(figure)


def pass_rates(questions: list[dict], xlabel: str) -> str:
    """questions: [{"label", "rate"}] with rate in percent; one horizontal bar each."""
    figure = Figure(figsize=(6.5, 0.45 * len(questions) + 1.2))
    axes = figure.subplots()
    labels = [q["label"] for q in questions][::-1]  # first question on top
    axes.barh(labels, [q["rate"] for q in questions][::-1], color=BAR)
    axes.set_xlim(0, 100)
    axes.set_xlabel(xlabel)
    return png(figure)
