"""Client list of a social counselling service (Sozialberatung), 2025. Synthetic.

Every person is invented (names and streets from Faker ``de_DE`` and small name lists); any
resemblance to real people is chance. The list mixes direct identifiers (name, street), quasi-
identifiers (birth date, age, postcode, gender), two special categories of personal data under
Art. 9 GDPR (a health note, religion) and the counselling itself (topic, visits). Postcodes come
from a few areas, so that generalising them (keeping 2 or 3 digits) makes groups of similar people.
Deliberate features: the person-level columns are very identifying (almost everyone is unique on
age + postcode + gender), "divers" is a small group, and very old clients almost always come about
housing (so some generalised groups are homogeneous in their topic). See data/datasheets/clients.*.md.
"""
import datetime as dt

import numpy as np
import pandas as pd
from faker import Faker

PUBLISHED_SEED = 20250404  # the data of the site, the lessons and init-course
N_CLIENTS = 800
REFERENCE_DATE = dt.date(2025, 12, 31)  # ages are given on this date

# Postcode areas: 3-digit prefix -> (share of clients, 5-digit postcodes in the area).
AREAS = {
    "341": (0.50, ["34117", "34119", "34121", "34123", "34125", "34127", "34130", "34134"]),
    "342": (0.20, ["34225", "34233", "34246", "34253", "34260"]),
    "343": (0.12, ["34317", "34320", "34355"]),
    "370": (0.18, ["37073", "37075", "37081", "37083", "37085"]),
}

GENDERS = (["weiblich", "männlich", "divers"], [0.55, 0.435, 0.015])

LANGUAGES = {
    # first language: share
    "Deutsch": 0.52, "Türkisch": 0.09, "Arabisch": 0.09, "Ukrainisch": 0.08, "Russisch": 0.06,
    "Polnisch": 0.05, "Farsi/Dari": 0.04, "Kurdisch": 0.04, "Englisch": 0.03,
}

# Names for languages that Faker's de_DE does not cover well (Latin transliterations).
NAMES = {
    "Arabisch": (["Fatima", "Amina", "Layla", "Rania", "Nour", "Huda", "Salma", "Yasmin"],
                 ["Ahmad", "Mohammad", "Omar", "Yusuf", "Karim", "Samir", "Tarek", "Khaled"],
                 ["Haddad", "Khalil", "Nasser", "Saleh", "Mansour", "Hamdan", "Darwish", "Aziz", "Sabbagh", "Qasim"]),
    "Ukrainisch": (["Olena", "Oksana", "Iryna", "Natalija", "Tetjana", "Switlana", "Maryna", "Halyna"],
                   ["Andrij", "Taras", "Mykola", "Oleh", "Wolodymyr", "Serhij", "Bohdan", "Jurij"],
                   ["Kowalenko", "Schewtschenko", "Bondarenko", "Tkatschenko", "Krawtschenko", "Melnyk",
                    "Boiko", "Moroz", "Lysenko", "Hnatjuk"]),
    "Russisch": (["Natalja", "Swetlana", "Olga", "Jelena", "Tatjana", "Ljudmila", "Irina", "Anastasia"],
                 ["Sergej", "Dmitrij", "Alexej", "Wladimir", "Juri", "Nikolai", "Pawel", "Igor"],
                 ["Iwanow", "Petrow", "Smirnow", "Kusnezow", "Popow", "Wolkow", "Morosow", "Sokolow",
                  "Lebedew", "Nowikow"]),
    "Farsi/Dari": (["Maryam", "Zahra", "Fariba", "Shirin", "Parisa", "Nasrin", "Soraya", "Mahsa"],
                   ["Ali", "Reza", "Hamid", "Farhad", "Mehdi", "Jawad", "Nasir", "Dawood"],
                   ["Ahmadi", "Hosseini", "Rahimi", "Karimi", "Mohammadi", "Rezaei", "Sultani", "Haidari",
                    "Noori", "Azizi"]),
    "Kurdisch": (["Rojin", "Berfin", "Dilan", "Zozan", "Nareen", "Helin", "Ronahi", "Berivan"],
                 ["Azad", "Serhat", "Rojhat", "Baran", "Diyar", "Shervan", "Kawa", "Zana"],
                 ["Xelil", "Amedi", "Barzani", "Doski", "Rekani", "Sindi", "Zebari", "Hawrami", "Mizuri",
                  "Goyani"]),
}
FAKER_LOCALE = {"Türkisch": "tr_TR", "Polnisch": "pl_PL", "Englisch": "en_GB"}  # others: de_DE

HEALTH_NOTES = [
    "Diabetes", "Depression", "Angststörung", "Schwerbehinderung", "Rollstuhlnutzung",
    "Hörbehinderung", "chronische Schmerzen", "Suchterkrankung", "Schwangerschaft",
]
TOPICS = ["Schulden", "Wohnen", "Arbeit und Jobcenter", "Aufenthalt", "Familie", "Ausbildung"]


