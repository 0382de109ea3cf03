"""Renders the HTML pages from the jinja2 templates in autograder/templates/."""
import os
import tempfile
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


def write_atomically(path: Path, text: str) -> None:
    """Readers (a browser, nbgrader's release_feedback) never see a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        # mkstemp makes the file private; feedback is copied on to learners with its mode.
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
