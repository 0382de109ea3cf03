"""`autograder collect` with real zips: Moodle's two naming forms, zips inside the download, one
folder per student; hostile zips (zip slip, absolute paths, symlinks, bombs) and malformed ones are
refused with a clear message and write nothing; nothing is replaced without --force."""
import csv
import io
import stat
import zipfile
from datetime import datetime

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from nbgrader.utils import parse_utc

from autograder.cli import main as autograder

ASSIGNMENT = "01-test"
WHEN = (2026, 3, 1, 23, 30, 0)


def notebook_bytes(answer: str = "antwort = 42") -> bytes:
    return nbformat.writes(new_notebook(cells=[new_code_cell(answer)])).encode()


@pytest.fixture
def course(tmp_path):
    root = tmp_path / "kurs"
    (root / "release" / ASSIGNMENT).mkdir(parents=True)
    (root / "nbgrader_config.py").write_text('c.CourseDirectory.course_id = "verein-de"\n')
    (root / "release" / ASSIGNMENT / "exercise.ipynb").write_bytes(notebook_bytes("# DEINE LÖSUNG HIER"))
    return root


def make_zip(path, entries: dict, when=WHEN):
    """entries: name -> bytes (or a ZipInfo-ready tuple (bytes, mode) for special entries)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            if isinstance(data, tuple):
                data, mode = data
                info.external_attr = mode << 16
            archive.writestr(info, data)
    return path


def zip_bytes(entries: dict) -> bytes:
    buffer = io.BytesIO()
    make_zip(buffer, entries)
    return buffer.getvalue()


def collect(course, zip_path, *extra) -> int:
    return autograder(["collect", ASSIGNMENT, "--zip", str(zip_path), "--course", str(course), *extra])


def submitted(course) -> dict:
    folder = course / "submitted"
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_moodle_download_with_folders_files_and_inner_zips(course, tmp_path, capsys):
    zip_path = make_zip(tmp_path / "moodle.zip", {
        "Jörg Müller_123456_assignsubmission_file_/exercise.ipynb": notebook_bytes(),
        "Anna Schmidt_234567_assignsubmission_file_/Übung 1 (1).ipynb": notebook_bytes(),
        "Anna Schmidt_234567_assignsubmission_file_/notizen.csv": b"a,b\n1,2\n",
        "Anna Schmidt_234567_assignsubmission_file_/timestamp.txt": b"2000-01-01 00:00:00",
        "Bo Li_345678_assignsubmission_file_exercise.ipynb": notebook_bytes(),
        "Bo Li_345678_assignsubmission_onlinetext_onlinetext.html": b"<p>hi</p>",
        "Carla Díaz_456789_assignsubmission_file_abgabe.zip":
            zip_bytes({"abgabe/exercise.ipynb": notebook_bytes(), "abgabe/bild.png": b"\x89PNG"}),
        "__MACOSX/._junk": b"",
    })
    assert collect(course, zip_path) == 0
    files = submitted(course)
    for student in ("joerg-mueller", "anna-schmidt", "bo-li", "carla-diaz"):
        assert f"{student}/{ASSIGNMENT}/exercise.ipynb" in files
        stamp = files[f"{student}/{ASSIGNMENT}/timestamp.txt"].decode().strip()
        # The zip's time, read by nbgrader as the same moment in local time.
        assert parse_utc(stamp) == parse_utc(datetime(*WHEN).astimezone().isoformat(" "))
    assert f"anna-schmidt/{ASSIGNMENT}/notizen.csv" in files
    assert f"carla-diaz/{ASSIGNMENT}/bild.png" in files
    assert not any("onlinetext" in name or "__MACOSX" in name for name in files)
    output = capsys.readouterr().out
    assert "renamed Übung 1 (1).ipynb to exercise.ipynb" in output and "ignored Moodle onlinetext" in output
    with open(course / "autograder" / ASSIGNMENT / "collect.csv", newline="") as file:
        mapping = {row["student_id"]: row for row in csv.DictReader(file)}
    assert mapping["joerg-mueller"]["full_name"] == "Jörg Müller"
    assert mapping["joerg-mueller"]["moodle_participant_id"] == "123456"


def test_one_folder_per_student_inside_a_wrapping_folder(course, tmp_path):
    zip_path = make_zip(tmp_path / "folders.zip", {
        "abgaben/alice/exercise.ipynb": notebook_bytes(),
        f"abgaben/bob/{ASSIGNMENT}/exercise.ipynb": notebook_bytes(),
        "abgaben/Chris Doe/exercise.ipynb": notebook_bytes(),
    })
    assert collect(course, zip_path) == 0
    assert {name.split("/")[0] for name in submitted(course)} == {"alice", "bob", "chris-doe"}
    assert f"bob/{ASSIGNMENT}/exercise.ipynb" in submitted(course)


def test_nothing_is_replaced_without_force(course, tmp_path, capsys):
    first = make_zip(tmp_path / "first.zip", {"alice/exercise.ipynb": notebook_bytes("antwort = 1")})
    second = make_zip(tmp_path / "second.zip", {"alice/exercise.ipynb": notebook_bytes("antwort = 2"),
                                                "bob/exercise.ipynb": notebook_bytes()})
    assert collect(course, first) == 0
    notebook = course / "submitted" / "alice" / ASSIGNMENT / "exercise.ipynb"
    assert collect(course, second) == 0
    assert b"antwort = 1" in notebook.read_bytes()
    assert (course / "submitted" / "bob" / ASSIGNMENT / "exercise.ipynb").is_file()
    assert "use --force to replace" in capsys.readouterr().out
    assert collect(course, second, "--force") == 0
    assert b"antwort = 2" in notebook.read_bytes()
    assert not [p for p in (course / "submitted").iterdir() if p.name.startswith(".")], "no scratch left behind"


def test_uploads_with_wrong_or_broken_notebooks_are_skipped_and_named(course, tmp_path, capsys):
    zip_path = make_zip(tmp_path / "mixed.zip", {
        "alice/exercise.ipynb": notebook_bytes(),
        "bob/foo.ipynb": notebook_bytes(), "bob/bar.ipynb": notebook_bytes(),
        "carol/exercise.ipynb": b"this is not json",
        "dave/readme.txt": b"forgot the notebook",
    })
    assert collect(course, zip_path) == 1
    assert {name.split("/")[0] for name in submitted(course)} == {"alice"}
    output = capsys.readouterr().out
    assert "bar.ipynb, foo.ipynb do not belong" in output
    assert "carol" in output and "not a valid notebook" in output
    assert "dave" in output and "no notebook" in output


HOSTILE = {
    "zip slip": ({"alice/exercise.ipynb": notebook_bytes(), "alice/../../../evil.ipynb": b"x"}, "outside its folder"),
    "absolute path": ({"/tmp/evil.ipynb": b"x"}, "absolute path"),
    "windows path": ({"alice\\..\\..\\evil.ipynb": b"x"}, "outside its folder"),
    "drive letter": ({"C:/evil.ipynb": b"x"}, "absolute path"),
    "symlink": ({"alice/exercise.ipynb": (b"/etc/passwd", stat.S_IFLNK | 0o777)}, "symbolic link"),
    "bomb": ({"alice/exercise.ipynb": b"\0" * (3 * 2**20)}, "more than 1 MB"),
    "bomb inside an upload": ({"Eve Evil_1_assignsubmission_file_a.zip": zip_bytes({"x.ipynb": b"\0" * (3 * 2**20)})},
                              "more than 1 MB"),
    "slip inside an upload": ({"Eve Evil_1_assignsubmission_file_a.zip": zip_bytes({"../../x.ipynb": b"x"})},
                              "outside its folder"),
    "empty": ({}, "contains no files"),
    "no notebooks": ({"alice/readme.txt": b"x"}, "no usable submission"),
    "files outside student folders": ({"exercise.ipynb": notebook_bytes(), "alice/exercise.ipynb": notebook_bytes()},
                                      "neither in a student's folder"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_and_malformed_zips_are_refused_and_write_nothing(name, course, tmp_path, capsys):
    entries, message = HOSTILE[name]
    zip_path = make_zip(tmp_path / "upload.zip", entries)
    before = sorted(p for p in tmp_path.rglob("*") if p.name != "upload.zip")
    assert collect(course, zip_path, "--max-mb", "1") == 2
    assert message in capsys.readouterr().err
    assert sorted(p for p in tmp_path.rglob("*") if p.name != "upload.zip") == before
    assert not submitted(course)


def test_not_a_zip_and_unknown_assignment(course, tmp_path, capsys):
    fake = tmp_path / "abgaben.zip"
    fake.write_text("not a zip")
    assert collect(course, fake) == 2
    assert "not a readable zip file" in capsys.readouterr().err
    good = make_zip(tmp_path / "good.zip", {"alice/exercise.ipynb": notebook_bytes()})
    assert autograder(["collect", "99-nope", "--zip", str(good), "--course", str(course)]) == 2
    assert "no notebooks in release/" in capsys.readouterr().err
