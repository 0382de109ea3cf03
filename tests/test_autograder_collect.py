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
OTHER = "02-other"
WHEN = (2026, 3, 1, 23, 30, 0)
IDS = {ASSIGNMENT: ["setup", "a1", "a1_tests", "a2", "a2_tests", "reflection"],
       OTHER: ["setup", "b1", "b1_tests", "b2_tests", "reflection"]}


def notebook_bytes(answer: str = "antwort = 42", assignment: str = ASSIGNMENT) -> bytes:
    """A notebook with the assignment's nbgrader cells, as learners download it."""
    cells = [new_code_cell(answer if grade_id == "a1" else "", metadata={"nbgrader": {
        "grade_id": grade_id, "grade": grade_id.endswith("_tests"), "solution": not grade_id.endswith("_tests"),
        "locked": grade_id.endswith("_tests"), "schema_version": 3}}) for grade_id in IDS[assignment]]
    return nbformat.writes(new_notebook(cells=cells)).encode()


@pytest.fixture
def course(tmp_path):
    root = tmp_path / "kurs"
    (root / "nbgrader_config.py").parent.mkdir()
    (root / "nbgrader_config.py").write_text('c.CourseDirectory.course_id = "verein-de"\n')
    for name in IDS:
        (root / "release" / name).mkdir(parents=True)
        (root / "release" / name / f"{name}.ipynb").write_bytes(notebook_bytes("# DEINE LÖSUNG HIER", name))
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


def collect(course, zip_path, *extra, assignment=ASSIGNMENT) -> int:
    return autograder(["collect", assignment, "--zip", str(zip_path), "--course", str(course), *extra])


def submitted(course) -> dict:
    folder = course / "submitted"
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_moodle_download_with_folders_files_and_inner_zips(course, tmp_path, capsys):
    zip_path = make_zip(tmp_path / "moodle.zip", {
        "Jörg Müller_123456_assignsubmission_file_/01-test.ipynb": notebook_bytes(),
        "Anna Schmidt_234567_assignsubmission_file_/Übung 1 (1).ipynb": notebook_bytes(),
        "Anna Schmidt_234567_assignsubmission_file_/notizen.csv": b"a,b\n1,2\n",
        "Anna Schmidt_234567_assignsubmission_file_/timestamp.txt": b"2000-01-01 00:00:00",
        "Bo Li_345678_assignsubmission_file_01-test.ipynb": notebook_bytes(),
        "Bo Li_345678_assignsubmission_onlinetext_onlinetext.html": b"<p>hi</p>",
        "Carla Díaz_456789_assignsubmission_file_abgabe.zip":
            zip_bytes({"abgabe/01-test.ipynb": notebook_bytes(), "abgabe/bild.png": b"\x89PNG"}),
        "__MACOSX/._junk": b"",
    })
    assert collect(course, zip_path) == 0
    files = submitted(course)
    for student in ("joerg-mueller", "anna-schmidt", "bo-li", "carla-diaz"):
        assert f"{student}/{ASSIGNMENT}/01-test.ipynb" in files
        stamp = files[f"{student}/{ASSIGNMENT}/timestamp.txt"].decode().strip()
        # The zip's time, read by nbgrader as the same moment in local time.
        assert parse_utc(stamp) == parse_utc(datetime(*WHEN).astimezone().isoformat(" "))
    assert f"anna-schmidt/{ASSIGNMENT}/notizen.csv" in files
    assert f"carla-diaz/{ASSIGNMENT}/bild.png" in files
    assert not any("onlinetext" in name or "__MACOSX" in name for name in files)
    output = capsys.readouterr().out
    assert "Übung 1 (1).ipynb in 01-test.ipynb umbenannt" in output and "Moodle-Inhalt onlinetext" in output
    with open(course / "autograder" / ASSIGNMENT / "collect.csv", newline="") as file:
        mapping = {row["student_id"]: row for row in csv.DictReader(file)}
    assert mapping["joerg-mueller"]["full_name"] == "Jörg Müller"
    assert mapping["joerg-mueller"]["moodle_participant_id"] == "123456"


def test_one_folder_per_student_inside_a_wrapping_folder(course, tmp_path):
    zip_path = make_zip(tmp_path / "folders.zip", {
        "abgaben/alice/01-test.ipynb": notebook_bytes(),
        f"abgaben/bob/{ASSIGNMENT}/01-test.ipynb": notebook_bytes(),
        "abgaben/Chris Doe/01-test.ipynb": notebook_bytes(),
    })
    assert collect(course, zip_path) == 0
    assert {name.split("/")[0] for name in submitted(course)} == {"alice", "bob", "chris-doe"}
    assert f"bob/{ASSIGNMENT}/01-test.ipynb" in submitted(course)


