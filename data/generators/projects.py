"""Budgets of six data and AI projects of nonprofits, by lifecycle phase, year and funding source. Synthetic.

One row per project, calendar year, lifecycle phase and funding source (rows with 0 euros are
left out). Each project runs four years from its start year. Built in, on purpose: grants (a
foundation or a public programme) pay for scoping, development, the pilot and the evaluation in
the first two years, but mostly not for operation and maintenance in years 3 and 4, which fall to
own funds and donations; most projects plan less than 20 % of their budget for operation and
maintenance, one plans clearly more (its public programme funds maintenance too), and one pays
high licence fees for a commercial AI service after the pilot. Used by module 10 (from project to
practice). See data/datasheets/projects.*.md.
"""
import numpy as np
import pandas as pd

PUBLISHED_SEED = 20251010  # the data of the site, the lessons and init-course

PHASES = ["scoping", "data_preparation", "development", "pilot", "operation_maintenance", "evaluation"]

# in which project year (1 to 4) the money of a phase is spent: relative weights per year
PHASE_YEARS = {
    "scoping": [1.0, 0, 0, 0],
    "data_preparation": [0.8, 0.2, 0, 0],
    "development": [0.55, 0.45, 0, 0],
    "pilot": [0, 1.0, 0, 0],
    "operation_maintenance": [0, 0.1, 0.45, 0.45],
    "evaluation": [0, 0.6, 0, 0.4],
}

# project_id: (project, organisation, start year, planned total in euros,
#              share of each phase in per cent (order of PHASES),
#              funding per phase group: grant phases / maintenance as {source: share})
PROJECTS = {
    "P1": ("Bedarfsprognose für die Tafel", "Tafel Musterstadt e. V.", 2024, 64000,
           [6, 20, 36, 16, 10, 12],
           {"foundation_grant": 0.9, "own_funds": 0.1},
           {"own_funds": 0.6, "donations": 0.4}),
    "P2": ("Erinnerungssystem für Beratungstermine", "Schuldnerberatung Lindenhof e. V.", 2025, 88000,
           [5, 15, 38, 17, 14, 11],
           {"foundation_grant": 0.85, "own_funds": 0.15},
           {"own_funds": 0.75, "donations": 0.25}),
    "P3": ("Assistent für Leichte Sprache", "Lebenshilfe-Werkstatt Am Fluss gGmbH", 2024, 120000,
           [8, 12, 26, 14, 26, 14],
           {"public_programme": 0.8, "own_funds": 0.2},
           {"public_programme": 0.6, "own_funds": 0.4}),
    "P4": ("Matching für Ehrenamtliche", "Freiwilligenagentur Kreis Nord e. V.", 2023, 52000,
           [5, 15, 40, 15, 17, 8],
           {"public_programme": 0.9, "own_funds": 0.1},
           {"own_funds": 0.5, "donations": 0.5}),
    "P5": ("Wirkungs-Dashboard ohne KI", "Jugendtreff Oststadt e. V.", 2025, 18000,
           [10, 25, 25, 10, 20, 10],
           {"own_funds": 0.6, "donations": 0.4},
           {"own_funds": 0.7, "donations": 0.3}),
    "P6": ("KI-Übersetzung für Elternbriefe", "Familienzentrum Brückenschlag e. V.", 2024, 70000,
           [4, 6, 22, 18, 40, 10],
           {"foundation_grant": 0.95, "own_funds": 0.05},
           {"donations": 0.55, "own_funds": 0.45}),
}


def _round100(value: float) -> int:
    return int(round(value / 100.0)) * 100


def generate(seed: int = PUBLISHED_SEED) -> dict[str, pd.DataFrame]:
    """The published tables; another seed gives a variant with the same columns and story, other numbers."""
    rng = np.random.default_rng(seed)
    rows = []
    for project_id, (project, organisation, start, total, shares, grant_mix, maintenance_mix) in PROJECTS.items():
        for phase, share in zip(PHASES, shares):
            phase_total = total * share / 100 * rng.normal(1, 0.04)
            mix = maintenance_mix if phase == "operation_maintenance" else grant_mix
            # in the grant years (1 and 2) even maintenance is usually paid from the grant
            for offset, weight in enumerate(PHASE_YEARS[phase]):
                if not weight:
                    continue
                amount_year = phase_total * weight
                year_mix = grant_mix if (phase == "operation_maintenance" and offset < 2) else mix
                for source, source_share in year_mix.items():
                    amount = _round100(amount_year * source_share * rng.normal(1, 0.03))
                    if amount <= 0:
                        continue
                    rows.append({
                        "project_id": project_id,
                        "project": project,
                        "organisation": organisation,
                        "year": start + offset,
                        "project_year": offset + 1,
                        "phase": phase,
                        "funding_source": source,
                        "amount_eur": amount,
                    })
    frame = pd.DataFrame(rows)
    frame["phase"] = pd.Categorical(frame["phase"], categories=PHASES, ordered=True)
    frame = frame.sort_values(["project_id", "year", "phase", "funding_source"]).reset_index(drop=True)
    frame["phase"] = frame["phase"].astype(str)
    return {"project_budgets.csv": frame}
