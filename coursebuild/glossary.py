"""The glossary page of one language, from the per-module entries in book/glossary/*.yml.

Each file is a list of entries: ``{de: {term: ..., definition: ...}, en: {term: ..., definition: ...}}``;
an entry may list other spellings the lessons use (``also: [...]``).

On the site, the first use of every term in a lesson's prose links to its entry (a ``{term}``
role, which Sphinx checks); the downloaded notebooks keep the plain word.
"""
import re

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


# Protected spans in prose: code, roles, links, URLs, HTML tags, math. Terms are linked outside them only.
PROTECTED = re.compile(r"\{[a-z:]+\}`[^`]*`|`[^`]*`|!?\[[^\]]*\]\([^)]*\)|<[^>\n]*>|\$[^$\n]+\$|https?://\S+")
ENDINGS = {"de": "(?:e|en|n|s|es|er|ern)?", "en": "(?:s|es)?"}


def spellings(term: str, others: set[str]) -> list[str]:
    """A term as written, and "Genauigkeit (Accuracy)" also as either part, unless that part names
    another entry ("Betreiber (KI-Verordnung)" is not what "KI-Verordnung" means)."""
    found = [term]
    match = re.fullmatch(r"(.+?)\s*\((.+)\)", term)
    if match:
        found += [part.strip() for part in match.groups()
                  if not part.strip().startswith("§") and part.strip().casefold() not in others]
    return found


def stem(term: str) -> str:
    return re.sub(r"\s*\(.*\)$", "", term).casefold()


# Words that look like a term but mostly mean something else ("this means", "raten" = to guess).
NOT_TERMS = {"en": {"means"}, "de": set()}


def term_patterns(lang: str, module: str) -> list[tuple[str, re.Pattern, set]]:
    """Terms of this module and the ones before it (a later module may use a word in another sense).
    German single words match in their case only: nouns are capitalised, "raten" is not "Rate"."""
    patterns = []
    known = [yaml.safe_load(path.read_text(encoding="utf-8")) or [] for path in sorted(GLOSSARY.glob("*.yml"))
             if path.stem <= module]
    listed = [entry[lang] for entries_of_file in known for entry in entries_of_file]
    for entry in listed:
        others = {stem(e["term"]) for e in listed if e is not entry}
        for word in sorted(spellings(entry["term"], others) + entry.get("also", []), key=len, reverse=True):
            flags = 0 if lang == "de" and " " not in word else re.I
            patterns.append((entry["term"], re.compile(rf"(?<![\w-])({re.escape(word)}){ENDINGS[lang]}(?![\w-])", flags),
                             NOT_TERMS[lang]))
    return patterns


def link_terms(text: str, patterns: list, linked: set) -> str:
    """Links the first use of each term not yet in `linked` (a set it fills) in one markdown cell:
    prose only, not headings, code, links or fenced blocks."""
    out, fenced, raw_html = [], False, False
    for line in text.split("\n"):
        if line.lstrip().startswith(("```", ":::")):
            fenced = not fenced
        # An HTML block (<details>, …) shows its text raw until the next blank line: a role would show as written.
        raw_html = line.startswith("<") or (raw_html and line.strip() != "")
        if fenced or raw_html or line.lstrip().startswith(("#", "```", ":::")):
            out.append(line)
            continue
        pieces, last = [], 0
        for match in PROTECTED.finditer(line):
            pieces += [link_piece(line[last:match.start()], patterns, linked), code_term(match.group(0), patterns, linked)]
            last = match.end()
        pieces.append(link_piece(line[last:], patterns, linked))
        out.append("".join(pieces))
    return "\n".join(out)


def code_term(span: str, patterns: list, linked: set) -> str:
    """A code span that is nothing but a term (`NaN`, `MetricFrame`) links like prose."""
    if not (span.startswith("`") and span.endswith("`")) or len(span) < 3:
        return span
    linkable = [term for term, pattern, _ in patterns if term not in linked and pattern.fullmatch(span[1:-1])]
    if not linkable:
        return span
    linked.add(linkable[0])
    return f"{{term}}`{span[1:-1]} <{linkable[0]}>`"


def link_piece(piece: str, patterns: list, linked: set) -> str:
    """The earliest (then longest) use of a term not linked yet becomes a {term} role; then the rest."""
    found = [(m.start(), -len(m.group(0)), term, m) for term, pattern, stop in patterns if term not in linked
             for m in [next((m for m in pattern.finditer(piece) if m.group(0).casefold() not in stop), None)] if m]
    if not found:
        return piece
    _, _, term, match = min(found, key=lambda f: f[:2])
    linked.add(term)
    role = f"{{term}}`{match.group(0)} <{term}>`"
    return piece[:match.start()] + role + link_piece(piece[match.end():], patterns, linked)


def with_term_links(nb, lang: str, module: str):
    """The page version of a lesson: the first use of every glossary term links to its entry."""
    patterns, linked = term_patterns(lang, module), set()
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = link_terms(cell.source, patterns, linked)
    return nb
