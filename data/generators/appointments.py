"""Counselling centre: 2,400 past appointments and whether the client missed them. Synthetic.

The outcome `missed` comes from a logistic model: a long lead time, earlier missed appointments
and no SMS reminder raise the chance of a no-show a lot; distance, first visit, hour, weekday and
age band only a little; the preferred language has no direct effect at all. But the SMS reminder
text exists only in German and English, so clients with another preferred language got fewer
reminders: language is linked to `missed` through `sms_reminder` (a proxy, for the fairness
module). Used by modules 5 (first model), 6 (errors and costs), 7 (fairness) and 9 (model cards).
See data/datasheets/appointments.*.md.
"""
import numpy as np
import pandas as pd

PUBLISHED_SEED = 20250505  # the data of the site, the lessons and init-course
N_APPOINTMENTS = 2400

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri"]
HOURS = [8, 9, 10, 11, 13, 14, 15, 16]
AGE_BANDS = ["18-24", "25-34", "35-49", "50-64", "65+"]
AGE_SHARES = [0.14, 0.27, 0.30, 0.19, 0.10]
# preferred language: (share of clients, chance of getting an SMS reminder)
LANGUAGES = {
    "de": (0.52, 0.72),
    "en": (0.06, 0.70),
    "ar": (0.12, 0.30),
    "tr": (0.10, 0.32),
    "uk": (0.09, 0.30),
    "ru": (0.06, 0.32),
    "fa": (0.05, 0.28),
}

# weights of the logistic model that decides `missed` (log-odds)
INTERCEPT = -2.9
PER_LEAD_DAY = 0.10             # per day between booking and appointment
PER_PREVIOUS_MISS = 0.9         # per earlier missed appointment
SMS_REMINDER = -1.2             # a reminder by SMS was sent
FIRST_VISIT = 0.25
PER_KM = 0.012                  # per km to the centre
EARLY_HOUR = 0.15               # appointments at 8 or 9 o'clock
WEEKDAY = {"Mon": 0.12, "Tue": 0.0, "Wed": 0.0, "Thu": 0.0, "Fri": 0.15}
AGE = {"18-24": 0.30, "25-34": 0.15, "35-49": 0.0, "50-64": -0.10, "65+": -0.15}


def generate(seed: int = PUBLISHED_SEED) -> dict[str, pd.DataFrame]:
    """The published tables; another seed gives a variant with the same columns and story, other numbers."""
    rng = np.random.default_rng(seed)
    n = N_APPOINTMENTS

    workdays = pd.bdate_range("2024-01-08", "2025-12-19")
    dates = pd.DatetimeIndex(np.sort(rng.choice(workdays, size=n)))
    weekday = np.array([WEEKDAYS[d] for d in dates.day_of_week])
    hour = rng.choice(HOURS, size=n)

    first_visit = rng.random(n) < 0.35
    # first visits have no history; follow-ups sometimes have earlier misses
    previous_misses = np.where(first_visit, 0, np.minimum(rng.poisson(0.55, n), 6))
    # follow-ups are often booked weeks ahead, first visits wait for a free slot
    lead_time_days = np.where(
        first_visit,
        rng.gamma(2.0, 6.0, n),
        rng.gamma(1.6, 9.0, n),
    ).round().clip(0, 70).astype(int)

    language_codes = list(LANGUAGES)
    shares = np.array([LANGUAGES[c][0] for c in language_codes])
    language = rng.choice(language_codes, size=n, p=shares / shares.sum())
    sms_chance = np.array([LANGUAGES[c][1] for c in language])
    sms_reminder = rng.random(n) < sms_chance

    age_band = rng.choice(AGE_BANDS, size=n, p=AGE_SHARES)
    distance_km = np.round(rng.gamma(2.0, 3.2, n) + 0.3, 1).clip(0.3, 45.0)

    log_odds = (
        INTERCEPT
        + PER_LEAD_DAY * lead_time_days
        + PER_PREVIOUS_MISS * previous_misses
        + SMS_REMINDER * sms_reminder
        + FIRST_VISIT * first_visit
        + PER_KM * distance_km
        + EARLY_HOUR * np.isin(hour, [8, 9])
        + np.array([WEEKDAY[d] for d in weekday])
        + np.array([AGE[a] for a in age_band])
    )
    chance = 1 / (1 + np.exp(-log_odds))
    missed = rng.random(n) < chance

    table = pd.DataFrame({
        "appointment_id": [f"T{i:04d}" for i in range(1, n + 1)],
        "date": [d.date().isoformat() for d in dates],
        "weekday": weekday,
        "hour": hour,
        "lead_time_days": lead_time_days,
        "first_visit": first_visit.astype(int),
        "previous_misses": previous_misses.astype(int),
        "sms_reminder": sms_reminder.astype(int),
        "distance_km": distance_km,
        "age_band": age_band,
        "language": language,
        "missed": missed.astype(int),
    })
    return {"appointments.csv": table}
