"""The glossary page of one language, from the per-module entries in book/glossary/*.yml.

Each file is a list of entries: ``{de: {term: ..., definition: ...}, en: {term: ..., definition: ...}}``;
an entry may list other spellings the lessons use (``also: [...]``).

On the site, the first use of every term in a lesson's prose links to its entry (a ``{term}``
role, which Sphinx checks); the downloaded notebooks keep the plain word. Many words have other
senses ("mean" the verb, a "Merkmal" of the AGG, "labels" of a chart), so a language's entry may say
where it is meant (each key optional, phrases as written but in any case):

- ``only_in_modules: [03-impact-and-needs]``: links in these lessons only;
- ``not_in_modules: [12-law-and-responsibility]``: never links in these lessons;
- ``only_in: [the mean, a mean]``: the word links only where it is part of one of these phrases;
- ``not_in: [impact assessment, Hash]``: never where it is part of one of these phrases (a phrase that
  is the word itself: never as this spelling, e.g. the "Hash" of "Salz (Hash)").

Whatever the data says, a word never links inside a longer glossary term ("rate" in "selection rate",
"impact" in "data protection impact assessment") nor in a lesson's sources or any reference line,
where words are titles of other works ("Disparate Impact").
"""
import re
from collections.abc import Callable
from functools import cache

import yaml

from . import REPO

GLOSSARY = REPO / "book" / "glossary"
KEYS = {"term", "definition", "also", "only_in_modules", "not_in_modules", "only_in", "not_in"}


def check_senses(path, text: dict, lang: str, modules: set[str]) -> None:
    """A misspelt key or module would silently link the wrong sense again: say so instead."""
    if unknown := set(text) - KEYS:
        raise ValueError(f"{path.name}: {text['term']!r} ({lang}) has unknown keys {sorted(unknown)}; known: {sorted(KEYS)}")
    if unknown := set(text.get("only_in_modules", []) + text.get("not_in_modules", [])) - modules:
        raise ValueError(f"{path.name}: {text['term']!r} ({lang}) names modules without a glossary file: {sorted(unknown)}")
    words = [word.casefold() for word in spellings(text["term"], set()) + text.get("also", [])]
    for phrase in text.get("only_in", []) + text.get("not_in", []):
        if not any(word in phrase.casefold() for word in words):
            raise ValueError(f"{path.name}: the phrase {phrase!r} of {text['term']!r} ({lang}) contains none of its spellings")


def module_entries(path) -> list[dict]:
    """One module's entries (read once per version of the file: every lesson and language needs them)."""
    return read_entries(path, path.stat().st_mtime_ns)


@cache
def read_entries(path, version: int) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or []


def entries(lang: str) -> list[dict]:
    found, seen = [], {}
    paths = sorted(GLOSSARY.glob("*.yml"))
    modules = {path.stem for path in paths}
    for path in paths:
        for entry in module_entries(path):
            if lang not in entry:
                raise ValueError(f"{path}: the entry {entry} has no {lang!r} text")
            check_senses(path, entry[lang], lang, modules)
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


def word_pattern(word: str, lang: str) -> re.Pattern:
    """A spelling with its endings; German single words match in their case only: nouns are
    capitalised, "raten" is not "Rate"."""
    flags = 0 if lang == "de" and " " not in word else re.I
    return re.compile(rf"(?<![\w-])({re.escape(word)}){ENDINGS[lang]}(?![\w-])", flags)


def phrase_pattern(phrases: list[str]) -> re.Pattern | None:
    """Any of the phrases as written, with emphasis marks between their words (a **miss**)."""
    if not phrases:
        return None
    alternatives = [r"[\s*_]+".join(re.escape(word) for word in phrase.split()) for phrase in phrases]
    return re.compile(rf"(?<![\w-])(?:{'|'.join(alternatives)})(?![\w-])", re.I)


