"""The machine-readable record of grading runs, for `report` and `feedback`:
<course>/autograder/<assignment>/run.json =
  {"assignment": ..., "students": {ID: {"status": "graded"|"failed"|"timeout", "reason": str|null,
                                        "flags": [str, ...], "seconds": float, "warnings": [str, ...]}}}
Runs over some students (--student) update their entries and keep the others'."""
import json
import os
import tempfile
from pathlib import Path


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
    target = path(course_root, assignment)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".run-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(record, handle, indent=1, sort_keys=True, ensure_ascii=False)
    os.chmod(temporary, 0o644)
    os.replace(temporary, target)
