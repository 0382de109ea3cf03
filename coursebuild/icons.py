"""The theme's icon fonts (Font Awesome, 275 KB compressed) cut down to the icons the site shows.

Which icons: every `fa-NAME` class named in a page or a script of the built site, mapped to its
character through the theme's stylesheet; fontTools keeps only those glyphs."""
import re
from pathlib import Path

from fontTools import subset

ICON_CLASS = re.compile(r"\bfa-([a-z0-9-]+)")
RULE = re.compile(r'([^{}]+)\{content:"\\([0-9a-f]{4,5})"\}')


def icon_codepoints(stylesheet: str) -> dict[str, int]:
    codepoints = {}
    for selectors, code in RULE.findall(stylesheet):
        for name in re.findall(r"\.fa-([a-z0-9-]+):(?:before|after)", selectors):
            codepoints[name] = int(code, 16)
    return codepoints


def used_icon_names(html: Path) -> set[str]:
    names = set()
    for path in html.rglob("*"):
        if path.suffix in {".html", ".js"} and path.is_file():
            names |= set(ICON_CLASS.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return names


def original(font_path: Path) -> Path:
    """The theme's own copy: the site's copy may already be cut down by an earlier build."""
    import pydata_sphinx_theme

    found = list(Path(pydata_sphinx_theme.__file__).parent.rglob(f"fontawesome/webfonts/{font_path.name}"))
    return found[0] if found else font_path


def subset_icon_fonts(html: Path) -> None:
    stylesheets = list((html / "_static").rglob("pydata-sphinx-theme.css"))
    fonts = list((html / "_static").rglob("fontawesome/webfonts/*.woff2"))
    if not stylesheets or not fonts:
        return
    codepoints = icon_codepoints(stylesheets[0].read_text(encoding="utf-8"))
    wanted = sorted({codepoints[name] for name in used_icon_names(html) if name in codepoints})
    for font_path in fonts:
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = ["*"]
        font = subset.load_font(str(original(font_path)), options)
        available = font.getBestCmap()
        # A font without any of the icons still needs one character: browsers reject an empty cmap.
        keep = [code for code in wanted if code in available] or [min(available)]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=keep)
        subsetter.subset(font)
        subset.save_font(font, str(font_path), options)