def all_spellings(lang: str) -> list[tuple[str, re.Pattern]]:
    """Every spelling of every entry, later modules too: a longer term hides the shorter words in it."""
    listed = [entry[lang] for path in sorted(GLOSSARY.glob("*.yml"))
              for entry in module_entries(path)]
    words = {word for entry in listed for word in spellings(entry["term"], set()) + entry.get("also", [])}
    return [(word.casefold(), word_pattern(word, lang)) for word in sorted(words) if not word.startswith("§")]


def sense_check(entry: dict, lang: str, longer: list[tuple[str, re.Pattern]]):
    """Whether a match of this entry's spelling in a piece of prose means this entry."""
    only_in, not_in = phrase_pattern(entry.get("only_in", [])), phrase_pattern(entry.get("not_in", []))

    def inside(pattern: re.Pattern, piece: str, match, longer_only: bool = False) -> bool:
        return any(m.start() <= match.start() and match.end() <= m.end()
                   and (len(m.group(0)) > len(match.group(0)) or not longer_only) for m in pattern.finditer(piece))

    def fits(piece: str, match) -> bool:
        word = match.group(1).casefold()
        if any(word in other and len(other) > len(word) and inside(pattern, piece, match, longer_only=True)
               for other, pattern in longer):
            return False
        if not_in and inside(not_in, piece, match):
            return False
        return not only_in or inside(only_in, piece, match)
    return fits


def term_patterns(lang: str, module: str) -> list[tuple[str, re.Pattern, Callable]]:
    """Terms of this module and the ones before it (a later module may use a word in another sense),
    each spelling with a check whether a match means the entry here."""
    patterns = []
    known = [module_entries(path) for path in sorted(GLOSSARY.glob("*.yml")) if path.stem <= module]
    listed = [entry[lang] for entries_of_file in known for entry in entries_of_file]
    longer = all_spellings(lang)
    for entry in listed:
        if module in entry.get("not_in_modules", []) or module not in entry.get("only_in_modules", [module]):
            continue
        others = {stem(e["term"]) for e in listed if e is not entry}
        fits = sense_check(entry, lang, longer)
        for word in sorted(spellings(entry["term"], others) + entry.get("also", []), key=len, reverse=True):
            patterns.append((entry["term"], word_pattern(word, lang), fits))
    return patterns


# A lesson's list of sources, and a reference anywhere ("- Author (2019): *Title*"): titles of other
# works, where a word is not the course's term.
SOURCES_HEADING = re.compile(r"#+\s+(Quellen|Sources)\s*$")
REFERENCE = re.compile(r"\s*[-*] [^:]*\(\d{4}[a-z]?\):")


def link_terms(text: str, patterns: list, linked: set) -> str:
    """Links the first use of each term not yet in `linked` (a set it fills) in one markdown cell:
    prose only, not headings, code, links, fenced blocks or sources."""
    out, fenced, raw_html, sources = [], False, False, False
    for line in text.split("\n"):
        if line.lstrip().startswith(("```", ":::")):
            fenced = not fenced
        if not fenced and line.startswith("#"):
            sources = bool(SOURCES_HEADING.match(line))
        # An HTML block (<details>, …) shows its text raw until the next blank line: a role would show as written.
        raw_html = line.startswith("<") or (raw_html and line.strip() != "")
        if fenced or raw_html or sources or REFERENCE.match(line) or line.lstrip().startswith(("#", "```", ":::")):
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
    linkable = [term for term, pattern, fits in patterns if term not in linked
                and (match := pattern.fullmatch(span[1:-1])) and fits(span[1:-1], match)]
    if not linkable:
        return span
    linked.add(linkable[0])
    return f"{{term}}`{span[1:-1]} <{linkable[0]}>`"


def link_piece(piece: str, patterns: list, linked: set) -> str:
    """The earliest (then longest) use of a term not linked yet becomes a {term} role; then the rest."""
    found = [(m.start(), -len(m.group(0)), term, m) for term, pattern, fits in patterns if term not in linked
             for m in [next((m for m in pattern.finditer(piece) if fits(piece, m)), None)] if m]
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
