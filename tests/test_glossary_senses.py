"""Glossary links go to the sense the lesson means: a word with another sense there ("Merkmal" of
the AGG, "mean" the verb, "labels" of a chart) stays plain. Checked on the link function's output
for the lesson sources, as the site build calls it, without building the site."""
import re

import pytest

from coursebuild.glossary import link_terms, term_patterns, with_term_links
from coursebuild.notebooks import for_language, lesson_sources, read_source
from coursebuild.site import with_download_cell

ROLE = re.compile(r"\{term\}`([^`<]+) <([^>]+)>`")

# (language, lesson, entry, a lesson's words with the linked one in [[ ]]): each a wrong sense the
# build once linked.
WRONG = [
    ("de", "12", "Merkmal (Feature)", "begründen können, warum jedes [[Merkmal]] nötig ist"),
    ("en", "12", "Feature", "explain why each [[feature]] is necessary"),
    ("de", "04", "Salz (Hash)", "Eine verbreitete Technik ist ein **[[Hash]]**"),
    ("de", "06", "Impact", "*[[Impact]] Evaluation of a Predictive"),
    ("de", "06", "Output", "Adjusting the [[Outputs]] of a Classifier"),
    ("de", "07", "Impact", "Disparate [[Impact]]"),
    ("de", "12", "Gemeinwohl", "Innovationsnetz KI für das [[Gemeinwohl]]"),
    ("en", "04", "Output", "The [[output]] shows"),
    ("en", "04", "Impact", "Assess the [[impact]]"),
    ("en", "04", "Mean", "does not [[mean]] \"anonymous\""),
    ("en", "05", "Label (target)", "picks [[labels]] in the notebook's language"),
    ("en", "05", "Outcome", "the date and the [[outcome]] from the features"),
    ("en", "05", "Output", "weighs features and [[outputs]] a probability"),
    ("en", "06", "False negative (miss)", "\"likely to [[miss]]\""),
    ("en", "06", "Rate", "seriously [[rates]] a miss"),
    ("en", "06", "Series", "for [[series]] of numbers"),
    ("en", "06", "Impact", "an independent [[impact]] evaluation"),
    ("en", "06", "Machine learning (ML)", "Scikit-learn: [[Machine Learning]] in Python"),
    ("en", "07", "Rate", "equal selection [[rates]]"),
    ("en", "07", "False negative (miss)", "the **[[miss]] rate**"),
    ("en", "07", "False positive (false alarm)", "and [[false alarm]] rate among"),
    ("en", "07", "Impact", "a data protection [[impact]] assessment"),
    ("en", "07", "Outcome", "decisive** for the [[outcome]] of counselling"),
    ("en", "08", "False negative (miss)", "[[miss]] the chance to object"),
    ("en", "08", "Label (target)", "not its [[target]] group"),
    ("en", "08", "Dictionary (dict)", "a hyphenation [[dictionary]]"),
    ("en", "09", "Label (target)", "**Data Hazard [[labels]]**"),
    ("en", "09", "Output", "as a finished [[output]]"),
    ("en", "10", "Mean", "this could [[mean]]"),
    ("en", "10", "False negative (miss)", "P5 [[misses]] it"),
    ("en", "11", "Output", "how to check an [[output]] before"),
    ("en", "11", "Hallucination (confabulation)", "Survey of [[Hallucination]] in"),
    ("en", "12", "Output", "how to generate [[outputs]] such as predictions"),
    ("en", "12", "Rate", "social scoring** that [[rates]] people"),
    ("en", "12", "Filtering", "a spam [[filter]]"),
    ("en", "12", "Impact", "rights [[impact]] assessment"),
]
# The same words where they do mean the entry: these links stay.
RIGHT = [
    ("de", "05", "Merkmal (Feature)", "heißen **[[Merkmale]]**"),
    ("de", "07", "Merkmal (Feature)", "Ein [[Merkmal]] oder das Label"),
    ("de", "04", "Salz (Hash)", "das Wort **[[Salz]]**"),
    ("en", "03", "Output", "services delivered ([[outputs]])"),
    ("en", "03", "Mean", "instead of the [[mean]]"),
    ("en", "05", "Label (target)", "is called the **[[label]]**"),
    ("en", "06", "False negative (miss)", "a **[[miss]]**, here an empty slot"),
    ("en", "07", "Miss rate (false negative rate)", "[[miss rate]]"),
    ("en", "12", "Fundamental rights impact assessment", "the [[fundamental rights impact assessment]] under"),
]


