"""The built site: both languages, every page, no broken links, no solution or hidden test."""
import html
import re
import shutil

import pytest

from coursebuild import LANGUAGES
from coursebuild.site import published_exercises, toc_files

from site_check import TAG, internal_links, secret_lines, site_texts

LANG_ATTR = re.compile(r'<html[^>]*\blang="([a-z]{2})"')


def pages(root):
    return sorted(p for p in root.rglob("*.html") if "_static" not in p.parts and p.name not in {"search.html", "genindex.html"})


def test_every_toc_page_exists_in_both_languages_with_its_lang(site):
    for lang in LANGUAGES:
        for page in toc_files():
            path = site / lang / f"{page}.html"
            assert path.exists(), f"{path} was not built"
            assert LANG_ATTR.search(path.read_text(encoding="utf-8")).group(1) == lang


def test_every_page_links_to_itself_in_the_other_language(site):
    for lang in LANGUAGES:
        other = "en" if lang == "de" else "de"
        for page in toc_files():
            text = (site / lang / f"{page}.html").read_text(encoding="utf-8")
            match = re.search(r'class="language-switch" href="([^"]+)"', text)
            assert match, f"{lang}/{page}: no language switch"
            target = ((site / lang / page).parent / match.group(1)).resolve()
            assert target == (site / other / f"{page}.html").resolve()


def test_start_page_leads_to_both_languages(site):
    text = (site / "index.html").read_text(encoding="utf-8")
    for lang in LANGUAGES:
        assert f'href="{lang}/book/index.html"' in text
        assert (site / lang / "book" / "index.html").exists()


def test_no_broken_internal_links(site):
    broken = []
    for page in pages(site):
        for target, resolved in internal_links(page, site):
            if not resolved.exists():
                broken.append(f"{page.relative_to(site)} -> {target}")
    assert not broken, "\n".join(broken[:30])


def test_no_asset_is_loaded_from_the_internet(site):
    external = re.compile(r"""<(?:script|link|img|iframe)[^>]+(?:src|href)=["'](?:https?:)?//""")
    offenders = [str(p.relative_to(site)) for p in pages(site) if external.search(p.read_text(encoding="utf-8"))]
    assert not offenders, offenders


def test_no_solution_or_hidden_test_reaches_the_site(site):
    secrets = secret_lines()
    assert all(secrets.values()), "every exercise has solution lines to look for"
    leaks = []
    for path, text in site_texts(site):
        for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
            if marker in text:
                leaks.append(f"{path.relative_to(site)}: {marker}")
        for exercise, lines in secrets.items():
            leaks.extend(f"{path.relative_to(site)}: {line}" for line in lines if line in text)
    assert not leaks, "\n".join(leaks[:30])


def test_exercise_pages_show_the_student_version_with_a_download(site):
    for lang in LANGUAGES:
        for name in published_exercises():
            page = (site / lang / "exercises" / name / "exercise.html").read_text(encoding="utf-8")
            assert "NotImplementedError" in page
            assert f"{name}-exercise.zip" in page


def test_leak_check_finds_a_solution_where_there_is_one(tmp_path):
    """The leak check itself: a page built from the source (with solutions) must be caught."""
    from coursebuild.notebooks import exercise_sources, for_language, read_source, to_json

    source = exercise_sources()[0]
    (tmp_path / "exercise.ipynb").write_text(to_json(for_language(read_source(source), "de")), encoding="utf-8")
    lines = secret_lines()[source.parent.name]
    found = [line for _, text in site_texts(tmp_path) for line in lines if line in text]
    assert found


def test_local_notebooks_have_their_data_and_no_solutions(tmp_path):
    from coursebuild.notebooks import data_files, exercise_sources, lesson_sources, read_source
    from coursebuild.site import notebooks

    written = notebooks(tmp_path)
    assert len(written) == len(LANGUAGES) * (len(lesson_sources()) + len(exercise_sources()))
    sources = {("lessons", p.stem): p for p in lesson_sources()}
    sources.update({("exercises", p.parent.name): p for p in exercise_sources()})
    for path in written:
        kind = "lessons" if path.parent.name == "lessons" else "exercises"
        needed = data_files(read_source(sources[kind, path.stem if kind == "lessons" else path.parent.name]))
        assert all((path.parent / name).exists() for name in needed), f"{path}: data missing"
        text = path.read_text(encoding="utf-8")
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text


