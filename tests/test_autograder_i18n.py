"""Every message the autograder CLI shows is in the German catalogue (no stray, untranslated text),
and the catalogue has no message the code no longer uses."""
import re
import time
from pathlib import Path

from babel.messages.extract import extract_from_dir

from autograder.i18n import catalogue
from autograder.pages.texts import CONTEXT, STATUS_CONTEXT, TEXTS
from autograder.reasons import REASONS

AUTOGRADER = Path(__file__).resolve().parent.parent / "autograder"


def messages_in_code() -> set[str]:
    """Messages marked with _() or N_(), the reasons' templates and the pages' texts (with their context)."""
    found = extract_from_dir(str(AUTOGRADER), method_map=[("**.py", "python")], keywords={"_": None, "N_": None})
    pages = {f"{STATUS_CONTEXT if isinstance(value, dict) else CONTEXT}\x04{text}"
             for value in TEXTS.values() for text in (value.values() if isinstance(value, dict) else [value])}
    return {message for _, _, message, _, _ in found} | set(REASONS.values()) | pages


def test_every_message_has_a_german_translation_and_none_is_left_over():
    in_code, german = messages_in_code(), catalogue("de")
    assert in_code, "the extraction found no messages"
    assert sorted(in_code - set(german)) == []
    assert sorted(set(german) - in_code) == []
    for message, translation in german.items():
        assert placeholders(message) == placeholders(translation), f"{message!r} / {translation!r}"


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w*)\}", text))


def test_the_progress_bar_names_submissions_running_long_in_the_course_language():
    from autograder.commands.grade import LONG, RunningLong
    from autograder.i18n import translator

    now = time.monotonic()
    column = RunningLong({"cem-yilmaz": now - LONG - 12, "ben-bauer": now - 2}, translator("de")("still running"))
    assert column.render(None).plain == f"läuft noch: cem-yilmaz ({LONG + 12} s)"
    assert RunningLong({}, "still running").render(None).plain == ""
