"""The datasets: deterministic, documented in both languages, labelled synthetic."""
import pytest

from coursebuild import LANGUAGES, REPO
from coursebuild.datasets import csv_text, generator_modules, tables
from coursebuild.notebooks import data_files, exercise_sources, lesson_sources, read_source

GENERATORS = [name for name, _ in generator_modules()]


@pytest.mark.parametrize("name", GENERATORS)
def test_generator_is_deterministic(name):
    module = dict(generator_modules())[name]
    first = {f: csv_text(t) for f, t in module.generate().items()}
    second = {f: csv_text(t) for f, t in module.generate().items()}
    assert first == second
    assert all(len(text.splitlines()) > 20 for text in first.values())


@pytest.mark.parametrize("name", GENERATORS)
def test_generator_takes_a_seed_for_variants_with_the_same_columns(name):
    """Grading on fresh data (`autograder grade --fresh-data`) needs variants: same files and
    columns, other numbers; the default stays the published data."""
    module = dict(generator_modules())[name]
    published = module.generate()
    assert {f: csv_text(t) for f, t in module.generate(seed=module.PUBLISHED_SEED).items()} == \
        {f: csv_text(t) for f, t in published.items()}
    variant = module.generate(seed=12345)
    assert variant.keys() == published.keys()
    for filename, frame in variant.items():
        assert list(frame.columns) == list(published[filename].columns), filename
        assert (frame.dtypes == published[filename].dtypes).all(), filename
    assert any(csv_text(variant[f]) != csv_text(published[f]) for f in published), "the variant is the published data"
    assert {f: csv_text(t) for f, t in module.generate(seed=12345).items()} == {f: csv_text(t) for f, t in variant.items()}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", GENERATORS)
def test_every_dataset_has_a_datasheet_that_says_it_is_synthetic(name, lang):
    sheet = REPO / "data" / "datasheets" / f"{name}.{lang}.md"
    assert sheet.exists(), f"{sheet} is missing"
    text = sheet.read_text(encoding="utf-8").lower()
    assert ("synthetisch" if lang == "de" else "synthetic") in text
    for filename in dict(generator_modules())[name].generate():
        assert filename in text, f"the datasheet {sheet.name} does not name the file {filename}"


def test_every_data_file_a_notebook_needs_is_generated():
    generated = set(tables())
    for source in lesson_sources() + exercise_sources():
        missing = set(data_files(read_source(source))) - generated
        assert not missing, f"{source} needs {missing}, which no generator writes"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_glossary_terms_are_defined_once(lang):
    from coursebuild.glossary import entries

    terms = [e["term"] for e in entries(lang)]
    assert len(terms) == len(set(t.casefold() for t in terms))
    assert all(e["definition"].strip() for e in entries(lang))


@pytest.mark.parametrize("seed", [None, 12345])
def test_written_files_are_the_same_bytes_for_the_same_seed(tmp_path, seed):
    """Excel workbooks too: their inner timestamps are fixed, not the time of the run."""
    from coursebuild.datasets import write_all

    first = {name: path.read_bytes() for name, path in write_all(tmp_path / "a", seed).items()}
    second = {name: path.read_bytes() for name, path in write_all(tmp_path / "b", seed).items()}
    assert first == second
    assert {"foodbank_excel.csv", "foodbank.xlsx"} <= first.keys()


def test_the_german_excel_files_hold_the_food_bank_table(tmp_path):
    import pandas as pd

    from coursebuild.datasets import write_all

    files = write_all(tmp_path)
    plain = pd.read_csv(files["foodbank.csv"])
    raw = files["foodbank_excel.csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b"2024;0;" in raw
    assert pd.read_csv(files["foodbank_excel.csv"]).shape[1] == 1, "the default read goes wrong, as the lesson shows"
    german = pd.read_csv(files["foodbank_excel.csv"], sep=";", decimal=",", encoding="utf-8-sig")
    german["date"] = pd.to_datetime(german["date"], format="%d.%m.%Y").dt.strftime("%Y-%m-%d")
    pd.testing.assert_frame_equal(german, plain)
    workbook = pd.read_excel(files["foodbank.xlsx"])
    workbook["date"] = workbook["date"].dt.strftime("%Y-%m-%d")
    pd.testing.assert_frame_equal(workbook, plain)
