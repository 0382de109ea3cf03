"""The trainer's words in the course's language: the CLI's messages are English message ids in the
code, translated from gettext catalogues in autograder/locale/<lang>/LC_MESSAGES/autograder.po,
read with Babel (no compile step, so a change to a .po file shows at once).

Command-line help and argparse's errors come before any course is known: they follow the user's
locale instead, as gettext reads it (LANGUAGE, LC_ALL, LC_MESSAGES, LANG). The help texts are
their own message ids, the placeholders for values (FILE) are in the context "metavar", and
argparse's words ("usage: ", "the following arguments are required: %s") in the context "argparse"."""
import argparse
import os
from contextlib import contextmanager
from functools import cache, partial
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


ARGPARSE = "argparse"


def user_language() -> str:
    """The first language of the user's locale that has a catalogue (or English), read as gettext
    does: the first of LANGUAGE, LC_ALL, LC_MESSAGES and LANG that is set; LANGUAGE may list several."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        if value := os.environ.get(variable):
            for locale in value.split(":"):
                lang = locale.split(".")[0].split("@")[0].split("_")[0].lower()
                if lang in ("c", "posix", "en"):
                    return "en"
                if catalogue(lang):
                    return lang
            return "en"
    return "en"


class TranslatedHelp(argparse.HelpFormatter):
    """Descriptions and help texts (with their %(default)s) in the given language."""

    def __init__(self, prog, lang: str = "en", **kwargs):
        super().__init__(prog, **kwargs)
        self.messages = catalogue(lang)

    def _get_help_string(self, action):
        return self.messages.get(action.help) or action.help

    def add_text(self, text):
        super().add_text(self.messages.get(text) or text if text and text is not argparse.SUPPRESS else text)


def help_formatter(lang: str):
    return partial(TranslatedHelp, lang=lang)


METAVAR = "metavar"


def translate_metavars(parser: argparse.ArgumentParser, lang: str) -> argparse.ArgumentParser:
    """The placeholders for values (FILE, assignment), in help, usage and errors alike, in `lang`:
    each argument gets the one argparse would show, from the catalogue's context "metavar"."""
    messages = catalogue(lang)

    def word(name: str) -> str:
        return messages.get(f"{METAVAR}\x04{name}") or name

    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in action.choices.values():
                translate_metavars(command, lang)
        if isinstance(action.metavar, tuple):
            action.metavar = tuple(map(word, action.metavar))
        elif action.metavar is not None:
            action.metavar = word(action.metavar)
        elif action.choices is None and action.nargs != 0:
            action.metavar = word(action.dest.upper() if action.option_strings else action.dest)
    return parser


@contextmanager
def argparse_in(lang: str):
    """argparse's own words in `lang` while parsers are built and arguments parsed. argparse takes
    them from gettext.gettext, bound at its import; gettext would look for a compiled catalogue of
    the global domain, and Python ships none in German: so, for this while, from ours."""
    messages = catalogue(lang)

    def words(message: str) -> str:
        return messages.get(f"{ARGPARSE}\x04{message}") or message

    def plural_words(singular: str, plural: str, n: int) -> str:
        # German counts like English (one, other): each form is its own message.
        return words(singular if n == 1 else plural)

    before = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = words, plural_words
    try:
        yield
    finally:
        argparse._, argparse.ngettext = before
