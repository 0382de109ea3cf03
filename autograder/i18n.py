"""The trainer's words in the course's language: the CLI's messages are English message ids in the
code, translated from gettext catalogues in autograder/locale/<lang>/LC_MESSAGES/autograder.po,
read with Babel (no compile step, so a change to a .po file shows at once)."""
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

LOCALE = Path(__file__).parent / "locale"
DOMAIN = "autograder"


@cache
def catalogue(lang: str) -> dict[str, str]:
    path = LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.is_file():
        return {}
    with path.open("rb") as file:
        # A message with a context is found as "context\x04id", as gettext's pgettext does.
        return {(f"{message.context}\x04" if message.context else "") + message.id: message.string
                for message in read_po(file) if message.id and message.string and not message.fuzzy}


def translator(lang: str):
    """_(message, **values): the message in `lang`, with {placeholders} filled in."""
    messages = catalogue(lang)

    def _(message: str, **values) -> str:
        values = {key: value.translated(lang) if hasattr(value, "translated") else value for key, value in values.items()}
        return (messages.get(message) or message).format(**values)
    return _


def N_(message: str) -> str:
    """Marks a message for the catalogue that is translated later, where the language is known."""
    return message