def test_theme_texts_follow_the_page_language(site):
    """Labels and tooltips of the German pages are not left in English: none equals its English twin."""
    attribute = re.compile(r'(?:aria-label|title|placeholder)="([^"]+)"')
    same = set()
    for page in toc_files():
        de = set(attribute.findall((site / "de" / f"{page}.html").read_text(encoding="utf-8")))
        en = set(attribute.findall((site / "en" / f"{page}.html").read_text(encoding="utf-8")))
        same |= de & en
    assert not same, same
    german = (site / "de" / "book" / "index.html").read_text(encoding="utf-8")
    for text in ("Im Kurs suchen", "Zum Hauptinhalt springen", "Seitenleiste ein- oder ausblenden"):
        assert text in german


def test_every_lesson_and_exercise_is_published():
    """A module missing from _toc.yml would silently be left off the site and the local notebooks."""
    from coursebuild.notebooks import exercise_sources, lesson_sources
    from coursebuild.site import published_exercises, published_lessons

    assert published_lessons() == lesson_sources()
    assert published_exercises() == [p.parent.name for p in exercise_sources()]


def test_every_exercise_links_to_the_help_with_error_messages(site):
    for lang in LANGUAGES:
        help_page = site / lang / "book" / "errors.html"
        assert help_page.exists()
        for name in published_exercises():
            page = site / lang / "exercises" / name / "exercise.html"
            targets = [resolved for _, resolved in internal_links(page, site)]
            assert help_page.resolve() in targets, f"{lang}/{name} does not link to the error help"


@pytest.mark.parametrize("lang,missing,stub", [
    ("de", "Die Antwort in der Zelle oben fehlt noch", "Hier fehlt noch deine Antwort"),
    ("en", "The answer in the cell above is still missing", "Your answer is still missing here"),
])
def test_an_untouched_student_notebook_says_in_its_language_that_answers_are_missing(released_courses, tmp_path,
                                                                                      lang, missing, stub):
    """Run as a learner would before writing anything: every test cell fails (it must, for
    grading), and says why in the notebook's language instead of a bare English NameError."""
    import nbformat
    from nbclient import NotebookClient

    from coursebuild.course import notebook_file

    name = published_exercises()[0]
    folder = tmp_path / name   # a copy: the course is shared
    shutil.copytree(released_courses[lang] / "release" / name, folder)
    nb = nbformat.read(folder / notebook_file(name), as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(folder)}}).execute()
    errors = [o for cell in nb.cells for o in cell.get("outputs", []) if o.output_type == "error"]
    name_errors = [o for o in errors if o.ename == "NameError"]
    assert name_errors and all(missing in o.traceback[-1] for o in name_errors)
    stubs = [o for o in errors if o.ename == "NotImplementedError"]
    assert stubs and all(stub in o.traceback[-1] for o in stubs)


FORMAL_ADDRESS = re.compile(r"\b(?:Sie|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres|Ihnen)\b")
ARTICLE = re.compile(r'<article class="bd-article".*?</article>', re.S)
SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1>", re.S)
SHOWN_ATTRIBUTE = re.compile(r'(?:title|aria-label|placeholder|alt)="([^"]*)"')


def formal_address(text: str) -> list[str]:
    return [text[max(0, m.start() - 40):m.end() + 40] for m in FORMAL_ADDRESS.finditer(text)]


def test_german_theme_texts_say_du(site):
    """Buttons, navigation, footer, the search page and the search's messages address the reader
    with "du". Only the lesson text itself may quote letters that say "Sie", so it is left out."""
    german = site / "de"
    found = []
    for page in german.rglob("*.html"):
        if "_static" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        chrome = text if page.name == "search.html" else ARTICLE.sub("", text)
        shown = html.unescape(TAG.sub(" ", SCRIPT_OR_STYLE.sub("", chrome)))
        shown += " ".join(SHOWN_ATTRIBUTE.findall(chrome))
        found += [f"{page.relative_to(site)}: {hit}" for hit in formal_address(shown)]
    search_messages = (german / "_static" / "translations.js").read_text(encoding="utf-8")
    found += [f"translations.js: {hit}" for hit in formal_address(search_messages)]
    assert "Deine Suche ergab keine Treffer" in search_messages
    assert not found, "\n".join(found[:20])