def test_a_newer_upload_replaces_only_that_students_older_one(course, tmp_path, capsys):
    first = make_zip(tmp_path / "first.zip", {"alice/01-test.ipynb": notebook_bytes("antwort = 1"),
                                              "bob/01-test.ipynb": notebook_bytes("antwort = 'bob'")})
    later = (2026, 3, 2, 9, 0, 0)
    second = make_zip(tmp_path / "second.zip", {"alice/01-test.ipynb": notebook_bytes("antwort = 2")}, when=later)
    assert collect(course, first) == 0
    alice = course / "submitted" / "alice" / ASSIGNMENT / "01-test.ipynb"
    bob = course / "submitted" / "bob" / ASSIGNMENT / "01-test.ipynb"
    assert collect(course, second) == 0
    assert b"antwort = 2" in alice.read_bytes() and b"antwort = 'bob'" in bob.read_bytes()
    assert "ersetzt die Abgabe vom 2026-03-01 23:30" in capsys.readouterr().out
    # The older download again: nothing goes back, unless asked for.
    assert collect(course, first) == 0
    assert b"antwort = 2" in alice.read_bytes()
    assert "mit --force trotzdem ersetzen): alice, bob" in capsys.readouterr().out
    assert collect(course, first, "--force") == 0
    assert b"antwort = 1" in alice.read_bytes()
    assert not [p for p in (course / "submitted").iterdir() if p.name.startswith(".")], "no scratch left behind"
    with open(course / "autograder" / ASSIGNMENT / "collect.csv", newline="") as file:
        assert [row["student_id"] for row in csv.DictReader(file)] == ["alice", "bob"]


def test_uploads_with_wrong_or_broken_notebooks_are_skipped_and_named(course, tmp_path, capsys):
    zip_path = make_zip(tmp_path / "mixed.zip", {
        "alice/01-test.ipynb": notebook_bytes(),
        "bob/foo.ipynb": notebook_bytes(), "bob/bar.ipynb": notebook_bytes(),
        "carol/01-test.ipynb": b"this is not json",
        "dave/readme.txt": b"forgot the notebook",
        "erin/02-other.ipynb": notebook_bytes(assignment=OTHER),
        "frank/01-test.ipynb": nbformat.writes(new_notebook(cells=[new_code_cell("antwort = 42")])).encode(),
    })
    assert collect(course, zip_path) == 1
    assert {name.split("/")[0] for name in submitted(course)} == {"alice"}
    output = capsys.readouterr().out
    assert "bob (bob): mehrere Notebooks in der Abgabe sind 01-test.ipynb" in output
    assert "carol (carol): 01-test.ipynb ist kein gültiges Notebook" in output
    assert "dave (dave): kein Notebook" in output
    assert "erin (erin): 02-other.ipynb ist das Notebook von 02-other, nicht von 01-test" in output
    assert "frank (frank): 01-test.ipynb hat keine der Zellen von 01-test" in output


def test_a_zip_of_another_assignment_is_refused_by_name(course, tmp_path, capsys):
    zip_path = make_zip(tmp_path / "moodle.zip", {
        f"Jörg Müller_1_assignsubmission_file_{OTHER}.ipynb": notebook_bytes(assignment=OTHER),
        f"Anna Schmidt_2_assignsubmission_file_{OTHER}.ipynb": notebook_bytes(assignment=OTHER),
    })
    assert collect(course, zip_path) == 2
    assert "02-other.ipynb ist das Notebook von 02-other, nicht von 01-test" in capsys.readouterr().err
    assert not submitted(course)
    assert collect(course, zip_path, assignment=OTHER) == 0
    assert set(submitted(course)) >= {f"joerg-mueller/{OTHER}/{OTHER}.ipynb", f"anna-schmidt/{OTHER}/{OTHER}.ipynb"}


NAMES = {  # full name -> id
    "Jörg Müller": "joerg-mueller", "Олена Коваленко": "olena-kovalenko", "Yılmaz Şahin": "yilmaz-sahin",
    "İsmail Çelik": "ismail-celik", "محمد العلي": "mhmd-l-ly", "Nguyễn Văn An": "nguyen-van-an",
    "Chloé O'Brien": "chloe-o-brien",
}


def moodle_zip(path, people: dict, when=WHEN, assignment=ASSIGNMENT):
    """people: full name -> participant number."""
    return make_zip(path, {f"{name}_{number}_assignsubmission_file_{assignment}.ipynb": notebook_bytes(assignment=assignment)
                           for name, number in people.items()}, when=when)


def test_every_script_gets_an_id_and_one_person_keeps_it_across_assignments(course, tmp_path):
    people = {name: 100 + i for i, name in enumerate([*NAMES, "Joerg Mueller", "---", "李小龙"])}
    assert collect(course, moodle_zip(tmp_path / "a.zip", people)) == 0
    first = {row["full_name"]: row["student_id"] for row in mapping(course, ASSIGNMENT)}
    for name, student in NAMES.items():
        assert first[name] == student
    # A different person whose name gives the same id gets another one; a name with no letters a hash.
    assert first["Joerg Mueller"] == "joerg-mueller-2"
    assert first["---"].startswith("student-") and len(first["---"]) == len("student-") + 8
    assert first["李小龙"] == "lixiaolong"
    assert len(set(first.values())) == len(people)
    # The next assignment: new Moodle numbers, another order; everyone keeps their id.
    again = {name: 900 - i for i, name in enumerate(reversed(list(people)))}
    assert collect(course, moodle_zip(tmp_path / "b.zip", again, assignment=OTHER), assignment=OTHER) == 0
    assert {row["full_name"]: row["student_id"] for row in mapping(course, OTHER)} == first


