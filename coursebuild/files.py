"""Writing build outputs so that an unchanged input leaves the output untouched (Sphinx and the
execution cache key on modification times and content)."""
import io
import shutil
import zipfile
from pathlib import Path


def write_if_changed(path: Path, content: str | bytes) -> bool:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    if path.exists() and path.read_bytes() == data:
        return False
    path.write_bytes(data)
    return True


def copy_if_changed(src: Path, dest: Path) -> bool:
    return write_if_changed(dest, src.read_bytes())


def sync_contents(dest: Path, contents: dict[str, bytes | str]) -> None:
    """Make the folder dest hold exactly these files (relative path to content)."""
    for rel, data in contents.items():
        write_if_changed(dest / rel, data)
    if not dest.exists():
        return
    for path in sorted(dest.rglob("*"), reverse=True):
        rel = path.relative_to(dest).as_posix()
        if path.is_file() and rel not in contents:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    """A zip whose bytes depend only on its members (fixed dates), so rebuilds do not change it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, members[name])
    return buffer.getvalue()


def replace_tree(src: Path, dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(src, dest)
