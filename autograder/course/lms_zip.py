"""Reads an LMS download into one set of files per student, trusting nothing in it.

Two layouts: Moodle's "download all submissions" (top-level entries named
`<Full Name>_<participant id>_assignsubmission_file_` as a folder, or with the file name appended),
and a zip with one folder per student. A student's upload may itself be a zip (unpacked once), and
a single folder around everything (or around one student's files) is taken off.

Student ids are names.py's. One student's broken upload (an inner zip that cannot be unpacked, a
file and a folder of the same name) is set aside with its reason; the others are read on.

Safety: every entry name is checked before anything is read (no absolute paths, drive letters,
`..`, backslash tricks, control characters, symlinks); the total size actually unpacked, inner
zips included, is capped; the number of entries is capped."""
import io
import re
import stat
import zipfile
from dataclasses import dataclass, field
from datetime import datetime

from autograder.cli import UserError
from autograder.i18n import N_

MOODLE = re.compile(r"^(?P<name>.+?)_(?P<participant>\d+)_assignsubmission_(?P<plugin>[a-z]+)_(?P<rest>.*)$")
JUNK = {"__MACOSX", ".DS_Store", "Thumbs.db", "desktop.ini", ".ipynb_checkpoints"}
# A student may not set their own submission time; collect writes it from the zip's file times.
IGNORED = {"timestamp.txt"}
MAX_ENTRIES = 20000
CHUNK = 1 << 20
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # what zip stores when a tool wrote no time


@dataclass
class Upload:
    """What one student handed in: relative path -> bytes, plus where it came from."""
    key: str                       # the folder or Moodle prefix in the zip
    full_name: str | None = None
    participant: str | None = None
    files: dict[tuple, bytes] = field(default_factory=dict)
    times: list[tuple] = field(default_factory=list)
    # Notes and the problem (why the upload cannot be used) are (message, values) for i18n's _().
    notes: list[tuple[str, dict]] = field(default_factory=list)
    problem: tuple[str, dict] | None = None

    def submitted_at(self) -> datetime | None:
        real = [t for t in self.times if t > ZIP_EPOCH]
        return datetime(*max(real)) if real else None


