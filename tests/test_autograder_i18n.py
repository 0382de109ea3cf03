"""Every message the autograder CLI shows is in the German catalogue (no stray, untranslated text),
and the catalogue has no message the code no longer uses."""
import argparse
import re
import time
from pathlib import Path

from babel.messages.extract import extract_from_dir, extract_python

from autograder.i18n import ARGPARSE, METAVAR, catalogue
from autograder.pages.texts import CONTEXT, STATUS_CONTEXT, TEXTS
from autograder.reasons import REASONS

AUTOGRADER = Path(__file__).resolve().parent.parent / "autograder"


def messages_in_code() -> set[str]:
    """Messages marked with _() or N_(), the reasons' templates and the pages' texts (with their context)."""
    found = extract_from_dir(str(AUTOGRADER), method_map=[("**.py", "python")], keywords={"_": None, "N_": None})
    pages = {f"{STATUS_CONTEXT if isinstance(value, dict) else CONTEXT}\x04{text}"
             for value in TEXTS.values() for text in (value.values() if isinstance(value, dict) else [value])}
    return {message for _, _, message, _, _ in found} | set(REASONS.values()) | pages | help_texts() | argparse_words()


def help_texts() -> set[str]:
    """The descriptions, help texts and placeholders (in the context "metavar") of the autograder's
    and the workshop's command lines."""
    from autograder.cli import build_parser
    from workshop.cli import build_parser as workshop_parser

    def texts(parser) -> set[str]:
        found = {parser.description}
        for action in parser._actions:
            found.add(action.help)
            metavars = action.metavar if isinstance(action.metavar, tuple) else [action.metavar]
            found |= {f"{METAVAR}\x04{metavar}" for metavar in metavars if metavar}
            if isinstance(action, argparse._SubParsersAction):
                found |= {choice.help for choice in action._choices_actions}
                for command in action.choices.values():
                    found |= texts(command)
        return found
    own = texts(build_parser()[0]) | texts(workshop_parser())
    return own - {None, argparse.SUPPRESS} - {message.split("\x04")[-1] for message in argparse_words()}


def argparse_words() -> set[str]:
    """What this Python's argparse marks for gettext (both forms of a plural), in the context "argparse"."""
    with open(argparse.__file__, "rb") as file:
        found = extract_python(file, {"_": None, "ngettext": (1, 2)}, [], {})
        messages = [message for _, _, message, _ in found if message]
    return {f"{ARGPARSE}\x04{form}" for message in messages for form in (message if isinstance(message, tuple) else [message])
            if form}


def test_every_message_has_a_german_translation_and_none_is_left_over():
    in_code, german = messages_in_code(), catalogue("de")
    assert in_code, "the extraction found no messages"
    assert sorted(in_code - set(german)) == []
    assert sorted(set(german) - in_code) == []
    for message, translation in german.items():
        assert placeholders(message) == placeholders(translation), f"{message!r} / {translation!r}"


def placeholders(text: str) -> list[str]:
    """{name} of ours, %(name)s and %s of argparse's."""
    return sorted(re.findall(r"\{\w*\}|%\(\w+\)[sdr]|%[sdr]", text))


def test_the_progress_bar_names_submissions_running_long_in_the_course_language():
    from autograder.commands.grade import LONG, RunningLong
    from autograder.i18n import translator

    now = time.monotonic()
    column = RunningLong({"cem-yilmaz": now - LONG - 12, "ben-bauer": now - 2}, translator("de")("still running"))
    assert column.render(None).plain == f"läuft noch: cem-yilmaz ({LONG + 12} s)"
    assert RunningLong({}, "still running").render(None).plain == ""
