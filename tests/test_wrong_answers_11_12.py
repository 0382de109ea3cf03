"""Modules 11 and 12: substantively wrong answers lose the points of the cells they should lose,
the solution keeps every point on freshly generated data, and answers typed in from the default
data fail on fresh data (the hidden tests compute from the data the notebook reads).

The notebooks' code cells run in-process, as nbgrader's autograder would run them: the source
version (solutions and hidden tests included), one answer cell swapped for a wrong answer, and a
grade cell counts as passed when it raises nothing. That is seconds per variant instead of a
kernel and an nbgrader run each; test_exercises.py checks the real nbgrader run of the solution
and the release.
"""
import contextlib
import io
import os

import pytest
from nbgrader import utils

from coursebuild import REPO
from coursebuild.datasets import csv_text, generator_modules
from coursebuild.notebooks import data_files, for_language, read_source

FRESH_SEED = 777


FRESH = ("ai_outputs", "ai_register")   # the generators of modules 11 and 12


def write_data(folder, seed=None):
    """Every data file; with a seed, the generators of modules 11 and 12 make fresh data."""
    for name, module in generator_modules():
        tables = module.generate(seed=seed) if seed is not None and name in FRESH else module.generate()
        for filename, frame in tables.items():
            (folder / filename).write_text(csv_text(frame), encoding="utf-8")


def passed_cells(exercise: str, folder, answers: dict[str, str] | None = None, lang: str = "de") -> dict:
    """grade_id -> points earned, running every code cell in order with some answer cells replaced."""
    nb = for_language(read_source(REPO / "exercises" / exercise / "exercise.md"), lang)
    assert set(data_files(nb)) <= {p.name for p in folder.iterdir()}
    answers = answers or {}
    namespace: dict = {}
    earned = {}
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            source = answers.get(grade_id, cell.source)
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(compile(source, grade_id or "cell", "exec"), namespace)
                ok = True
            except Exception:
                ok = False
            if utils.is_grade(cell):
                earned[grade_id] = cell.metadata["nbgrader"]["points"] if ok else 0
    finally:
        os.chdir(cwd)
    return earned


@pytest.fixture(scope="module")
def default_data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("default")
    write_data(folder)
    return folder


@pytest.fixture(scope="module")
def fresh_data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fresh")
    write_data(folder, FRESH_SEED)
    return folder


# ---------------------------------------------------------------- module 11

EX11 = "11-generative-ai"

REDACT_FULL_NAMES_ONLY = '''
def redact(text, clients):
    for first, last in zip(clients["first_name"], clients["last_name"]):
        text = text.replace(f"{first} {last}", "[NAME]")
    return text
'''
# Knows the visible examples by heart and nothing else.
REDACT_VISIBLE_ONLY = '''
def redact(text, clients):
    pairs = [("info@beispiel-verein.de", "[E-MAIL]"), ("0173 2046471", "[TELEFON]"),
             ("Depressionen", "[DIAGNOSE]"), ("Diabetes", "[DIAGNOSE]")]
    if len(clients):
        first, last = clients.iloc[0]["first_name"], clients.iloc[0]["last_name"]
        pairs = [(f"{first} {last}", "[NAME]"), (f"Frau {last}", "Frau [NAME]")] + pairs
    for a, b in pairs:
        text = text.replace(a, b)
    return text
'''
REDACT_CASE_SENSITIVE_DIAGNOSES = '''
import re
def redact(text, clients):
    text = re.sub(r"[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+", "[E-MAIL]", text)
    text = re.sub(r"(?<![\\w+])(?:\\+|0)[\\d /-]*\\d",
                  lambda m: "[TELEFON]" if len(re.sub(r"\\D", "", m.group())) >= 6 else m.group(), text)
    for first, last in zip(clients["first_name"], clients["last_name"]):
        text = re.sub(rf"\\b{re.escape(first)}\\s+{re.escape(last)}\\b", "[NAME]", text)
    for part in set(clients["first_name"]) | set(clients["last_name"]):
        text = re.sub(rf"\\b{re.escape(part)}\\b", "[NAME]", text)
    for term in DIAGNOSIS_TERMS:
        text = re.sub(rf"\\b{re.escape(term)}[\\w-]*", "[DIAGNOSE]", text)
    return text
'''
FLAG_WITHOUT_NEGATIONS = '''
import re
def _f(t):
    p = r"§\\s*\\d+[a-z]?"
    return set(re.findall(p, t)) | set(re.findall(r"\\d+", re.sub(p, " ", t)))
flagged = {i for i, s, o in zip(outputs["output_id"], outputs["source_text"], outputs["output_text"]) if _f(o) - _f(s)}
'''


