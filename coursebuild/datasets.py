"""Runs the seeded dataset generators in data/generators/.

Each generator is a module with ``generate(seed=PUBLISHED_SEED) -> dict[str, pandas.DataFrame]``
(file name to table); it seeds its own random numbers, so the same code always writes the same bytes.
Without a seed every generator writes its published data; with one, a variant (for grading on fresh data).

The file name says how a table is written: ``NAME.csv`` as plain CSV (commas, decimal points,
UTF-8); ``NAME_excel.csv`` as German Excel saves "CSV UTF-8" (semicolons, decimal commas, dates as
31.12.2025, a byte order mark, Windows line ends); ``NAME.xlsx`` as an Excel workbook, with fixed
timestamps inside so that the same table always gives the same bytes.
"""
import importlib.util
import io
import re
import zipfile
from pathlib import Path

import pandas as pd

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


def german_excel_csv(frame) -> bytes:
    frame = frame.copy()
    for column in frame.columns:
        if column == "date" or column.endswith("_date"):
            frame[column] = frame[column].map(lambda iso: ".".join(reversed(str(iso).split("-"))))
    text = frame.to_csv(index=False, sep=";", decimal=",", lineterminator="\r\n")
    return text.encode("utf-8-sig")


# Excel's own stamp for "no date" keeps the workbook's metadata the same on every run.
FIXED_STAMP = "2025-01-01T00:00:00Z"
STAMPS = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def excel_workbook(frame) -> bytes:
    frame = frame.copy()
    for column in frame.columns:
        if column == "date" or column.endswith("_date"):
            frame[column] = pd.to_datetime(frame[column])
    raw = io.BytesIO()
    frame.to_excel(raw, index=False, engine="openpyxl")
    fixed = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "docProps/core.xml":
                data = STAMPS.sub(rb"\g<1>" + FIXED_STAMP.encode() + rb"\g<2>", data)
            target.writestr(zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0)), data,
                            compress_type=zipfile.ZIP_DEFLATED)
    return fixed.getvalue()


def file_bytes(filename: str, frame) -> bytes:
    if filename.endswith(".xlsx"):
        return excel_workbook(frame)
    if filename.endswith("_excel.csv"):
        return german_excel_csv(frame)
    return csv_text(frame).encode("utf-8")


def write_all(out_dir: Path, seed: int | None = None) -> dict[str, Path]:
    written = {}
    for filename, frame in tables(seed).items():
        path = out_dir / filename
        write_if_changed(path, file_bytes(filename, frame))
        written[filename] = path
    return written
