"""Sphinx extension: accessibility fixes for sphinx-book-theme that its options cannot make.

- The navigation's expand/collapse toggles (<summary> holding only an icon) get a name.
Loaded through _config.yml (sphinx.extra_extensions).
"""

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


def setup(app):
    # After the theme (priority 500) has put its toctree function into the context.
    app.connect("html-page-context", name_the_toggles, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
