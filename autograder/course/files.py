"""Writing files so that a reader never sees half of one."""
import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, text: str) -> None:
    """Readers (a browser, nbgrader's release_feedback) never see a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        # mkstemp makes the file private; feedback is copied on to learners with its mode.
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
