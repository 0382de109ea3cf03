"""A real browser (Debian's chromium, driven by Playwright) reads the site as a learner would.

One pass per language visits every page once through a local server that serves gzip as a
static host does, and records what the tests below check: the bytes transferred, console
messages, axe-core's findings in light and dark mode, alt texts, and sideways scrolling at
375 px. The widget test changes every control of every widget and compares the output with the
precomputed one."""
import functools
import gzip
import io
import json
import os
import re
import shutil
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import pytest

from coursebuild import LANGUAGES, REPO
from coursebuild.site import published_lessons, toc_files

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa", "best-practice"]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
COMPRESSIBLE = {".html", ".js", ".css", ".svg", ".json", ".txt", ".map"}
LIMITS = {"lesson": 600_000, "exercise": 600_000, "start": 300_000}
FILE_NAME_ALT = re.compile(r"(^|/)[\w.-]+\.(png|svg|jpe?g|gif)$|^\.\./", re.I)

if not os.path.exists(CHROMIUM):
    if os.environ.get("CI"):
        raise RuntimeError("chromium is missing: run `make system-deps` (CI must run the browser tests)")
    pytest.skip("Debian's chromium is not installed (make system-deps)", allow_module_level=True)

pytestmark = pytest.mark.browser


class GzipHandler(SimpleHTTPRequestHandler):
    """Serves text files gzip-compressed when the browser accepts it, as static hosts do."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (path.suffix not in COMPRESSIBLE or not path.is_file()
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def page_kind(name: str) -> str:
    if name.startswith("lessons/"):
        return "lesson"
    if name.startswith("exercises/"):
        return "exercise"
    return "start" if name == "book/index" else "other"


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(GzipHandler, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def guarded_page(browser):
    """A page that may only talk to the local server (routing also turns the cache off, so
    every visit transfers the whole page). Requests elsewhere and missing files are recorded."""
    context = browser.new_context()
    page = context.new_page()
    page.outside, page.missing, page.console = [], [], []

    def guard(route):
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            page.outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.on("response", lambda response: response.status >= 400 and page.missing.append(response.url))
    page.on("console", lambda message: message.type in ("error", "warning")
            and page.console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: page.console.append(f"error: {error}"))
    return context, page


@pytest.fixture
def page(browser):
    context, page = guarded_page(browser)
    yield page
    assert not page.outside, f"the page tried to load from the internet: {page.outside}"
    assert not page.missing, f"the page asked for files the site does not have: {page.missing}"
    context.close()


def axe_violations(page, only_colours=False):
    """axe-core's findings of any impact; `only_colours` runs just the rules a colour scheme can
    change (the dark mode changes nothing else)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    run_only = {"type": "rule", "values": ["color-contrast", "link-in-text-block"]} if only_colours \
        else {"type": "tag", "values": AXE_TAGS}
    result = page.evaluate("async (runOnly) => await axe.run(document, {runOnly, resultTypes: ['violations']})", run_only)
    return result["violations"]


def transferred_bytes(page) -> int:
    # encodedBodySize is what came over the wire (gzip-compressed where the server compressed).
    return page.evaluate("""() => {
        const nav = performance.getEntriesByType('navigation')[0];
        return nav.encodedBodySize + performance.getEntriesByType('resource')
            .reduce((sum, entry) => sum + entry.encodedBodySize, 0);
    }""")


def visit(page, url):
    page.goto(url)
    # Images below the fold count as well: a reader scrolls.
    page.evaluate("() => document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')")
    page.wait_for_load_state("networkidle")


