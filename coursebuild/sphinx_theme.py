"""Sphinx extension: what sphinx-book-theme's options cannot fix.

- The navigation's expand/collapse toggles (<summary> holding only an icon) get a name.
- Texts the theme or Sphinx leave in English are replaced in the written pages, from the table
  `course_theme_texts` (English text -> text in the page's language; set per language in
  book/i18n.yml).
Loaded through _config.yml (sphinx.extra_extensions).
"""
from pathlib import Path

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


def translate_pages(app, exception):
    texts = app.config.course_theme_texts
    if exception is not None or not texts or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        translated = html
        for english, local in texts.items():
            translated = translated.replace(english, local)
        if translated != html:
            page.write_text(translated, encoding="utf-8")


def setup(app):
    app.add_config_value("course_theme_texts", {}, "html")
    # After the theme (priority 500) has put its toctree function into the context.
    app.connect("html-page-context", name_the_toggles, priority=900)
    app.connect("build-finished", translate_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
