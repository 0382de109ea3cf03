"""Sphinx extension: what sphinx-book-theme's options cannot fix.

- The navigation's expand/collapse toggles (<summary> holding only an icon) get a name.
- Texts the theme or Sphinx leave in English are replaced in the written pages, from the table
  `course_theme_texts` (English text -> text in the page's language; set per language in
  book/i18n.yml).
- Thebe (live code through Binder, which the course does not use; Jupyter Book always loads its
  extension) leaves scripts on every page, one of them twice: they are taken out.
- Figures without an alternative text of their own (Sphinx then repeats the file path) get the
  description their SVG carries as <title> (written by coursebuild.static_widgets).
Loaded through _config.yml (sphinx.extra_extensions).
"""
import html
import re
from pathlib import Path

from coursebuild.static_widgets import svg_title

IMAGE = re.compile(r'<img alt="([^"]*)" src="([^"]+?\.svg)"')

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


def without_thebe(app, pagename, templatename, context, doctree):
    def unused(asset):
        return "thebe" in str(getattr(asset, "filename", asset) or "").lower() \
            or "THEBE" in str(getattr(asset, "attributes", {}).get("body", ""))

    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if not unused(asset)]
    if "body" in context:
        context["body"] = THEBE_BLOCKS.sub("", context["body"])


def figure_alt(page: Path, text: str) -> str:
    def described(match):
        alt, src = match.groups()
        if alt and alt != src:
            return match.group(0)
        path = page.parent / html.unescape(src)
        title = svg_title(path.read_text(encoding="utf-8")) if path.exists() else ""
        return f'<img alt="{html.escape(title, quote=True)}" src="{src}"' if title else match.group(0)

    return IMAGE.sub(described, text)


def finish_pages(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    texts = app.config.course_theme_texts
    for page in Path(app.outdir).rglob("*.html"):
        original = page.read_text(encoding="utf-8")
        text = figure_alt(page, original)
        for english, local in texts.items():
            text = text.replace(english, local)
        if text != original:
            page.write_text(text, encoding="utf-8")


def setup(app):
    app.add_config_value("course_theme_texts", {}, "html")
    # After the theme (priority 500) has put its toctree function into the context.
    app.connect("html-page-context", name_the_toggles, priority=900)
    app.connect("html-page-context", without_thebe, priority=900)
    app.connect("build-finished", finish_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