@pytest.mark.parametrize("seed", [None, *range(40)])
def test_the_planted_errors_are_exactly_what_the_check_finds(seed):
    """The exercise's check (numbers, paragraphs, negations) finds every planted error and nothing else."""
    module = dict(generator_modules())["ai_outputs"]
    kwargs = {} if seed is None else {"seed": seed}
    outputs = module.generate(**kwargs)["ai_outputs.csv"]
    key = module.planted_errors(**kwargs)
    for row in outputs.itertuples():
        before, after = module.facts(row.source_text), module.facts(row.output_text)
        changed = bool(after["numbers"] - before["numbers"] or after["paragraphs"] - before["paragraphs"]
                       or after["negations"] != before["negations"])
        assert changed == bool(key[row.output_id]), (seed, row.output_id, key[row.output_id])
    assert {"frist", "verneinung"} <= set(key.values())


def test_solution_earns_every_point_on_fresh_data(fresh_data):
    earned = passed_cells(EX11, fresh_data)
    assert all(earned.values()), earned


@pytest.mark.parametrize("answer, cell, should_lose", [
    ("flagged = set(outputs['output_id'])", "flagged_answer", {"flagged_precise_tests"}),
    (FLAG_WITHOUT_NEGATIONS, "flagged_answer", {"flagged_found_tests"}),
    (REDACT_FULL_NAMES_ONLY, "redact_answer", {"redact_names_tests", "redact_contacts_tests", "redact_diagnoses_tests"}),
    (REDACT_VISIBLE_ONLY, "redact_answer", {"redact_names_tests", "redact_contacts_tests", "redact_diagnoses_tests"}),
    (REDACT_CASE_SENSITIVE_DIAGNOSES, "redact_answer", {"redact_diagnoses_tests"}),
    ("needs_redaction = set(prompts['prompt_id']); share_needs_redaction = 1.0", "prompts_answer", {"prompts_tests"}),
    ("readability = outputs[outputs['task'] == 'vereinfachen'].assign("
     "fre_source=outputs['output_text'].map(textstat.flesch_reading_ease).round(1), "
     "fre_output=outputs['source_text'].map(textstat.flesch_reading_ease).round(1))[['output_id', 'fre_source', 'fre_output']]\n"
     "easier_but_changed = set()", "readability_answer", {"readability_tests", "easier_changed_tests"}),
    ("_s = outputs[outputs['task'] == 'vereinfachen']\n"
     "readability = _s.assign(fre_source=_s['source_text'].map(textstat.flesch_reading_ease).round(1), "
     "fre_output=_s['output_text'].map(textstat.flesch_reading_ease).round(1))[['output_id', 'fre_source', 'fre_output']]\n"
     "easier_but_changed = set(readability['output_id'])", "readability_answer", {"easier_changed_tests"}),
], ids=["flag-all", "flag-without-negations", "redact-full-names-only", "redact-visible-examples-only",
        "redact-case-sensitive", "all-prompts", "readability-swapped", "easier-ignores-flagged"])
def test_wrong_answers_lose_their_points_11(default_data, answer, cell, should_lose):
    earned = passed_cells(EX11, default_data, {cell: answer})
    lost = {gid for gid, points in earned.items() if not points}
    assert should_lose <= lost, f"kept points in {should_lose - lost}"


def test_answers_typed_in_from_the_default_data_fail_on_fresh_data_11(default_data, fresh_data):
    ns_answers = {}
    # Hand-typed constants: the values the solution computes on the default data.
    nb_globals = _namespace_after(EX11, default_data)
    ns_answers["flagged_answer"] = f"flagged = {sorted(nb_globals['flagged'])!r}\nflagged = set(flagged)"
    ns_answers["prompts_answer"] = (f"needs_redaction = set({sorted(nb_globals['needs_redaction'])!r})\n"
                                    f"share_needs_redaction = {nb_globals['share_needs_redaction']!r}")
    earned = passed_cells(EX11, fresh_data, ns_answers)
    assert not earned["flagged_found_tests"] or not earned["flagged_precise_tests"]
    assert not earned["prompts_tests"]


def _namespace_after(exercise, folder):
    nb = for_language(read_source(REPO / "exercises" / exercise / "exercise.md"), "de")
    namespace: dict = {}
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        for cell in nb.cells:
            # The course's decimal-comma cell only changes how Jupyter shows numbers.
            if cell.cell_type == "code" and not utils.is_grade(cell) and cell.get("id") != "decimal-comma":
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(cell.source, namespace)
    finally:
        os.chdir(cwd)
    return namespace


# ---------------------------------------------------------------- module 12

EX12 = "12-law-and-responsibility"

