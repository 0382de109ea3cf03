"""Runs the seeded dataset generators in data/generators/.

Each generator is a module with ``generate(seed=PUBLISHED_SEED) -> dict[str, pandas.DataFrame]``
(file name to table); it seeds its own random numbers, so the same code always writes the same bytes.
Without a seed every generator writes its published data; with one, a variant (for grading on fresh data).
"""
import importlib.util
from pathlib import Path

from . import REPO
from .files import write_if_changed

GENERATORS = REPO / "data" / "generators"


def generator_modules():
    for path in sorted(GENERATORS.glob("*.py")):
        if path.name.startswith("_"):
            continue
        spec = importlib.util.spec_from_file_location(f"course_data_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        yield path.stem, module


def tables(seed: int | None = None) -> dict:
    found = {}
    for name, module in generator_modules():
        frames = module.generate() if seed is None else module.generate(seed=seed)
        for filename, frame in frames.items():
            if filename in found:
                raise ValueError(f"data file {filename} is written by two generators (second: {name})")
            found[filename] = frame
    return found


def csv_text(frame) -> str:
    return frame.to_csv(index=False, lineterminator="\n")


def write_all(out_dir: Path, seed: int | None = None) -> dict[str, Path]:
    written = {}
    for filename, frame in tables(seed).items():
        path = out_dir / filename
        write_if_changed(path, csv_text(frame))
        written[filename] = path
    return written
