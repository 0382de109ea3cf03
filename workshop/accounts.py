"""Participants' names, Unix accounts and homes.

Each participant gets a Unix account whose home is DIR/home/<name>, so that an account is known to
belong to this workshop by its home; a name that is already an account of the machine (root,
postgres, ...) or of another workshop is refused."""
import pwd
import re
import subprocess
import threading
from pathlib import Path

NAME = re.compile(r"^[a-z][a-z0-9-]{0,31}$")
# The hub makes accounts in threads, one at a time: useradd waits for /etc/passwd's lock for a
# limited time only, and thirty logins at once on a busy machine could outlast it.
USERADD = threading.Lock()

MESSAGES = {
    "de": {
        "pattern": "Der Name „{name}“ geht nicht: bitte nur Kleinbuchstaben (a–z), Ziffern und „-“, "
                   "am Anfang ein Buchstabe, höchstens 32 Zeichen (z. B. „anna“ oder „team-3“).",
        "taken": "Den Namen „{name}“ gibt es auf diesem Rechner schon. Bitte wähle einen anderen.",
    },
    "en": {
        "pattern": "The name “{name}” does not work: please use only lowercase letters (a–z), digits and "
                   "“-”, starting with a letter, at most 32 characters (e.g. “anna” or “team-3”).",
        "taken": "The name “{name}” already exists on this machine. Please choose another one.",
    },
}


def name_problem(name: str, homes: Path, lang: str) -> str | None:
    """A message for the participant if the name cannot be used, else None."""
    texts = MESSAGES[lang]
    if not NAME.match(name):
        return texts["pattern"].format(name=name[:40])
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        return None
    if Path(entry.pw_dir) != homes / name:
        return texts["taken"].format(name=name)
    return None


def ensure_account(name: str, homes: Path) -> pwd.struct_passwd:
    """Creates the account at first login; the home is private (Debian's useradd makes it 755)."""
    home = homes / name
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        with USERADD:
            result = subprocess.run(
                ["useradd", "--home-dir", str(home), "--create-home", "--shell", "/bin/bash",
                 "--comment", "workshop participant", name],
                capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"useradd {name} failed: {result.stderr.strip()}")
        entry = pwd.getpwnam(name)
    if Path(entry.pw_dir) != home:
        raise PermissionError(f"{name} is an account of this machine, not of this workshop")
    # A home kept from an earlier machine (DIR restored from a backup) may carry another uid.
    if home.stat().st_uid != entry.pw_uid:
        subprocess.run(["chown", "-R", f"{entry.pw_uid}:{entry.pw_gid}", str(home)], check=True)
    home.chmod(0o700)
    return entry


def copy_course(entry: pwd.struct_passwd, template: Path) -> None:
    """Adds the course files the home does not have yet, never overwriting the participant's work.
    The copy runs as the participant, so a link they made in their home cannot send root's writes
    elsewhere."""
    subprocess.run(["cp", "-R", "--no-clobber", f"{template}/.", entry.pw_dir],
                   user=entry.pw_uid, group=entry.pw_gid, extra_groups=[], cwd=entry.pw_dir,
                   check=True, capture_output=True)


def workshop_accounts(homes: Path) -> list[str]:
    return sorted(e.pw_name for e in pwd.getpwall() if Path(e.pw_dir).parent == homes)


def remove_account(name: str) -> None:
    subprocess.run(["userdel", "--remove", name], capture_output=True)
