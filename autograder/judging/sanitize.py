"""Makes what student code displayed safe to open in a trainer's browser: formgrader renders the
notebooks in autograded/ as they are, so a submission's HTML, SVG or JavaScript output (or raw HTML
in a written answer) would run with the trainer's session. Outputs keep only data kinds that
cannot carry script, and their HTML passes an allowlist (bleach): tables, text formatting, images
as data. Written answers (markdown) keep their text; only HTML tags outside the allowlist go."""
import bleach
from bleach.css_sanitizer import CSSSanitizer

# pandas' tables, text formatting, and images given as data; nothing that can run or load code.
TAGS = {"a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details", "div",
        "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol", "p", "pre",
        "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
        "thead", "tr", "u", "ul", "var"}
ATTRIBUTES = {"*": ["class", "title", "style"], "a": ["href"], "img": ["src", "alt", "width", "height"],
              "td": ["colspan", "rowspan"], "th": ["colspan", "rowspan"], "table": ["border"], "ol": ["start"]}
# Links only to the web or mail; images only as data (a URL would load from outside).
PROTOCOLS = {"http", "https", "mailto", "data"}
SAFE_DATA = {"text/plain", "image/png", "image/jpeg", "image/gif", "text/latex"}
CLEANED_DATA = {"text/html", "text/markdown"}
CSS = CSSSanitizer(allowed_css_properties=["text-align", "font-weight", "font-style", "color", "background-color",
                                           "border", "padding", "margin", "width", "vertical-align"])


def clean_html(html: str) -> str:
    cleaner = bleach.Cleaner(tags=TAGS, attributes=_attribute_allowed, protocols=PROTOCOLS, strip=True,
                             strip_comments=True, css_sanitizer=CSS)
    return cleaner.clean(html)


def _attribute_allowed(tag: str, name: str, value: str) -> bool:
    if tag == "a" and name == "href":
        return not value.lower().startswith("data:")
    if tag == "img" and name == "src":
        return value.lower().startswith("data:image/") and not value.lower().startswith("data:image/svg")
    return name in ATTRIBUTES.get("*", []) or name in ATTRIBUTES.get(tag, [])


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def clean_output(output) -> None:
    data = output.get("data")
    if not isinstance(data, dict):
        return
    for mime in list(data):
        if mime in CLEANED_DATA:
            data[mime] = clean_html(_text(data[mime]))
        elif mime not in SAFE_DATA:
            del data[mime]
    if not data:
        data["text/plain"] = "[autograder: output removed, it could run code in a browser]"


def clean_notebook(nb, trusted_sources: set[str]) -> None:
    """Cleans every output, and the markdown cells the trainer did not write, in place."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                clean_output(output)
        elif cell.cell_type == "markdown" and cell.source not in trusted_sources and "<" in cell.source:
            # Only text with a tag is touched: bleach escapes ">" too, which would break a quote in markdown.
            cell.source = clean_html(cell.source)
        for name in list(cell.get("attachments", {}) or {}):
            for mime in list(cell.attachments[name]):
                if mime not in SAFE_DATA:
                    del cell.attachments[name][mime]
