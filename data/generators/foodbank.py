"""Food bank (Tafel): weekly distributions at six sites in the calendar weeks of 2025. Synthetic.

One row per site and calendar week (ISO week, "KW"; ``date`` is its Monday, so KW 1 starts on
2024-12-30). Built in: seasonal need (more in winter, a dip in the school summer holidays), sites
of different sizes with different shares of children and different amounts of food per
household, three weeks in which every site is closed (public holidays), a summer break at one
site (rows with zeros, not missing rows), and a rise in need at one site from September.
Everything is described in data/datasheets/foodbank.*.md.
"""
import numpy as np
import pandas as pd

PUBLISHED_SEED = 20250101  # the data of the site, the lessons and init-course

SITES = {
    # site: (mean households per week, children per household, kg per household)
    "Altstadt": (210, 0.9, 11.5),
    "Bahnhofsviertel": (260, 0.7, 10.0),
    "Nordstadt": (170, 1.3, 12.5),
    "Südpark": (120, 1.1, 13.0),
    "Weststadt": (150, 1.0, 12.0),
    "Hafen": (90, 0.8, 14.0),
}
WEEKS = 52                        # 2025 has 52 ISO calendar weeks
FIRST_MONDAY = "2024-12-30"       # Monday of KW 1/2025
CLOSED_ALL = {1, 16, 52}          # between the years, Easter (Good Friday), Christmas
CLOSED_SITE = {"Hafen": {31, 32}}  # summer break: too few volunteers
SUMMER_HOLIDAYS = range(28, 34)   # school summer holidays: fewer households come
RISE = {"Nordstadt": (36, 1.35)}  # from this week on, need is this much higher (new shared housing nearby)


def generate(seed: int = PUBLISHED_SEED) -> dict[str, pd.DataFrame]:
    """The published tables; another seed gives a variant with the same columns and story, other numbers."""
    rng = np.random.default_rng(seed)
    mondays = pd.date_range(FIRST_MONDAY, periods=WEEKS, freq="7D")
    rows = []
    for site, (households_mean, children_per_household, kg_per_household) in SITES.items():
        for week, monday in enumerate(mondays, start=1):
            season = 1 + 0.15 * np.cos(2 * np.pi * (week - 5) / 52)
            holidays = 0.85 if week in SUMMER_HOLIDAYS else 1.0
            start, factor = RISE.get(site, (WEEKS + 1, 1.0))
            rise = factor if week >= start else 1.0
            households = int(rng.poisson(households_mean * season * holidays * rise))
            if week in CLOSED_ALL or week in CLOSED_SITE.get(site, ()):
                households = 0
            if households:
                adults = int(households + rng.binomial(households, 0.6))
                children = int(rng.binomial(households * 3, children_per_household / 3))
                kg = round(households * kg_per_household * rng.normal(1, 0.06), 1)
                volunteers = max(2, int(round(rng.normal(4 + households / 40, 1.2))))
            else:
                adults = children = volunteers = 0
                kg = 0.0
            rows.append({
                "site": site,
                "week": week,
                "date": monday.date().isoformat(),
                "households": households,
                "adults": adults,
                "children": children,
                "kg_distributed": kg,
                "volunteers": volunteers,
            })
    table = pd.DataFrame(rows)
    # The same table as a German Excel user would save it, to learn reading both (module 1).
    return {"foodbank.csv": table, "foodbank_excel.csv": table, "foodbank.xlsx": table}