@pytest.fixture(scope="module")
def tour(browser, server):
    """Every page of both languages, once: what the tests below assert on, per language and page."""
    pages = sorted(toc_files()) + ["search"]
    report = {}
    started = time.perf_counter()
    for lang in LANGUAGES:
        context, page = guarded_page(browser)
        for name in pages:
            page.console.clear()
            page.set_viewport_size({"width": 1280, "height": 900})
            page.emulate_media(color_scheme="light")
            visit(page, f"{server}/{lang}/{name}.html")
            entry = {"bytes": transferred_bytes(page), "kind": page_kind(name)}
            entry["axe_light"] = [v["id"] for v in axe_violations(page)]
            # Measure the dark colours, not the theme's fade from light to dark.
            page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
            page.emulate_media(color_scheme="dark")
            page.wait_for_function("document.documentElement.dataset.theme === 'dark'")
            entry["axe_dark"] = [v["id"] for v in axe_violations(page, only_colours=True)]
            entry["alts"] = page.evaluate("() => [...document.querySelectorAll('main img')].map(i => i.getAttribute('alt'))")
            page.set_viewport_size({"width": 375, "height": 800})
            entry["overflow"] = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            entry["small_charts"] = page.evaluate(SMALL_CHARTS)
            entry["console"] = list(page.console)
            entry["widgets"] = page.locator(".static-widget").count()
            report[f"{lang}/{name}"] = entry
        assert not page.outside, page.outside
        assert not page.missing, page.missing
        context.close()
    print(f"\nbrowser tour of {len(report)} pages: {time.perf_counter() - started:.0f} s")
    for kind in ("start", "lesson", "exercise"):
        sizes = [e["bytes"] for e in report.values() if e["kind"] == kind]
        print(f"{kind}: {len(sizes)} pages, {min(sizes) // 1000}-{max(sizes) // 1000} KB transferred")
    return report


# Charts whose smallest text would render below 10 CSS px: every SVG figure sits in a box that
# gives it the width its text needs (--readable-width, computed by the build from the SVG).
SMALL_CHARTS = """() => [...document.querySelectorAll('main img')].filter(img => {
    if (!/\\.svg$/.test(img.getAttribute('src') || '') && !img.dataset.image) return false;
    const box = img.closest('.figure-scroll');
    if (!box) return true;
    const needed = parseFloat(getComputedStyle(box).getPropertyValue('--readable-width')) || 0;
    return img.getBoundingClientRect().width + 1 < needed;
}).map(img => img.alt)"""


def test_pages_are_light(tour):
    heavy = {name: e["bytes"] for name, e in tour.items() if e["bytes"] > LIMITS.get(e["kind"], LIMITS["lesson"])}
    assert not heavy, heavy


def test_no_console_error_or_warning(tour):
    noisy = {name: e["console"] for name, e in tour.items() if e["console"]}
    assert not noisy, json.dumps(noisy, indent=1)


def test_no_accessibility_finding_in_light_or_dark_mode(tour):
    findings = {}
    for name, entry in tour.items():
        for mode in ("axe_light", "axe_dark"):
            for rule in entry[mode]:
                findings.setdefault(f"{rule} ({mode[4:]})", []).append(name)
    assert not findings, json.dumps(findings, indent=1)


def test_every_figure_has_a_meaningful_alt_text(tour):
    bad = {name: [a for a in e["alts"] if not a or not a.strip() or FILE_NAME_ALT.search(a.strip())]
           for name, e in tour.items()}
    bad = {name: alts for name, alts in bad.items() if alts}
    assert not bad, bad
    assert sum(len(e["alts"]) for e in tour.values()) > 0


def test_no_sideways_scrolling_on_a_phone(tour):
    wide = {name: e["overflow"] for name, e in tour.items() if e["overflow"] > 0}
    assert not wide, wide


def test_chart_text_is_readable_on_a_phone(tour):
    small = {name: e["small_charts"] for name, e in tour.items() if e["small_charts"]}
    assert not small, small


def test_every_lesson_has_a_widget_and_no_widget_manager(tour, site):
    for lang in LANGUAGES:
        for lesson in published_lessons():
            assert tour[f"{lang}/lessons/{lesson.stem}"]["widgets"] >= 1, lesson.stem
            text = (site / lang / "lessons" / f"{lesson.stem}.html").read_text(encoding="utf-8")
            assert "widget-state+json" not in text and "require.js" not in text and "embed-amd" not in text


def test_start_pages_and_language_switch(page, server):
    page.goto(f"{server}/index.html")
    page.get_by_role("link", name="Deutsch").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.url.endswith("/de/book/index.html")
    page.locator("a.language-switch").first.click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.endswith("/en/book/index.html")
    page.locator("a.language-switch").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/de/book/index.html")