def test_german_templates_and_texts_say_du():
    """The course's own templates and the German theme texts (book/_templates, book/i18n.yml)."""
    import yaml

    from coursebuild import REPO

    texts = yaml.safe_load((REPO / "book" / "i18n.yml").read_text(encoding="utf-8"))["de"]
    german = list(texts["texts"].values()) + list(texts["config"]["sphinx"]["config"]["course_theme_texts"].values())
    german += [p.read_text(encoding="utf-8") for p in (REPO / "book" / "_templates").rglob("*.html")]
    found = [hit for text in german for hit in formal_address(text)]
    assert not found, found


def test_folded_chart_and_widget_code_has_a_toggle_in_the_page_language(site):
    """hide-input cells become a <details> whose visible text names it (no English aria-label)."""
    from coursebuild.notebooks import lesson_sources, read_source

    prompts = {"de": "Code anzeigen", "en": "Show code"}
    for source in lesson_sources():
        folded = sum("hide-input" in c.metadata.get("tags", []) for c in read_source(source).cells)
        for lang in LANGUAGES:
            text = (site / lang / "lessons" / f"{source.stem}.html").read_text(encoding="utf-8")
            toggles = re.findall(r'<details class="admonition hide above-input">\s*<summary>\s*'
                                 r'<p class="collapsed admonition-title">([^<]*)</p>', text)
            assert toggles == [prompts[lang]] * folded, f"{lang}/{source.stem}: {toggles}"
            assert "Toggle hidden content" not in text


def test_lessons_link_glossary_terms_to_existing_entries(site):
    for lang in LANGUAGES:
        glossary = (site / lang / "book" / "glossary.html").read_text(encoding="utf-8")
        anchors = set(re.findall(r'id="(term-[^"]+)"', glossary))
        for page in sorted((site / lang / "lessons").glob("*.html")):
            links = re.findall(r'href="\.\./book/glossary\.html#(term-[^"]+)"', page.read_text(encoding="utf-8"))
            assert len(links) >= 5, f"{lang}/{page.name}: {len(links)} glossary links"
            assert set(links) <= anchors, f"{lang}/{page.name}: {set(links) - anchors}"


def test_module_1_zip_carries_the_excel_files_and_what_reads_them(site):
    import zipfile

    for lang in LANGUAGES:
        (download,) = (site / lang / "_downloads").glob("*/01-reading-data.zip")
        with zipfile.ZipFile(download) as archive:
            names = set(archive.namelist())
            assert {"foodbank.csv", "foodbank_excel.csv", "foodbank.xlsx", "01-reading-data.ipynb"} <= names
            assert "openpyxl==" in archive.read("requirements.txt").decode()


IMG = re.compile(r"<img\b[^>]*>")


def test_the_trainers_guide_shows_its_screenshots_with_alt_texts(site):
    """The guide walks through the day with pictures of the report, the marking page and the returned
    feedback: each in the page's language, present in the built site, and described in words."""
    for lang in LANGUAGES:
        page = site / lang / "book" / "trainers.html"
        images = IMG.findall(page.read_text(encoding="utf-8"))
        names = set()
        for tag in images:
            src = re.search(r'\bsrc="([^"]+)"', tag).group(1)
            alt = re.search(r'\balt="([^"]*)"', tag)
            assert (page.parent / src).resolve().is_file(), f"{lang}: {src} is missing"
            assert alt and len(alt.group(1).split()) >= 8, f"{lang}: {src} needs an alt text that says what it shows"
            names.add(src.rsplit("/", 1)[-1])
        assert {f"trainers-{n}.{lang}.png" for n in ("marking", "report", "feedback")} <= names, names
