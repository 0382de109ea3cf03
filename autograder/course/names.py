"""Student ids from people's names, the same for one person in every assignment of a course.

An id is the transliterated name ("Олена Коваленко" -> "olena-kovalenko", "Yılmaz" -> "yilmaz";
German umlauts the German way, "Jörg Müller" -> "joerg-mueller"), or a stable hash of the name where
nothing is left. The course remembers every name it has given an id in autograder/students.json,
so the same name gets the same id in each module, and a different name never gets an id that is
already someone else's (it gets -2, -3, ... instead).

Moodle's participant number is drawn anew for every assignment, so the name is the only key that
lasts: two different people with exactly the same name in one course are told apart only inside
one download (by their number), and collect says so."""
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass

from anyascii import anyascii

from autograder.course.files import write_atomically

# German names written without umlauts keep the German spelling; anyascii would drop the "e".
GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})
PLAIN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]*$")
REGISTRY = ("autograder", "students.json")


def slug(name: str) -> str:
    ascii_name = anyascii(unicodedata.normalize("NFC", name).translate(GERMAN))
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def hashed(name: str) -> str:
    return "student-" + hashlib.sha256(key(name).encode()).hexdigest()[:8]


def key(name: str) -> str:
    """What counts as the same name: case, Unicode form and spacing do not matter."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def split_name(full_name: str) -> tuple[str, str]:
    """(first, last) as the gradebook stores them; the last word is taken as the last name."""
    words = full_name.split()
    return (" ".join(words[:-1]), words[-1]) if words else ("", "")


@dataclass
class Person:
    key: str          # the name (or folder) as collect found it, normalised by key()
    wanted: str       # the id it would like
    full_name: str


class Registry:
    """name key -> {"id", "full_name"} for the whole course."""

    def __init__(self, path, entries: dict):
        self.path, self.entries = path, entries

    @classmethod
    def load(cls, course_root) -> "Registry":
        path = course_root.joinpath(*REGISTRY)
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            entries = {}
        except ValueError as error:
            from autograder.cli import UserError
            from autograder.i18n import N_
            raise UserError(N_("{path} cannot be read ({error}); restore it from a backup or remove it"), path=path,
                            error=error) from None
        return cls(path, entries if isinstance(entries, dict) else {})

    def save(self) -> None:
        write_atomically(self.path, json.dumps(self.entries, indent=1, sort_keys=True, ensure_ascii=False))

    def full_name(self, student_id: str) -> str | None:
        return next((e["full_name"] for e in self.entries.values() if e.get("id") == student_id), None)

    def assign(self, people: list[Person]) -> list[str]:
        """One id per person, in order: the one remembered for their key, else their wanted id if free,
        else wanted-2, -3, ..."""
        taken = {e["id"] for e in self.entries.values()}
        ids = []
        for person in people:
            known = self.entries.get(person.key)
            if known and known["id"] not in ids:
                ids.append(known["id"])
                continue
            base = person.wanted or "student"
            candidate, n = base, 1
            while candidate in taken or candidate in ids:
                n += 1
                candidate = f"{base}-{n}"
            self.entries[person.key] = {"id": candidate, "full_name": person.full_name}
            taken.add(candidate)
            ids.append(candidate)
        return ids


def person(full_name: str | None, folder: str, participant: str | None, same_name_twice: bool) -> Person:
    """What collect knows about an upload -> its key and wanted id. A plain folder name (`alice`) is
    kept as the id; a Moodle name is transliterated."""
    if full_name is None:
        wanted = folder if PLAIN_ID.match(folder) else (slug(folder) or hashed(folder))
        return Person(key="folder:" + key(folder), wanted=wanted, full_name=folder)
    name_key = key(full_name)
    if same_name_twice:
        name_key += f"#{participant}"
    return Person(key=name_key, wanted=slug(full_name) or hashed(full_name), full_name=full_name.strip())