EXPECTED_OUTPUT = """([widget, index]) => {
    const data = JSON.parse(widget.querySelector('script.static-widget-data').textContent);
    const expected = document.createElement('div');
    expected.innerHTML = data.outputs[index];
    const shown = widget.querySelector('.static-widget-output');
    const images = (root) => [...root.querySelectorAll('img')].map(i => i.dataset.image + ':' + i.alt).join('|');
    return {expectedText: expected.textContent, shownText: shown.textContent,
            expectedImages: images(expected), shownImages: images(shown),
            loaded: [...shown.querySelectorAll('img')].every(i => i.complete && i.naturalWidth > 0)};
}"""


def state_key(widget) -> str:
    """The state the controls show, read from the form as a reader sees it (not from our script)."""
    parts = []
    for row in widget.locator("[data-control]").all():
        kind = row.get_attribute("data-kind")
        inputs = row.locator("input")
        if kind == "checkbox":
            parts.append("1" if inputs.first.is_checked() else "0")
        elif kind == "select":
            parts.append(row.locator("select").input_value())
        elif kind == "slider":
            parts.append(inputs.first.input_value())
        elif kind == "radio":
            parts.append(next(str(i) for i in range(inputs.count()) if inputs.nth(i).is_checked()))
        elif kind == "multi":
            parts.append(str(sum(2 ** i for i in range(inputs.count()) if inputs.nth(i).is_checked())))
        elif kind == "range":
            parts.append(f"{inputs.nth(0).input_value()}-{inputs.nth(1).input_value()}")
    return ",".join(parts)


def change(row):
    """Changes one control the way a keyboard user would; returns False for a disabled one."""
    kind = row.get_attribute("data-kind")
    if kind == "fixed":
        return False
    if kind == "select":
        select = row.locator("select")
        select.focus()
        select.press("ArrowDown" if select.evaluate("s => s.selectedIndex < s.options.length - 1") else "ArrowUp")
    elif kind in ("slider", "range"):
        handle = row.locator("input[type=range]").last
        handle.focus()
        at_end = handle.evaluate("i => i.value === i.max")
        handle.press("ArrowLeft" if at_end else "ArrowRight")
    elif kind == "radio":
        radios = row.locator("input")
        current = next(i for i in range(radios.count()) if radios.nth(i).is_checked())
        radios.nth(current).focus()
        radios.nth(current).press("ArrowDown")
    else:
        row.locator("input").first.focus()
        row.locator("input").first.press("Space")
    return True


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_control_shows_its_precomputed_output(page, server, lang):
    counts = {}
    for lesson in published_lessons():
        page.goto(f"{server}/{lang}/lessons/{lesson.stem}.html")
        for widget in page.locator(".static-widget").all():
            data = json.loads(widget.locator("script.static-widget-data").text_content())
            counts[lesson.stem] = counts.get(lesson.stem, 0) + len(data["states"])
            rows = widget.locator("[data-control]").all()
            changed = 0
            for row in rows:
                before = widget.locator(".static-widget-output").inner_html()
                if not change(row):
                    assert row.locator("input, textarea, select").first.is_disabled()
                    assert row.locator(".static-widget-reason").inner_text().strip()
                    continue
                key = state_key(widget)
                assert key in data["states"], f"{lesson.stem}: state {key} was not precomputed"
                shown = page.evaluate(EXPECTED_OUTPUT, [widget.element_handle(), data["states"][key]])
                assert shown["shownText"] == shown["expectedText"], f"{lesson.stem}: wrong output for {key}"
                assert shown["shownImages"] == shown["expectedImages"], f"{lesson.stem}: wrong figure for {key}"
                page.wait_for_function("w => [...w.querySelectorAll('.static-widget-output img')].every(i => i.complete && i.naturalWidth > 0)",
                                       arg=widget.element_handle())
                status = widget.locator(".static-widget-status")
                assert status.get_attribute("aria-live") == "polite" and status.inner_text().strip()
                changed += widget.locator(".static-widget-output").inner_html() != before
            if any(row.get_attribute("data-kind") != "fixed" for row in rows):
                assert changed, f"{lesson.stem}: no control changed the output"
    print(f"\n{lang}: precomputed states per lesson: {counts}")
    assert page.console == [], page.console