def _age(rng) -> int:
    """Adults from 18 to 92, most of them between 25 and 60, some very old."""
    group = rng.choice(["young", "middle", "older", "old"], p=[0.22, 0.48, 0.20, 0.10])
    low, high = {"young": (18, 27), "middle": (27, 60), "older": (60, 78), "old": (78, 93)}[group]
    return int(rng.integers(low, high))


def _birth_date(rng, age: int) -> dt.date:
    """A birth date such that the person is `age` years old on REFERENCE_DATE."""
    latest = REFERENCE_DATE.replace(year=REFERENCE_DATE.year - age)
    return latest - dt.timedelta(days=int(rng.integers(0, 365)))


def _religion(rng, language: str) -> str:
    if rng.random() < 0.45:
        return "keine Angabe"
    options = ["christlich", "muslimisch", "ohne Religion", "jüdisch", "andere"]
    weights = {
        "Deutsch": [0.50, 0.04, 0.42, 0.01, 0.03], "Englisch": [0.45, 0.10, 0.40, 0.02, 0.03],
        "Polnisch": [0.85, 0.01, 0.12, 0.01, 0.01], "Ukrainisch": [0.80, 0.02, 0.15, 0.02, 0.01],
        "Russisch": [0.60, 0.05, 0.28, 0.05, 0.02],
    }.get(language, [0.10, 0.72, 0.13, 0.01, 0.04])
    return str(rng.choice(options, p=weights))


def _topic(rng, age: int, language: str, household_size: int) -> str:
    if age >= 78:  # very old clients: almost always about housing (accessibility, care, rent)
        return "Wohnen" if rng.random() < 0.93 else "Schulden"
    weights = np.array([0.24, 0.22, 0.22, 0.06, 0.16, 0.10])
    if language != "Deutsch":
        weights[3] += 0.22  # Aufenthalt (residence status)
    if age < 27:
        weights[5] += 0.30  # Ausbildung
    if age >= 60:
        weights[[2, 4, 5]] *= 0.2
    if household_size >= 3:
        weights[4] += 0.15  # Familie
    return str(rng.choice(TOPICS, p=weights / weights.sum()))


def _name(rng, fakers: dict, language: str, gender: str) -> str:
    if gender == "divers":
        female = bool(rng.random() < 0.5)
    else:
        female = gender == "weiblich"
    if language in NAMES:
        women, men, surnames = NAMES[language]
        first = str(rng.choice(women if female else men))
        return f"{first} {rng.choice(surnames)}"
    fake = fakers[FAKER_LOCALE.get(language, "de_DE")]
    first = fake.first_name_female() if female else fake.first_name_male()
    return f"{first} {fake.last_name()}"


def generate(seed: int = PUBLISHED_SEED) -> dict[str, pd.DataFrame]:
    """The published tables; another seed gives a variant with the same columns and story, other numbers."""
    rng = np.random.default_rng(seed)
    fakers = {}
    for number, locale in enumerate(["de_DE", "tr_TR", "pl_PL", "en_GB"]):
        fakers[locale] = Faker(locale)
        fakers[locale].seed_instance(seed + number)
    prefixes = list(AREAS)
    area_p = np.array([AREAS[p][0] for p in prefixes])
    languages, language_p = list(LANGUAGES), np.array(list(LANGUAGES.values()))

    rows, seen = [], set()
    for _ in range(N_CLIENTS):
        age = _age(rng)
        gender = str(rng.choice(GENDERS[0], p=GENDERS[1]))
        language = str(rng.choice(languages, p=language_p / language_p.sum()))
        name = _name(rng, fakers, language, gender)
        while name in seen:  # names are unique in this list (real lists have namesakes)
            name = _name(rng, fakers, language, gender)
        seen.add(name)
        prefix = str(rng.choice(prefixes, p=area_p))
        postcode = str(rng.choice(AREAS[prefix][1]))
        if age >= 65:
            household_size = int(rng.choice([1, 2], p=[0.6, 0.4]))
        else:
            household_size = int(min(8, 1 + rng.poisson(1.3 if language == "Deutsch" else 2.0)))
        health = str(rng.choice(HEALTH_NOTES)) if rng.random() < (0.22 if age < 60 else 0.40) else ""
        if health == "Schwangerschaft" and (gender == "männlich" or age > 45):
            health = "Diabetes"
        rows.append({
            "name": name,
            "street": f"{fakers['de_DE'].street_name()} {int(rng.integers(1, 120))}",
            "birth_date": _birth_date(rng, age).isoformat(),
            "age": age,
            "postcode": postcode,
            "gender": gender,
            "language": language,
            "household_size": household_size,
            "health_note": health,
            "religion": _religion(rng, language),
            "counselling_topic": _topic(rng, age, language, household_size),
            "visits": int(rng.geometric(0.3) + rng.poisson(1.0)),  # at least 1
        })
    return {"clients.csv": pd.DataFrame(rows)}