def lesson(number: str):
    return next(p for p in lesson_sources() if p.stem.startswith(number))


@pytest.fixture(scope="module")
def linked_words():
    """Every link of the lessons the cases name: (language, lesson, entry) -> the link's line, plain,
    with the linked words in [[ ]]."""
    found = {}
    for lang, number in sorted({case[:2] for case in WRONG + RIGHT}):
        source = lesson(number)
        page = with_term_links(with_download_cell(for_language(read_source(source), lang), lang, "x.zip"),
                               lang, source.stem)
        for cell in page.cells:
            for line in (cell.source.split("\n") if cell.cell_type == "markdown" else []):
                for m in ROLE.finditer(line):
                    plain = ROLE.sub(r"\1", line[:m.start()]) + f"[[{m.group(1)}]]" + ROLE.sub(r"\1", line[m.end():])
                    found.setdefault((lang, number, m.group(2)), []).append(plain)
    return found


@pytest.mark.parametrize("lang, number, entry, words", WRONG, ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in WRONG])
def test_a_word_in_another_sense_does_not_link(linked_words, lang, number, entry, words):
    source_text = lesson(number).read_text(encoding="utf-8")
    assert words.replace("[[", "").replace("]]", "") in source_text, "the case names words the lesson no longer has"
    assert not [line for line in linked_words.get((lang, number, entry), []) if words in line]


@pytest.mark.parametrize("lang, number, entry, words", RIGHT, ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in RIGHT])
def test_the_meant_sense_still_links(linked_words, lang, number, entry, words):
    assert [line for line in linked_words.get((lang, number, entry), []) if words in line]


def links(text: str, lang: str, module: str) -> list[tuple[str, str]]:
    return ROLE.findall(link_terms(text, term_patterns(lang, module), set()))


def test_each_rule_of_the_glossary_data_on_new_text():
    """The rules hold for sentences no lesson has yet: modules, phrases, longer terms, sources."""
    later = "12-law-and-responsibility"
    assert links("Ein Modell darf kein geschütztes Merkmal nutzen.", "de", later) == []
    assert links("Die Merkmale des Modells.", "de", "07-bias-and-fairness") == [("Merkmale", "Merkmal (Feature)")]
    assert links("Every output is checked; what does it mean? It outputs numbers.", "en", later) == []
    assert links("What does it mean? Take the mean.", "en", later) == [("mean", "Mean")]
    assert links("People miss it. The miss rate is high, a **miss** costs.", "en", later) == [
        ("miss rate", "Miss rate (false negative rate)"), ("miss", "False negative (miss)")]
    assert links("A data protection impact assessment looks at the impact assessment.", "en", later) == [
        ("data protection impact assessment", "Data protection impact assessment (DPIA)")]
    assert links("Ein Hash ist kein Salz.", "de", later) == [("Salz", "Salz (Hash)")]
    sources = "Lead.\n\n## Quellen\n\n- Eine Studie zum Gemeinwohl.\n\n## Weiter\n\nDas Gemeinwohl."
    assert links(sources, "de", later) == [("Gemeinwohl", "Gemeinwohl")]
    assert "Quellen\n\n- Eine Studie zum Gemeinwohl." in link_terms(sources, term_patterns("de", later), set())
    assert links("- Doe, J. (2020): *Disparate Impact in Machine Learning*. Journal.", "en", later) == []


def test_glossary_data_with_a_typo_is_refused(tmp_path, monkeypatch):
    """A misspelt key or module name would let a wrong link come back unnoticed."""
    from coursebuild import glossary

    for bad, message in [("not_in_module: [12-law-and-responsibility]", "unknown keys"),
                         ("not_in_modules: [12-law]", "modules without a glossary file"),
                         ("not_in: [impact assessment]", "contains none of its spellings")]:
        (tmp_path / "05-first-model.yml").write_text(
            "- de: {term: Merkmal, definition: x}\n"
            f"  en: {{term: Feature, {bad}, definition: x}}\n", encoding="utf-8")
        monkeypatch.setattr(glossary, "GLOSSARY", tmp_path)
        with pytest.raises(ValueError, match=message):
            glossary.entries("en")