def test_root_page_is_accessible(page, server):
    page.goto(f"{server}/index.html")
    assert not axe_violations(page)


def test_language_switch_keeps_the_section(page, server):
    lesson = published_lessons()[0].stem
    page.goto(f"{server}/de/lessons/{lesson}.html")
    ids = page.evaluate("() => [...document.querySelectorAll('article.bd-article section[id]')].map(s => s.id)")
    page.goto(f"{server}/de/lessons/{lesson}.html#{ids[3]}")
    page.locator("a.language-switch").first.click()
    page.wait_for_url(f"**/en/lessons/{lesson}.html#*")
    english = page.evaluate("() => [...document.querySelectorAll('article.bd-article section[id]')].map(s => s.id)")
    page.wait_for_function("(id) => location.hash === '#' + id", arg=english[3])


def test_german_search_says_du_counts_hits_and_shows_clean_snippets(page, server):
    page.goto(f"{server}/de/search.html?q=Ehrenamtliche")
    summary = page.locator("#search-results .search-summary")
    summary.wait_for(state="visible")
    page.wait_for_function("() => /\\d+ Seite/.test(document.querySelector('#search-results .search-summary').textContent)")
    snippets = page.locator("#search-results .context").all_inner_texts()
    assert snippets
    chrome = ("Hauptnavigation", "Im Kurs suchen", "Seitenleiste", "Zum Hauptinhalt", "English", "Selbst ausprobieren")
    assert not [s for s in snippets if any(word in s for word in chrome)], snippets
    page.goto(f"{server}/de/search.html?q=Wortdasesnichtgibt")
    page.wait_for_function("() => document.querySelector('#search-results .search-summary')?.textContent.trim()")
    text = page.locator("#search-results").inner_text()
    assert " Sie " not in f" {text} " and "Deine Suche" in text
    # The magnifier sits beside the typed text, not on its first letter.
    overlap = page.evaluate("""() => {
        const input = document.querySelector('.bd-search input[name=q]');
        const icon = input.parentElement.querySelector('.fa-magnifying-glass');
        const start = input.getBoundingClientRect().left + parseFloat(getComputedStyle(input).paddingLeft);
        return icon.getBoundingClientRect().right - start;
    }""")
    assert overlap <= 0


def test_focus_is_visible_on_every_control(page, server):
    page.goto(f"{server}/de/lessons/{published_lessons()[1].stem}.html")
    unseen = []
    for _ in range(60):
        page.keyboard.press("Tab")
        seen = page.evaluate("""() => {
            const el = document.activeElement;
            if (!el || el === document.body) return null;
            const style = getComputedStyle(el);
            return [el.tagName + '.' + el.className, style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2
                    || style.boxShadow !== 'none'];
        }""")
        if seen and not seen[1]:
            unseen.append(seen[0])
    assert not unseen, unseen


def test_a_lesson_prints_as_a_handout(page, server):
    page.goto(f"{server}/en/lessons/{published_lessons()[0].stem}.html")
    widget = page.locator(".static-widget").first
    row = widget.locator("[data-control]").first
    change(row)
    chosen = widget.locator(".static-widget-output").inner_text()
    page.emulate_media(media="print")
    shown = page.evaluate("""() => {
        const visible = (el) => !!el && getComputedStyle(el).display !== 'none' && el.getBoundingClientRect().height > 0;
        const link = [...document.querySelectorAll('article a[href^="http"]')][0];
        return {navigation: visible(document.querySelector('.bd-sidebar-primary')) || visible(document.querySelector('.bd-header')),
                figures: [...document.querySelectorAll('article img')].every(visible),
                widget: visible(document.querySelector('.static-widget-output')),
                url: link ? getComputedStyle(link, '::after').content : ''};
    }""")
    assert not shown["navigation"] and shown["figures"] and shown["widget"]
    assert "http" in shown["url"]
    assert widget.locator(".static-widget-output").inner_text() == chosen
