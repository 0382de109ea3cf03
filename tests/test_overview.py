"""The course overview (book/overview.*) agrees with itself and with the lessons: every short path
holds what its modules build on, and each module's time is what its lesson states, which covers
an estimate of reading and running it."""
import re

import pytest

from coursebuild import LANGUAGES, REPO
from coursebuild.notebooks import for_language, lesson_sources, read_source

ROW = re.compile(r"^\|\s*(\d+)\s*\|[^|]*\|\s*(\d+) [Mm]in\.?\s*\|([^|]*)\|", re.M)
PATH = re.compile(r"^- \*\*[^*]*\((\d+) (?:Module|modules)\):\*\* ([\d, ]+)", re.M)
STATED = re.compile(r"(\d+) (?:Minuten für die Lektion|minutes for the lesson) (?:und|and) (\d+) "
                    r"(?:Minuten für die Übung|minutes for the exercise)")
WORDS_PER_MINUTE = 200
MINUTES_PER_CODE_CELL = 1


def numbers(text: str) -> set[int]:
    """'1, 2' or '5–7' or '4–8, 11'; a remark in brackets ('– (best after 1–9)') is advice, not a prerequisite."""
    found = set()
    for part in re.sub(r"\(.*?\)", "", text).split(","):
        part = part.strip()
        if re.fullmatch(r"\d+\s*[–-]\s*\d+", part):
            first, last = map(int, re.split(r"\s*[–-]\s*", part))
            found |= set(range(first, last + 1))
        elif part.isdigit():
            found.add(int(part))
    return found


def overview(lang: str):
    text = (REPO / "book" / f"overview.{lang}.md").read_text(encoding="utf-8")
    table = {int(n): (int(minutes), numbers(builds_on)) for n, minutes, builds_on in ROW.findall(text)}
    paths = [(int(count), [int(n) for n in listed.replace(" ", "").strip(",").split(",")])
             for count, listed in PATH.findall(text)]
    return table, paths


def test_the_parser_reads_ranges_and_advice():
    assert numbers(" 4–8, 11 ") == {4, 5, 6, 7, 8, 11}
    assert numbers(" – (best after 1–9) ") == set()
    assert numbers(" – ") == set()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_short_path_holds_what_its_modules_build_on(lang):
    table, paths = overview(lang)
    assert sorted(table) == list(range(1, len(lesson_sources()) + 1)), "one row per module"
    assert len(paths) >= 3
    for count, modules in paths:
        assert count == len(modules), f"the path {modules} says {count} modules"
        assert modules == sorted(modules)
        for module in modules:
            missing = table[module][1] - set(modules)
            assert not missing, f"path {modules}: module {module} builds on {sorted(missing)}, which the path leaves out"


def test_both_languages_give_the_same_paths_times_and_prerequisites():
    assert overview("de") == overview("en")


@pytest.mark.parametrize("source", lesson_sources(), ids=[p.stem for p in lesson_sources()])
def test_the_stated_time_covers_reading_and_running_and_matches_the_overview(source):
    module = int(source.stem[:2])
    for lang in LANGUAGES:
        nb = for_language(read_source(source), lang)
        prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        stated = STATED.search(prose)
        assert stated, f"{source.stem} [{lang}] states no time for lesson and exercise"
        lesson, exercise = map(int, stated.groups())
        body = re.split(r"^## (?:Quellen|Sources)", prose, flags=re.M)[0]
        cells = sum(c.cell_type == "code" for c in nb.cells)
        estimate = len(re.findall(r"\w+", body)) / WORDS_PER_MINUTE + cells * MINUTES_PER_CODE_CELL
        assert estimate <= lesson, f"{source.stem} [{lang}]: about {estimate:.0f} minutes, but it states {lesson}"
        assert overview(lang)[0][module][0] == lesson + exercise, f"{source.stem} [{lang}]: overview time"
