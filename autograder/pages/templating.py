"""Renders the HTML pages from the jinja2 templates in autograder/pages/templates/."""
from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).parent / "templates"

# Autoescape: every text from a submission (answers, outputs, names) is untrusted.
ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)



def points(value, lang: str) -> str:
    """1.0 -> "1", 1.5 -> "1,5" in German."""
    text = f"{float(value or 0):.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "de" else text


def moment(value) -> str:
    """nbgrader keeps timestamps as naive UTC."""
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "–"


ENV.filters["points"] = points
ENV.filters["moment"] = moment


def render(template: str, **context) -> str:
    return ENV.get_template(template).render(**context)