def test_two_people_with_the_same_name_in_one_download_both_stay(course, tmp_path, capsys):
    zip_path = make_zip(tmp_path / "moodle.zip", {
        "Anna Schmidt_11_assignsubmission_file_01-test.ipynb": notebook_bytes("antwort = 'erste'"),
        "Anna Schmidt_12_assignsubmission_file_01-test.ipynb": notebook_bytes("antwort = 'zweite'"),
    })
    assert collect(course, zip_path) == 0
    files = submitted(course)
    answers = {files[f"{s}/{ASSIGNMENT}/01-test.ipynb"] for s in ("anna-schmidt", "anna-schmidt-2")}
    assert len(answers) == 2
    output = capsys.readouterr().out
    assert output.count("zwei Abgaben im Download haben diesen Namen") == 2
    assert "anna-schmidt ist schon die Kennung einer anderen Person, deshalb ist diese anna-schmidt-2" in output


def test_similar_folder_names_never_lose_an_upload(course, tmp_path, capsys):
    zip_path = make_zip(tmp_path / "folders.zip", {
        f"{folder}/01-test.ipynb": notebook_bytes(f"antwort = {folder!r}")
        for folder in ("Alice Smith", "alice-smith", "alice-smith-2", "ALICE SMITH")})
    assert collect(course, zip_path) == 0
    files = submitted(course)
    notebooks = [files[name] for name in files if name.endswith(".ipynb")]
    assert len(notebooks) == 4 and len(set(notebooks)) == 4
    assert {"alice-smith", "alice-smith-2"} <= {name.split("/")[0] for name in files}
    assert capsys.readouterr().out.count("ist schon die Kennung einer anderen Person") == 2


def test_one_broken_inner_zip_is_set_aside_and_the_others_are_collected(course, tmp_path, capsys):
    clash = zip_bytes({"abgabe": b"a file", "abgabe/01-test.ipynb": notebook_bytes()})
    zip_path = make_zip(tmp_path / "moodle.zip", {
        "Anna Schmidt_1_assignsubmission_file_abgabe.zip": zip_bytes({"01-test.ipynb": notebook_bytes()}),
        "Eve Clash_2_assignsubmission_file_abgabe.zip": clash,
        "Fay Broken_3_assignsubmission_file_abgabe.zip": b"PK not really a zip",
        "Zoe Zahn_4_assignsubmission_file_01-test.ipynb": notebook_bytes(),
    })
    assert collect(course, zip_path) == 1
    assert {name.split("/")[0] for name in submitted(course)} == {"anna-schmidt", "zoe-zahn"}
    output = capsys.readouterr().out
    assert "eve-clash (Eve Clash_2): die Abgabe hat eine Datei und einen Ordner, die beide abgabe heißen" in output
    assert "fay-broken (Fay Broken_3): das Zip in der Abgabe ist nicht verwendbar" in output


def mapping(course, assignment) -> list[dict]:
    with open(course / "autograder" / assignment / "collect.csv", newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


HOSTILE = {
    "zip slip": ({"alice/01-test.ipynb": notebook_bytes(), "alice/../../../evil.ipynb": b"x"}, "zeigt aus seinem Ordner hinaus"),
    "absoluten Pfad": ({"/tmp/evil.ipynb": b"x"}, "absoluten Pfad"),
    "windows path": ({"alice\\..\\..\\evil.ipynb": b"x"}, "zeigt aus seinem Ordner hinaus"),
    "drive letter": ({"C:/evil.ipynb": b"x"}, "absoluten Pfad"),
    "symlink": ({"alice/01-test.ipynb": (b"/etc/passwd", stat.S_IFLNK | 0o777)}, "symbolischer Link"),
    "bomb": ({"alice/01-test.ipynb": b"\0" * (3 * 2**20)}, "größer als 1 MB"),
    "bomb inside an upload": ({"Eve Evil_1_assignsubmission_file_a.zip": zip_bytes({"x.ipynb": b"\0" * (3 * 2**20)})},
                              "größer als 1 MB"),
    "slip inside an upload": ({"Eve Evil_1_assignsubmission_file_a.zip": zip_bytes({"../../x.ipynb": b"x"})},
                              "zeigt aus seinem Ordner hinaus"),
    "empty": ({}, "enthält keine Dateien"),
    "no notebooks": ({"alice/readme.txt": b"x"}, "keine verwendbare Abgabe"),
    "files outside student folders": ({"01-test.ipynb": notebook_bytes(), "alice/01-test.ipynb": notebook_bytes()},
                                      "weder im Ordner einer Person"),
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
    assert "keine lesbare ZIP-Datei" in capsys.readouterr().err
    good = make_zip(tmp_path / "good.zip", {"alice/01-test.ipynb": notebook_bytes()})
    assert autograder(["collect", "99-nope", "--zip", str(good), "--course", str(course)]) == 2
    assert "keine Notebooks in release/" in capsys.readouterr().err
