"""Social-services counselling network: 3,000 past intake cases and whether they were urgent. Synthetic.

Each case has features the intake staff recorded (household size, debts, months of rent or energy
arrears, an eviction notice, recorded health issues, earlier contacts), a group attribute
`language_group` (German, or another first language), the label `urgent` that staff recorded at
the time, and `true_need`, the need a later review (with interpreters) found.

The true need depends on the same things for everybody, and on the *actual* health situation.
Deliberate flaw (measurement bias, for module 7): the intake form existed only in German and
interpreters were rarely available, so for people with another first language a health issue
was written down far less often. Where a health issue went unrecorded, staff also recognised an
urgent need less often, so `urgent` under-records need for this group. A model trained on the
recorded data under-selects them. A teaching simplification: in real life nobody knows the true
need of every case. See data/datasheets/urgency.*.md.
"""
import numpy as np
import pandas as pd

PUBLISHED_SEED = 20250707  # the data of the site, the lessons and init-course
N_CASES = 3000
SHARE_OTHER_LANGUAGE = 0.32

# chance that an actual health issue is written down on the intake form
HEALTH_RECORDED = {"German": 0.90, "other": 0.35}
HEALTH_ISSUE = {"German": 0.38, "other": 0.40}   # chance of an actual health issue

# weights of the logistic model that decides the true need (log-odds)
INTERCEPT = -3.4
PER_MONTH_ARREARS = 0.28
PER_1000_EUR_DEBT = 0.05         # capped at 30,000 EUR
EVICTION_NOTICE = 1.7
HEALTH_ISSUE_WEIGHT = 2.3
PER_EXTRA_PERSON = 0.22          # each person in the household beyond the first
PER_EARLIER_CONTACT = 0.12

# how staff recorded `urgent` at the time
RECOGNISED = 0.93                # true need recognised when the file shows the whole picture
RECOGNISED_HEALTH_MISSING = 0.30  # true need recognised when an actual health issue was not recorded
FALSE_URGENT = 0.04              # marked urgent although the review found no urgent need


def generate(seed: int = PUBLISHED_SEED) -> dict[str, pd.DataFrame]:
    """The published tables; another seed gives a variant with the same columns and story, other numbers."""
    rng = np.random.default_rng(seed)
    n = N_CASES

    other = rng.random(n) < SHARE_OTHER_LANGUAGE
    group = np.where(other, "other", "German")

    household_size = (1 + rng.poisson(np.where(other, 1.6, 1.2))).clip(1, 8)
    debts_eur = (np.round(rng.lognormal(8.6, 0.9, n) / 100) * 100).clip(0, 80000).astype(int)
    months_arrears = np.minimum(rng.poisson(0.6 + debts_eur / 6000), 12)
    eviction_chance = 1 / (1 + np.exp(-(-3.6 + 0.45 * months_arrears)))
    eviction_notice = rng.random(n) < eviction_chance
    earlier_contacts = np.minimum(rng.poisson(1.1, n), 9)

    health_actual = rng.random(n) < np.array([HEALTH_ISSUE[g] for g in group])
    recorded_chance = np.array([HEALTH_RECORDED[g] for g in group])
    health_recorded = health_actual & (rng.random(n) < recorded_chance)

    log_odds = (
        INTERCEPT
        + PER_MONTH_ARREARS * months_arrears
        + PER_1000_EUR_DEBT * np.minimum(debts_eur, 30000) / 1000
        + EVICTION_NOTICE * eviction_notice
        + HEALTH_ISSUE_WEIGHT * health_actual
        + PER_EXTRA_PERSON * (household_size - 1)
        + PER_EARLIER_CONTACT * earlier_contacts
    )
    true_need = rng.random(n) < 1 / (1 + np.exp(-log_odds))

    health_missing = health_actual & ~health_recorded
    recognised = rng.random(n) < np.where(health_missing, RECOGNISED_HEALTH_MISSING, RECOGNISED)
    urgent = np.where(true_need, recognised, rng.random(n) < FALSE_URGENT)

    table = pd.DataFrame({
        "case_id": [f"F{i:04d}" for i in range(1, n + 1)],
        "language_group": group,
        "household_size": household_size.astype(int),
        "debts_eur": debts_eur,
        "months_arrears": months_arrears.astype(int),
        "eviction_notice": eviction_notice.astype(int),
        "health_issues_recorded": health_recorded.astype(int),
        "earlier_contacts": earlier_contacts.astype(int),
        "urgent": urgent.astype(int),
        "true_need": true_need.astype(int),
    })
    return {"urgency_cases.csv": table}
