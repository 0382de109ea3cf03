"""Social counselling (Sozialberatung): requests from twelve districts of a fictional city, 2024-2025. Synthetic.

One row per request that led to a first appointment: date, district, topic, language of the
counselling, waiting time in days until the first appointment, and for a follow-up sample the
situation three months later. A second table gives each district's population and a need
indicator at the end of each year. Built-in lessons: the district with the most requests is not the one with the highest
rate per 1,000 residents; waiting times are right-skewed (mean well above median); one district
had a staff vacancy in 2025 (longer waits); one district with high need asks for help rarely;
people counselled in languages other than German are reached less often in the follow-up.
See data/datasheets/counselling.*.md.
"""
import numpy as np
import pandas as pd

PUBLISHED_SEED = 20240301  # the data of the site, the lessons and init-course

DISTRICTS = {
    # district: (population at the end of 2024, requests per 1,000 residents in 2024,
    #            growth of requests 2024->2025, share of residents receiving basic income
    #            support in %, typical wait in days, share of counselling in a language other
    #            than German, population change 2024->2025)
    "Eichenhain": (52_400, 10.0, 1.08, 6.1, 10, 0.10, 1.012),
    "Mühlbachtal": (38_900, 11.0, 1.12, 9.8, 12, 0.14, 1.004),
    "Auenhof": (29_800, 12.5, 1.10, 10.6, 10, 0.12, 1.007),
    "Rosenbühl": (27_300, 9.0, 1.05, 7.5, 9, 0.08, 0.998),
    "Am Schlosspark": (24_100, 4.5, 1.04, 2.9, 8, 0.04, 1.003),
    "Kastanienhof": (21_600, 6.0, 1.02, 17.9, 11, 0.30, 1.015),
    "Nordheide": (33_100, 14.0, 1.12, 12.4, 11, 0.16, 1.009),
    "Wiesengrund": (18_500, 18.0, 1.10, 11.0, 10, 0.12, 0.996),
    "Birkenweiler": (16_700, 7.0, 1.09, 5.4, 9, 0.06, 1.001),
    "Sonnenhang": (14_200, 5.0, 0.95, 3.2, 8, 0.05, 0.994),
    "Ginsterheide": (12_300, 15.5, 1.14, 13.1, 12, 0.20, 1.021),
    "Talwiesen": (9_800, 26.0, 1.15, 14.2, 14, 0.18, 0.991),
}
VACANCY = ("Nordheide", "2025-04-01", "2025-10-31")  # a counsellor post stayed empty: longer waits

# More requests in winter (heating and service-charge bills), fewer in the summer holidays.
SEASON = np.array([1.25, 1.15, 1.10, 1.00, 0.95, 0.90, 0.85, 0.70, 0.95, 1.05, 1.05, 1.05])
SEASON = SEASON / SEASON.mean()

TOPICS = {"Existenzsicherung": 0.26, "Schulden": 0.24, "Wohnen": 0.22, "Familie": 0.13,
          "Arbeit": 0.10, "Aufenthalt": 0.05}
OTHER_LANGUAGES = {"Arabisch": 0.28, "Türkisch": 0.22, "Ukrainisch": 0.20, "Russisch": 0.12,
                   "Farsi": 0.10, "Englisch": 0.08}
# Follow-up: a random 30 % of requests made by the end of September 2025 are to be called three
# months later; not everyone is reached.
FOLLOW_UP_SHARE = 0.30
FOLLOW_UP_UNTIL = "2025-09-30"
REACHED = {"Deutsch": 0.75, "other": 0.40}
OUTCOMES = ["gelöst", "teilweise gelöst", "nicht gelöst"]


def _districts(rng: np.random.Generator) -> pd.DataFrame:
    """Population and need indicator at the end of each year (long format: district x year)."""
    rows = []
    for name, (population, _, _, benefits, _, _, change) in DISTRICTS.items():
        rows.append({"district": name, "year": 2024, "population": population,
                     "benefits_share_percent": benefits})
        rows.append({"district": name, "year": 2025, "population": int(round(population * change, -1)),
                     "benefits_share_percent": round(benefits + rng.normal(0, 0.3), 1)})
    return pd.DataFrame(rows)


def _requests(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    vacancy_start, vacancy_end = pd.Timestamp(VACANCY[1]), pd.Timestamp(VACANCY[2])
    topic_names, topic_p = list(TOPICS), np.array(list(TOPICS.values()))
    lang_names, lang_p = list(OTHER_LANGUAGES), np.array(list(OTHER_LANGUAGES.values()))
    for year in (2024, 2025):
        for month in range(1, 13):
            first = pd.Timestamp(year=year, month=month, day=1)
            days = first.days_in_month
            for district, (population, rate, growth, _, wait, other_share, _) in DISTRICTS.items():
                yearly = population / 1000 * rate * (growth if year == 2025 else 1.0)
                n = int(rng.poisson(yearly / 12 * SEASON[month - 1]))
                for _ in range(n):
                    date = first + pd.Timedelta(days=int(rng.integers(0, days)))
                    topic = topic_names[rng.choice(len(topic_names), p=topic_p)]
                    language = "Deutsch"
                    if rng.random() < other_share:
                        language = lang_names[rng.choice(len(lang_names), p=lang_p)]
                    typical = wait * (2.2 if district == VACANCY[0] and vacancy_start <= date <= vacancy_end else 1.0)
                    if rng.random() < 0.05:  # emergencies are seen the same day
                        waiting = 0
                    else:
                        waiting = int(round(rng.lognormal(np.log(typical), 0.6)))
                        if rng.random() < 0.04:  # lost on a waiting list for a while
                            waiting += int(rng.integers(40, 121))
                    outcome = None  # empty in the CSV: no follow-up
                    if date <= pd.Timestamp(FOLLOW_UP_UNTIL) and rng.random() < FOLLOW_UP_SHARE:
                        reached = REACHED["Deutsch" if language == "Deutsch" else "other"]
                        if rng.random() < reached:
                            solved = 0.50 - 0.004 * min(waiting, 60) - (0.10 if topic == "Schulden" else 0.0)
                            p = np.array([solved, 0.30, 0.70 - solved])
                            outcome = OUTCOMES[rng.choice(3, p=p / p.sum())]
                    rows.append({
                        "date": date,
                        "district": district,
                        "topic": topic,
                        "language": language,
                        "waiting_days": waiting,
                        "outcome_3m": outcome,
                    })
    frame = pd.DataFrame(rows).sort_values(["date", "district"], kind="stable").reset_index(drop=True)
    year = frame["date"].dt.year
    number = frame.groupby(year).cumcount() + 1
    frame.insert(0, "request_id", [f"B-{y}-{n:04d}" for y, n in zip(year, number)])
    frame.insert(2, "year", year)
    frame.insert(3, "month", frame["date"].dt.month)
    frame["date"] = frame["date"].dt.date.astype(str)
    return frame


def generate(seed: int = PUBLISHED_SEED) -> dict[str, pd.DataFrame]:
    """The published tables; another seed gives a variant with the same columns and story, other numbers."""
    rng = np.random.default_rng(seed)
    requests = _requests(rng)
    return {"counselling_requests.csv": requests, "districts.csv": _districts(rng)}
