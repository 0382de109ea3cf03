"""Helpers for the site tests: the built site's text, its links and the secrets it must not hold."""
import html
import io
import re
import zipfile
from pathlib import Path

import nbformat

from autograder.judging.integrity import HIDDEN

from coursebuild.notebooks import exercise_sources, lesson_sources, read_source

TAG = re.compile(r"<[^>]+>")
SOLUTION = re.compile(r"### BEGIN SOLUTION(.*?)### END SOLUTION", re.S)
LINK = re.compile(r"""(?:href|src)=["']([^"'#?]+)""")


def normalise(text: str) -> str:
    return " ".join(text.split())


def readable_text(path: Path, data: bytes) -> str:
    """What a reader or a download of this file could show: HTML without tags, zip members, notebooks."""
    if path.suffix == ".zip":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(readable_text(Path(n), archive.read(n)) for n in archive.namelist())
    text = data.decode("utf-8", errors="replace")
    if path.suffix == ".html":
        return html.unescape(TAG.sub("", text))
    if path.suffix == ".ipynb":
        nb = nbformat.reads(text, as_version=4)
        return "\n".join(c.source for c in nb.cells)
    return text


def site_texts(root: Path):
    for path in root.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".ipynb", ".zip", ".js", ".txt", ".md", ".json"}:
            if "_static" in path.parts:
                continue
            yield path, normalise(readable_text(path, path.read_bytes()))


def public_text() -> str:
    """Everything the lessons show, as one normalised text."""
    return normalise("\n".join(c.source for source in lesson_sources() for c in read_source(source).cells))


def secret_lines() -> dict[str, set[str]]:
    """Solution and hidden-test lines of every exercise that nothing public shows anyway (a lesson,
    or the exercise's own visible parts such as tests and hints) and that say more than a single name."""
    lessons = public_text()
    secrets = {}
    for source in exercise_sources():
        cells = read_source(source).cells
        visible = normalise("\n".join(HIDDEN.sub("", SOLUTION.sub("", cell.source)) for cell in cells))
        found = set()
        for cell in cells:
            for block in SOLUTION.findall(cell.source) + HIDDEN.findall(cell.source):
                for line in map(normalise, block.splitlines()):
                    if (len(line) >= 8 and not line.startswith("#") and not line.isidentifier()
                            and line not in lessons and line not in visible):
                        found.add(line)
        secrets[source.parent.name] = found
    return secrets


def internal_links(page: Path, root: Path):
    for target in LINK.findall(page.read_text(encoding="utf-8")):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("//"):
            continue
        yield target, (page.parent / target).resolve()
