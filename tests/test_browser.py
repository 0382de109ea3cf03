"""A real browser (Debian's chromium, driven by Playwright) reads the site as a learner would:
both start pages, the language switch, the widget, and axe-core's accessibility rules on every page."""
import functools
import json
import os
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest

from coursebuild import LANGUAGES, REPO
from coursebuild.site import published_lessons, toc_files

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]

if not os.path.exists(CHROMIUM):
    if os.environ.get("CI"):
        raise RuntimeError("chromium is missing: run `make system-deps` (CI must run the browser tests)")
    pytest.skip("Debian's chromium is not installed (make system-deps)", allow_module_level=True)

pytestmark = pytest.mark.browser


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A page that may only talk to the local server: any other request is blocked and recorded."""
    context = browser.new_context()
    page = context.new_page()
    page.outside = []

    def guard(route):
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            page.outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.missing = []
    page.on("response", lambda response: response.status >= 400 and page.missing.append(response.url))
    yield page
    assert not page.outside, f"the page tried to load from the internet: {page.outside}"
    assert not page.missing, f"the page asked for files the site does not have: {page.missing}"
    context.close()


def axe_violations(page, impacts=("serious", "critical")):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in impacts]


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


@pytest.mark.parametrize("lang", LANGUAGES)
def test_lesson_widgets_render_from_saved_state(page, server, lang):
    for lesson in published_lessons():
        page.goto(f"{server}/{lang}/lessons/{lesson.stem}.html")
        widgets = page.locator(".jupyter-widgets.widget-container, .jupyter-widgets.widget-inline-hbox")
        widgets.first.wait_for(state="visible", timeout=15000)
        assert widgets.count() >= 1, f"{lesson.stem}: no widget was rendered"
        other = {"de": "en", "en": "de"}[lang]
        page.locator("a.language-switch").first.click()
        page.wait_for_load_state()
        assert page.url.endswith(f"/{other}/lessons/{lesson.stem}.html")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_serious_accessibility_violation(page, server, lang):
    findings = {}
    for name in sorted(toc_files()) + ["search"]:
        page.goto(f"{server}/{lang}/{name}.html")
        page.wait_for_load_state("networkidle")
        if page.locator("script[type='application/vnd.jupyter.widget-view+json']").count():
            page.locator(".jupyter-widgets").first.wait_for(state="visible", timeout=15000)
        for violation in axe_violations(page):
            findings.setdefault(violation["id"], []).append(name)
    assert not findings, json.dumps(findings, indent=1)


def test_root_page_is_accessible(page, server):
    page.goto(f"{server}/index.html")
    assert not axe_violations(page)
