"""The glossary page of one language, from the per-module entries in book/glossary/*.yml.

Each file is a list of entries: ``{de: {term: ..., definition: ...}, en: {term: ..., definition: ...}}``.
"""
import yaml

from . import REPO

GLOSSARY = REPO / "book" / "glossary"


def entries(lang: str) -> list[dict]:
    found, seen = [], {}
    for path in sorted(GLOSSARY.glob("*.yml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            if lang not in entry:
                raise ValueError(f"{path}: the entry {entry} has no {lang!r} text")
            term = entry[lang]["term"].casefold()
            if term in seen:
                raise ValueError(f"glossary term {entry[lang]['term']!r} ({lang}) is defined in {seen[term]} and in {path.name}: keep one")
            seen[term] = path.name
            found.append(entry[lang])
    return sorted(found, key=lambda e: e["term"].casefold())


def glossary_page(lang: str) -> str:
    intro = (GLOSSARY / f"intro.{lang}.md").read_text(encoding="utf-8").rstrip()
    lines = [intro, "", "```{glossary}", ":sorted:", ""]
    for entry in entries(lang):
        lines.append(entry["term"])
        definition = " ".join(entry["definition"].split())
        lines.append(f"  {definition}")
        lines.append("")
    lines.append("```")
    return "\n".join(lines) + "\n"
