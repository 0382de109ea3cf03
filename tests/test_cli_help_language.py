"""The command lines' help, usage and argument errors follow the user's locale (no course is known
yet): German for a German locale, with no English sentence left; English for LANG=C."""
import re
import subprocess
import sys

import pytest

from autograder.cli import COMMANDS, main as autograder
from autograder.i18n import user_language
from workshop.cli import main as workshop

LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
COMMAND_NAMES = [__import__(f"autograder.commands.{name}", fromlist=["NAME"]).NAME for name in COMMANDS]
HELPS = [(autograder, []), *[(autograder, [name]) for name in COMMAND_NAMES], (workshop, []), (workshop, ["serve"])]


@pytest.fixture
def locale(monkeypatch):
    def use(**variables):
        for name in LOCALE_VARIABLES:
            monkeypatch.delenv(name, raising=False)
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
    return use


def run(command, argv, capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_:
        command(argv)
    out, err = capsys.readouterr()
    return exit_.value.code, out, err


def word_triples(text: str) -> set[tuple[str, ...]]:
    """Three words in a row (letters only): a piece of a sentence, not an option or a name alone."""
    words = [token.strip(".,;:()„“\"'") for token in text.split()]
    return {tuple(words[i:i + 3]) for i in range(len(words) - 2)
            if all(re.fullmatch(r"[A-Za-z][a-z']*", word) for word in words[i:i + 3])}


@pytest.mark.parametrize("command, argv", HELPS, ids=[f"{c.__module__.split('.')[0]} {' '.join(a)}".strip() for c, a in HELPS])
def test_help_is_german_in_a_german_locale_and_english_otherwise(command, argv, locale, capsys):
    locale(LANG="C")
    code, english, _ = run(command, argv + ["--help"], capsys)
    assert code == 0 and english.startswith("usage: ") and "show this help message and exit" in english
    assert len(word_triples(english)) >= 5
    locale(LANG="de_DE.UTF-8")
    code, german, _ = run(command, argv + ["--help"], capsys)
    assert code == 0 and german.startswith("Aufruf: ") and "diese Hilfe zeigen und beenden" in german
    assert german != english
    left = word_triples(english) & word_triples(german)
    assert not left, f"English left in the German help: {sorted(left)}"
    assert "positional arguments" not in german and "options:" not in german


def test_argument_errors_are_german_in_a_german_locale(locale, capsys):
    locale(LANG="de_DE.UTF-8")
    code, _, err = run(autograder, ["grade"], capsys)
    assert code == 2 and "autograder grade: Fehler: diese Argumente fehlen: übung" in err
    _, _, err = run(autograder, ["grdae"], capsys)
    assert "autograder: Fehler: Argument BEFEHL: ungültige Auswahl: 'grdae'" in err
    _, _, err = run(autograder, ["return", "01-reading-data"], capsys)
    assert "eines dieser Argumente fehlt: --moodle-zip --folder" in err
    _, _, err = run(autograder, ["grade", "01-reading-data", "--workers", "viele"], capsys)
    assert "Argument --workers: ungültiger Wert für int: 'viele'" in err
    _, _, err = run(autograder, ["collect", "01-reading-data"], capsys)
    assert "Aufruf: autograder collect [-h] --zip DATEI [--course KURS]" in err and "fehlen: --zip" in err
    _, _, err = run(workshop, ["serve", "--dir", "x", "--lang", "fr"], capsys)
    assert "workshop serve: Fehler: Argument --lang: ungültige Auswahl: 'fr' (möglich: 'de', 'en')" in err
    locale(LANG="C")
    _, _, err = run(autograder, ["grade"], capsys)
    assert "autograder grade: error: the following arguments are required: assignment" in err


def test_the_language_comes_from_the_locale_as_gettext_reads_it(locale):
    for variables, expected in [({}, "en"), ({"LANG": "de_DE.UTF-8"}, "de"), ({"LANG": "de_AT"}, "de"),
                                ({"LANG": "de_DE.UTF-8", "LC_ALL": "C"}, "en"), ({"LANG": "C", "LC_MESSAGES": "de_CH"}, "de"),
                                ({"LANGUAGE": "fr:de", "LANG": "en_GB.UTF-8"}, "de"), ({"LANGUAGE": "fr"}, "en"),
                                ({"LANG": "en_US.UTF-8"}, "en"), ({"LANG": "POSIX"}, "en")]:
        locale(**variables)
        assert user_language() == expected, variables


def test_the_installed_command_prints_german_help(tmp_path):
    """As a trainer calls it: a new process whose locale is German."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "de_DE.UTF-8"}
    done = subprocess.run([sys.executable, "-m", "autograder", "collect", "--help"], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.stdout.startswith("Aufruf: autograder collect"), done
    assert "das Zip, das du von der Lernplattform heruntergeladen hast" in done.stdout
