"""The machine-readable record of grading runs, for `report`, `feedback` and `export`:
<course>/autograder/<assignment>/run.json =
  {"assignment": ..., "students": {ID: {"status": "graded"|"failed"|"timeout", "reason": str|null,
                                        "flags": [str, ...], "seconds": float, "warnings": [str, ...],
                                        "fresh_data_seed": int (only when graded with --fresh-data)}},
   "kernels": how the last run started its kernels (forked from templates, or from scratch and why)}
Runs over some students (--student) update their entries and keep the others'."""
import json
from pathlib import Path

from autograder.cli import UserError
from autograder.course.files import write_atomically
from autograder.i18n import N_


def path(course_root: Path, assignment: str) -> Path:
    return course_root / "autograder" / assignment / "run.json"


def load(course_root: Path, assignment: str) -> dict:
    try:
        return json.loads(path(course_root, assignment).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"assignment": assignment, "students": {}}


def merge(course_root: Path, assignment: str, entries: dict[str, dict]) -> None:
    """Adds these students' entries; written to a temporary file and renamed, so it is never half-written."""
    record = load(course_root, assignment)
    record["assignment"] = assignment
    record.setdefault("students", {}).update(entries)
    write_atomically(path(course_root, assignment), json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False))


def note_kernels(course_root: Path, assignment: str, how: str) -> None:
    record = load(course_root, assignment)
    record["kernels"] = how
    write_atomically(path(course_root, assignment), json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False))


def students(course_root: Path, assignment: str) -> dict:
    """The students part of `autograder grade`'s run.json, or {} when grading was done otherwise."""
    target = path(course_root, assignment)
    try:
        record = json.loads(target.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        raise UserError(N_("{path} cannot be read ({error}); grade the assignment again"), path=target,
                        error=error) from error
    entries = record.get("students") if isinstance(record, dict) else None
    return entries if isinstance(entries, dict) else {}
