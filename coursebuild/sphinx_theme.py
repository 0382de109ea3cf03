"""Sphinx extension: what sphinx-book-theme's options cannot fix.

- The navigation's expand/collapse toggles (<summary> holding only an icon) get a name.
- Texts the theme or Sphinx leave in English, or write in a form the course does not use (the
  German site says "du", Sphinx's German says "Sie"), are replaced in the written pages and in the
  search's translations (_static/translations.js), from the table `course_theme_texts` (text as
  written -> text in the page's language; set per language in book/i18n.yml).
- Thebe (live code through Binder, which the course does not use; Jupyter Book always loads its
  extension) leaves scripts on every page, one of them twice: they are taken out, and so is
  MathJax on pages without a formula.
- Figures without an alternative text of their own (Sphinx then repeats the file path) get the
  description their SVG carries as <title> (written by coursebuild.static_widgets), and every
  SVG figure a box that keeps its text readable on a phone.
- Empty header cells (pandas' index column) become data cells.
Loaded through _config.yml (sphinx.extra_extensions).
"""
import html
import re
from pathlib import Path

from coursebuild.static_widgets import scrolling_figure, svg_title

# pandas leaves the header cell above the index empty, which screen readers announce as a
# nameless column header (axe: empty-table-header); an empty data cell says nothing instead. Also inside the
# widgets' JSON, where the slash is escaped.
EMPTY_HEADER = re.compile(r"<th((?:\s[^>]*)?)>(?:\s|&nbsp;|<p>\s*<\\?/p>)*<(\\?)/th>")
IMAGE = re.compile(r'<img alt="([^"]*)" src="([^"]+?\.svg)"[^>]*>')

TOGGLE_LABEL = {"de": "Unterabschnitte ein- oder ausklappen", "en": "Show or hide subsections"}


def name_the_toggles(app, pagename, templatename, context, doctree):
    generate = context.get("generate_toctree_html")
    if generate is None:
        return
    label = TOGGLE_LABEL.get(app.config.language, TOGGLE_LABEL["en"])

    def labelled(*args, **kwargs):
        # The theme returns a BeautifulSoup tree or a string; templates print either as text.
        return str(generate(*args, **kwargs)).replace("<summary>", f'<summary aria-label="{label}">')

    context["generate_toctree_html"] = labelled


THEBE_BLOCKS = re.compile(r'\s*<script type="text/x-thebe-config">.*?</script>\s*<script>kernelName = [^<]*</script>', re.S)


def without_unused_scripts(app, pagename, templatename, context, doctree):
    """No Thebe; MathJax (270 KB) only where the page itself has a formula (Sphinx also loads
    it on pages whose table of contents includes one)."""
    has_math = 'class="math' in context.get("body", "")

    def unused(asset):
        name = str(getattr(asset, "filename", asset) or "").lower()
        body = str(getattr(asset, "attributes", {}).get("body", ""))
        return "thebe" in name or "THEBE" in body or (not has_math and ("mathjax" in name or "MathJax" in body))

    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if not unused(asset)]
    if "body" in context:
        context["body"] = THEBE_BLOCKS.sub("", context["body"])


def fill_empty_headers(text: str) -> str:
    return EMPTY_HEADER.sub(r"<td\1><\2/td>", text)


def described_figures(page: Path, text: str, lang: str) -> str:
    """SVG figures: the alt text from the figure's title where the page has none of its own
    (Sphinx then repeats the path), and a box that keeps their text readable on a phone."""
    def described(match):
        alt, src = match.groups()
        path = page.parent / html.unescape(src)
        svg = path.read_text(encoding="utf-8") if path.exists() else ""
        img = match.group(0)
        if (not alt or alt == src) and svg_title(svg):
            img = img.replace(f'alt="{alt}"', f'alt="{html.escape(svg_title(svg), quote=True)}"', 1)
        return scrolling_figure(img, svg, lang) if svg else img

    return IMAGE.sub(described, text)


def finish_pages(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    texts = app.config.course_theme_texts
    for page in Path(app.outdir).rglob("*.html"):
        original = page.read_text(encoding="utf-8")
        text = replace_texts(fill_empty_headers(described_figures(page, original, app.config.language)), texts)
        if text != original:
            page.write_text(text, encoding="utf-8")
    translations = Path(app.outdir) / "_static" / "translations.js"
    if translations.exists():
        original = translations.read_text(encoding="utf-8")
        text = replace_texts(original, texts)
        if text != original:
            translations.write_text(text, encoding="utf-8")


def replace_texts(text: str, texts: dict[str, str]) -> str:
    for written, local in texts.items():
        text = text.replace(written, local)
    return text


def setup(app):
    app.add_config_value("course_theme_texts", {}, "html")
    # After the theme (priority 500) has put its toctree function into the context.
    app.connect("html-page-context", name_the_toggles, priority=900)
    app.connect("html-page-context", without_unused_scripts, priority=900)
    app.connect("build-finished", finish_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
