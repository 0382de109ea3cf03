"""Food bank (Tafel): weekly distributions at six sites over 2025. Synthetic.

Seasonal need (more in winter, a dip in the summer holidays), site sizes that differ, a few
closed weeks (public holidays) with zero distributions, and kg per household that varies by site.
See data/datasheets/foodbank.*.md.
"""
import numpy as np
import pandas as pd

SEED = 20250101

SITES = {
    # site: (mean households per week, children per household, kg per household)
    "Altstadt": (210, 0.9, 11.5),
    "Bahnhofsviertel": (260, 0.7, 10.0),
    "Nordstadt": (180, 1.3, 12.5),
    "Südpark": (120, 1.1, 13.0),
    "Weststadt": (150, 1.0, 12.0),
    "Hafen": (90, 0.8, 14.0),
}
CLOSED_WEEKS = {1, 14, 52}  # New Year, Easter, Christmas


def generate() -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(SEED)
    weeks = pd.date_range("2025-01-06", periods=52, freq="7D")  # Mondays
    rows = []
    for site, (households_mean, children_per_household, kg_per_household) in SITES.items():
        for number, monday in enumerate(weeks, start=1):
            season = 1 + 0.18 * np.cos(2 * np.pi * (number - 4) / 52)
            holiday_dip = 0.85 if 29 <= number <= 34 else 1.0
            households = int(rng.poisson(households_mean * season * holiday_dip))
            if number in CLOSED_WEEKS:
                households = 0
            children = int(rng.binomial(households * 3, children_per_household / 3)) if households else 0
            adults = int(households + rng.binomial(households, 0.6)) if households else 0
            kg = round(households * kg_per_household * rng.normal(1, 0.06), 1) if households else 0.0
            volunteers = int(max(0, rng.normal(4 + households / 40, 1.2))) if households else 0
            rows.append({
                "site": site,
                "week": number,
                "date": monday.date().isoformat(),
                "households": households,
                "adults": adults,
                "children": children,
                "kg_distributed": kg,
                "volunteers": volunteers,
            })
    return {"foodbank.csv": pd.DataFrame(rows)}