class Budget:
    """Counts the bytes really unpacked: a zip's declared sizes cannot be trusted."""

    def __init__(self, limit: int):
        self.limit, self.used = limit, 0

    def check(self, amount: int) -> None:
        if self.used + amount > self.limit:
            raise UserError(N_("the zip unpacks to more than {mb} MB; refusing it (a zip bomb?). If it is genuine, "
                               "raise --max-mb."), mb=self.limit // 2**20)

    def take(self, amount: int) -> None:
        self.check(amount)
        self.used += amount


def safe_parts(name: str, where: str) -> tuple:
    if any(ord(c) < 32 for c in name):
        raise UserError(N_("{where}: the entry {name} has control characters in its name; refusing the zip"),
                        where=where, name=repr(name))
    normal = name.replace("\\", "/")
    if normal.startswith("/") or re.match(r"^[A-Za-z]:", normal):
        raise UserError(N_("{where}: the entry {name} has an absolute path; refusing the zip"), where=where,
                        name=repr(name))
    parts = tuple(p for p in normal.split("/") if p not in ("", "."))
    if ".." in parts:
        raise UserError(N_("{where}: the entry {name} points outside its folder ('..'); refusing the zip"),
                        where=where, name=repr(name))
    return parts


def entries(data: bytes | None, path, budget: Budget, where: str):
    """(parts, bytes, date_time) of every regular file, after checking every name and size."""
    try:
        archive = zipfile.ZipFile(path if data is None else io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as error:
        raise UserError(N_("{where} is not a readable zip file ({error})"), where=where, error=error) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise UserError(N_("{where} has {count} entries, more than {limit}; refusing it"), where=where,
                            count=len(infos), limit=MAX_ENTRIES)
        checked = []
        for info in infos:
            parts = safe_parts(info.filename, where)
            if stat.S_ISLNK(info.external_attr >> 16):
                raise UserError(N_("{where}: the entry {name} is a symbolic link; refusing the zip"), where=where,
                                name=repr(info.filename))
            if info.is_dir() or not parts or JUNK.intersection(parts) or parts[-1].startswith("._"):
                continue
            checked.append((parts, info))
        budget.check(sum(info.file_size for _, info in checked))  # fail fast on declared sizes
        for parts, info in checked:
            yield parts, read_limited(archive, info, budget, where), info.date_time


def read_limited(archive, info, budget: Budget, where: str) -> bytes:
    chunks = []
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                budget.take(len(chunk))
                chunks.append(chunk)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError) as error:
        raise UserError(N_("{where}: cannot unpack {name} ({error})"), where=where, name=repr(info.filename),
                        error=error) from None
    return b"".join(chunks)


def strip_common_folder(paths: list[tuple], keep: int) -> int:
    """How many leading folders all paths share, leaving at least `keep` levels below them. A Moodle
    submission folder is never taken off: it names the student."""
    depth = 0
    while (paths and all(len(p) > depth + keep for p in paths) and len({p[depth] for p in paths}) == 1
           and not MOODLE.match(paths[0][depth])):
        depth += 1
    return depth


def group(files: list, budget: Budget, zip_name: str) -> list[Upload]:
    """Files of the whole zip -> one Upload per student, in either layout."""
    # A folder around everything (student folder + file below it stay).
    depth = strip_common_folder([parts for parts, _, _ in files], keep=2)
    files = [(parts[depth:], data, time) for parts, data, time in files]
    moodle = [MOODLE.match(parts[0]) for parts, _, _ in files]
    uploads: dict[str, Upload] = {}
    if all(moodle):
        for (parts, data, time), match in zip(files, moodle):
            key = f"{match['name']}_{match['participant']}"
            upload = uploads.setdefault(key, Upload(key, match["name"].strip(), match["participant"]))
            if match["plugin"] != "file":
                upload.notes.append((N_("ignored Moodle {plugin} content {name}"),
                                     {"plugin": match["plugin"], "name": parts[-1]}))
                continue
            relative = ((match["rest"],) if match["rest"] else ()) + parts[1:]
            if relative:
                add_file(upload, relative, data, time)
    else:
        loose = [parts for parts, _, _ in files if len(parts) < 2]
        if loose:
            raise UserError(N_("{zip}: {name} is neither in a student's folder nor named like a Moodle download "
                               "(Name_12345_assignsubmission_file_...); see the trainers' guide for the layouts"),
                            zip=zip_name, name=repr(loose[0][0]))
        for parts, data, time in files:
            upload = uploads.setdefault(parts[0], Upload(parts[0]))
            add_file(upload, parts[1:], data, time)
    for upload in uploads.values():
        unpack_inner_zips(upload, budget, zip_name)
    return list(uploads.values())


def add_file(upload: Upload, relative: tuple, data: bytes, time) -> None:
    if relative[-1] in IGNORED:
        upload.notes.append((N_("ignored {name} from the zip (collect writes its own)"),
                             {"name": "/".join(relative)}))
        return
    if relative in upload.files:
        upload.problem = upload.problem or (N_("the upload has two files named {name}"), {"name": "/".join(relative)})
    upload.files[relative] = data
    upload.times.append(time)


def unpack_inner_zips(upload: Upload, budget: Budget, zip_name: str) -> None:
    """A learner who zipped their work: unpack it in place (one level), then drop shared folders."""
    for relative in [r for r in upload.files if r[-1].lower().endswith(".zip")]:
        data = upload.files.pop(relative)
        where = f"{upload.key} / {'/'.join(relative)}"
        try:
            unpacked = list(entries(data, None, budget, where))
        except UserError as error:
            upload.problem = upload.problem or (N_("cannot use the zip inside the upload: {error}"), {"error": error})
            return
        for parts, inner, time in unpacked:
            add_file(upload, relative[:-1] + parts, inner, time)
    depth = strip_common_folder(list(upload.files), keep=1)
    upload.files = {relative[depth:]: data for relative, data in upload.files.items()}
    clash = next((r[:i] for r in upload.files for i in range(1, len(r)) if r[:i] in upload.files), None)
    if clash:
        upload.problem = upload.problem or (N_("the upload has a file and a folder both named {name}"),
                                            {"name": "/".join(clash)})


def read_uploads(path, max_bytes: int) -> list[Upload]:
    """One Upload per student in the zip at `path`; a broken one carries its problem."""
    budget = Budget(max_bytes)
    files = list(entries(None, path, budget, str(path)))
    if not files:
        raise UserError(N_("{zip} contains no files"), zip=path)
    return group(files, budget, str(path))