TIER_WITHOUT_EXCEPTION = '''
def risk_tier(row):
    if not row["is_ai_system"]:
        return "kein KI-System"
    if row["prohibited_practice"]:
        return "verboten"
    if row["annex_iii"]:
        return "hoch"
    return "Transparenz" if row["interacts_with_people"] or row["deep_fake"] else "minimal"
'''
DPIA_ONE_CRITERION = '''
def dpia_required(row):
    return bool(row["personal_data"]) and sum(int(row[c]) for c in CRITERIA) >= 1
'''
DPIA_IGNORES_PERSONAL_DATA = '''
def dpia_required(row):
    return sum(int(row[c]) for c in CRITERIA) >= 2
'''


def test_solution_earns_every_point_on_fresh_data_12(fresh_data):
    earned = passed_cells(EX12, fresh_data)
    assert all(earned.values()), earned


@pytest.mark.parametrize("lang", ["de", "en"])
def test_solution_earns_every_point_in_both_languages_12(default_data, lang):
    earned = passed_cells(EX12, default_data, lang=lang)
    assert all(earned.values()), earned


@pytest.mark.parametrize("answer, cell, should_lose", [
    ("def risk_tier(row):\n    return 'minimal'", "tier_answer", {"tier_course_tests", "tier_register_tests"}),
    (TIER_WITHOUT_EXCEPTION, "tier_answer", {"tier_register_tests"}),
    ("statements_s03 = set(STATEMENTS)", "statements_answer", {"statements_tests"}),
    ("statements_s03 = {'A', 'B', 'D', 'F'}", "statements_answer", {"statements_tests"}),
    ("articles = {sid: {4, 5, 26, 27, 50} for sid in COURSE_IDS}", "articles_answer", {"articles_tests"}),
    ("articles = {sid: {4} | ({26, 27} if risk_tier(register.set_index('system_id').loc[sid]) == 'hoch' else set()) "
     "for sid in COURSE_IDS}", "articles_answer", {"articles_tests"}),
    ("def dpia_required(row):\n    return True", "dpia_answer", {"dpia_course_tests", "dpia_register_tests"}),
    (DPIA_ONE_CRITERION, "dpia_answer", {"dpia_register_tests"}),
    (DPIA_IGNORES_PERSONAL_DATA, "dpia_answer", {"dpia_register_tests"}),
    ("art22_systems = set(COURSE_IDS)", "art22_answer", {"art22_tests"}),
    ("art22_systems = set(course.loc[course['profiling'] == 1, 'system_id'])", "art22_answer", {"art22_tests"}),
], ids=["tier-always-minimal", "tier-without-art-6-3", "tick-all-statements", "statements-health-data",
        "tick-all-articles", "articles-without-art-50", "dpia-always", "dpia-one-criterion",
        "dpia-without-personal-data", "art22-all-systems", "art22-any-profiling"])
def test_wrong_answers_lose_their_points_12(default_data, answer, cell, should_lose):
    earned = passed_cells(EX12, default_data, {cell: answer})
    lost = {gid for gid, points in earned.items() if not points}
    assert should_lose <= lost, f"kept points in {should_lose - lost}"


def test_answers_typed_in_from_the_default_data_fail_on_fresh_data_12(default_data, fresh_data):
    nb_globals = _namespace_after(EX12, default_data)
    register = nb_globals["register"]
    tiers = dict(zip(register["system_id"], register.apply(nb_globals["risk_tier"], axis=1)))
    dpia = dict(zip(register["system_id"], register.apply(nb_globals["dpia_required"], axis=1)))
    typed = {"tier_answer": f"def risk_tier(row):\n    return {tiers!r}[row.get('system_id', row.name)]",
             "dpia_answer": f"def dpia_required(row):\n    return {dpia!r}[row.get('system_id', row.name)]"}
    assert all(passed_cells(EX12, default_data, typed).values())
    earned = passed_cells(EX12, fresh_data, typed)
    assert not earned["tier_register_tests"] and not earned["dpia_register_tests"]


@pytest.mark.parametrize("seed", [None, *range(30)])
def test_every_register_says_in_words_what_its_checklist_says(seed):
    """The random facts of the register are also in the descriptions, so learners can read them."""
    module = dict(generator_modules())["ai_register"]
    register = module.generate(**({} if seed is None else {"seed": seed}))["ai_register.csv"]
    assert len(register) > 20 and register["system_id"].is_unique
    for row in register.itertuples():
        assert row.public_service == ("Auftrag" in row.description_de), row.name
        assert row.public_service == ("on behalf of" in row.description_en), row.name
    tiers = {(row.annex_iii != "", bool(row.profiling), bool(row.preparatory_only)) for row in register.itertuples()}
    assert (True, False, True) in tiers and (True, True, True) in tiers   # the Art. 6(3) exception, and profiling beating it
