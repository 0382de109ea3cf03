"""What lives where in a workshop's folder DIR: every piece of state, so a backup of DIR is a backup
of the workshop.

    participant-code, trainer-code   the login codes (mode 600)
    workshop.json                    language, limits, the participants' environment
    hub/                             JupyterHub's database, cookie secret, config (root only)
    course/                          the nbgrader course: source/, gradebook, submissions (root only)
    exchange/                        nbgrader's exchange between participants and the trainer
    participant-config/              Jupyter configuration every participant's server reads
    home-template/                   what a participant's home starts with
    home/<name>/                     the participants' homes (each mode 700)
"""
import json
import secrets
import string
from dataclasses import dataclass
from pathlib import Path

# No 0/o or 1/l: the code is read aloud and typed from a projector.
CODE_ALPHABET = "".join(c for c in string.ascii_lowercase + string.digits if c not in "0o1l")
TRAINER_CODE_MIN = 32  # SharedPasswordAuthenticator's minimum for admin_password
PARTICIPANT_CODE_MIN = 8  # and for user_password


class LayoutError(ValueError):
    pass


def new_participant_code() -> str:
    return "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(3))


def new_trainer_code() -> str:
    return secrets.token_urlsafe(33)


@dataclass(frozen=True)
class Layout:
    root: Path

    @property
    def hub(self) -> Path:
        return self.root / "hub"

    @property
    def course(self) -> Path:
        return self.root / "course"

    @property
    def exchange(self) -> Path:
        return self.root / "exchange"

    @property
    def participant_config(self) -> Path:
        return self.root / "participant-config"

    @property
    def template(self) -> Path:
        return self.root / "home-template"

    @property
    def homes(self) -> Path:
        return self.root / "home"

    def settings(self) -> dict:
        return json.loads((self.root / "workshop.json").read_text())

    def write_settings(self, settings: dict) -> None:
        path = self.root / "workshop.json"
        path.write_text(json.dumps(settings, indent=2) + "\n")
        path.chmod(0o600)

    def participant_code(self) -> str:
        return read_code(self.root / "participant-code", PARTICIPANT_CODE_MIN)

    def trainer_code(self) -> str:
        return read_code(self.root / "trainer-code", TRAINER_CODE_MIN)

    def ensure_codes(self) -> None:
        """Keeps codes the trainer wrote there; makes the missing ones. Both end up mode 600."""
        for name, make in (("participant-code", new_participant_code), ("trainer-code", new_trainer_code)):
            path = self.root / name
            if not path.exists():
                path.touch(mode=0o600)
                path.write_text(make() + "\n")
            path.chmod(0o600)
        if self.participant_code() == self.trainer_code():
            raise LayoutError("participant-code and trainer-code must differ")

    def make_folders(self) -> None:
        """Participants pass through DIR and home/ to reach their own home but can list neither;
        hub/ and course/ are root's alone."""
        self.root.mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o711)
        for folder, mode in ((self.hub, 0o700), (self.homes, 0o711), (self.template, 0o755),
                             (self.participant_config, 0o755)):
            folder.mkdir(exist_ok=True)
            folder.chmod(mode)
        for parent in self.root.resolve().parents:
            if not parent.stat().st_mode & 0o001:
                raise LayoutError(
                    f"{parent} is closed to other users (no x bit for others), so participants could not "
                    f"reach their homes in {self.homes}. Choose a DIR outside it, e.g. /srv/workshop.")


def read_code(path: Path, minimum: int) -> str:
    code = path.read_text().strip() if path.exists() else ""
    if len(code) < minimum:
        raise LayoutError(f"{path} must hold a code of at least {minimum} characters (it has {len(code)})")
    return code
