"""Volunteer shifts of a neighbourhood help network, typed in by four coordinators over 2025. Synthetic.

The "true" shifts are made first (who helped, when, in which activity, for how many hours, and
whether the shift was confirmed). Then each row is written down the way the coordinator who
typed it would write it (date format, yes/no spelling, hours as free text), and a fixed number of
deliberate flaws is added: exact copies, near duplicates entered by a second person, impossible
dates, year typos, empty dates, stray spaces in names. See data/datasheets/volunteer_shifts.*.md.
"""
import numpy as np
import pandas as pd
from faker import Faker

PUBLISHED_SEED = 20250202  # the data of the site, the lessons and init-course
N_VOLUNTEERS = 36
SKIPPED_SURNAMES = {"Killer"}  # real surname, but distracting in a course

# activity: (weekdays (0 = Monday), volunteers per shift, possible hours, coordinator who usually enters it)
ACTIVITIES = {
    "Einkaufshilfe": ((1, 4), 1, (1.5, 2.0, 2.5), "Petra"),
    "Besuchsdienst": ((2,), 1, (1.5, 2.0), "Mia"),
    "Fahrdienst": ((0, 3), 1, (2.0, 2.5, 3.0, 4.0), "Jonas"),
    "Hausaufgabenhilfe": ((0, 2), 1, (1.5, 2.0), "Yusuf"),
    "Repair-Café": ((5,), 3, (3.0, 3.5, 4.0), "Petra"),
    "Gartenprojekt": ((5,), 2, (2.0, 2.5, 3.0), "Mia"),
}
COORDINATORS = ["Petra", "Yusuf", "Mia", "Jonas"]
SUMMER_HOLIDAYS = (pd.Timestamp("2025-07-24"), pd.Timestamp("2025-09-03"))  # no homework help
WORDS = {1.5: "anderthalb", 2.0: "zwei", 2.5: "zweieinhalb", 3.0: "drei", 3.5: "dreieinhalb", 4.0: "vier"}

# Fixed numbers of deliberate flaws (the datasheet lists them).
N_EXACT_COPIES = 14         # rows copied once; one of them is copied a second time
N_NEAR_DUPLICATES = 10      # shifts entered a second time by another coordinator, in their own style
N_IMPOSSIBLE_DE = 6         # e.g. 31.02.2025 or 29.02.2025 (2025 is no leap year)
N_SWAPPED_ISO = 3           # ISO dates with day and month swapped, month > 12: 2025-14-03
N_SWAPPED_SILENT = 2        # swapped too, but day <= 12: a valid, wrong date nobody can detect
N_YEAR_TYPOS = 3            # 2052 instead of 2025
N_EMPTY_DATES = 2
N_TRAILING_SPACE_YES = 3    # "ja " with an invisible trailing space


def _true_shifts(rng, volunteers):
    """One row per shift that really happened (or was planned), sorted by date."""
    days = pd.date_range("2025-01-02", "2025-12-19", freq="D")
    # Each volunteer helps in one or two activities.
    names = list(ACTIVITIES)
    preferences = {v: set(rng.choice(names, size=int(rng.integers(1, 3)), replace=False)) for v in volunteers}
    rows = []
    for day in days:
        for activity, (weekdays, per_shift, hours, _) in ACTIVITIES.items():
            if day.weekday() not in weekdays:
                continue
            if activity == "Hausaufgabenhilfe" and SUMMER_HOLIDAYS[0] <= day <= SUMMER_HOLIDAYS[1]:
                continue
            if activity == "Repair-Café" and day.day > 7:  # first Saturday of the month
                continue
            if activity == "Gartenprojekt" and not 4 <= day.month <= 10:
                continue
            if rng.random() < 0.12:  # some dates found nobody
                continue
            pool = [v for v in volunteers if activity in preferences[v]]
            chosen = rng.choice(pool, size=min(per_shift, len(pool)), replace=False)
            shift_hours = float(rng.choice(hours))
            for volunteer in chosen:
                rows.append({
                    "date": day,
                    "volunteer": str(volunteer),
                    "activity": activity,
                    "hours": shift_hours,
                    "confirmed": bool(rng.random() < 0.9),
                })
    return rows


def _write_date(day, coordinator):
    if coordinator == "Yusuf":
        return day.strftime("%Y-%m-%d")
    if coordinator == "Mia":
        return f"{day.day}.{day.month}.{day.year}"  # no leading zeros
    return day.strftime("%d.%m.%Y")


def _number(value, comma):
    text = f"{value:g}"
    return text.replace(".", ",") if comma else text


def _write_hours(rng, value, coordinator, allow_unreadable=True):
    r = rng.random()
    if coordinator == "Petra":
        return _number(value, comma=True)
    if coordinator == "Yusuf":
        return _number(value, comma=False)
    if coordinator == "Mia":
        if r < 0.6:
            return _number(value, comma=True) + " h"
        if r < 0.85:
            return _number(value, comma=False) + " h"
        return _number(value, comma=False) + "h"
    # Jonas
    if allow_unreadable and r < 0.12:
        return WORDS[value]
    if allow_unreadable and r < 0.20 and value != int(value):
        return f"{int(value - 0.5)}-{int(value + 0.5)}"
    if r < 0.50:
        return "ca. " + _number(value, comma=True)
    if r < 0.80:
        return _number(value, comma=True) + " Std."
    return _number(value, comma=True)


def _write_yes_no(rng, value, coordinator):
    r = rng.random()
    if coordinator == "Petra":
        return ("ja" if r < 0.85 else "Ja") if value else "nein"
    if coordinator == "Yusuf":
        return ("yes" if r < 0.7 else "ja") if value else "-"
    if coordinator == "Mia":
        return "x" if value else ""
    return ("JA" if r < 0.5 else "Ja") if value else ("nein" if r < 0.6 else "-")


def _stray_spaces(rng, name):
    kind = int(rng.integers(3))
    if kind == 0:
        return " " + name
    if kind == 1:
        return name + " "
    first, rest = name.split(" ", 1)
    return first + "  " + rest


def _pick(rng, candidates, size):
    return [int(i) for i in rng.choice(candidates, size=size, replace=False)]


def generate(seed: int = PUBLISHED_SEED) -> dict[str, pd.DataFrame]:
    """The published tables; another seed gives a variant with the same columns and story, other numbers."""
    rng = np.random.default_rng(seed)
    fake = Faker("de_DE")
    fake.seed_instance(seed)
    volunteers = []
    while len(volunteers) < N_VOLUNTEERS:
        first = fake.first_name_female() if len(volunteers) % 2 else fake.first_name_male()
        last = fake.last_name()
        name = f"{first} {last}"
        if name not in volunteers and " " not in first and last not in SKIPPED_SURNAMES:
            volunteers.append(name)

    shifts = _true_shifts(rng, volunteers)
    for shift in shifts:
        usual = ACTIVITIES[shift["activity"]][3]
        shift["entered_by"] = usual if rng.random() < 0.8 else str(rng.choice([c for c in COORDINATORS if c != usual]))

    entries = []
    for shift in shifts:
        who = shift["entered_by"]
        entries.append({
            "date": _write_date(shift["date"], who),
            "volunteer": shift["volunteer"],
            "activity": shift["activity"],
            "hours": _write_hours(rng, shift["hours"], who),
            "confirmed": _write_yes_no(rng, shift["confirmed"], who),
            "entered_by": who,
        })

    # Deliberate flaws, each on its own rows (no row gets two date flaws).
    n = len(entries)
    free = set(range(n))

    flawed_pairs = set()  # (volunteer, activity) of rows whose date gets lost: at most one row each

    def take(candidates, size):
        """Random free rows; rows whose date becomes unreadable never share volunteer and activity."""
        chosen = []
        for i in _pick(rng, sorted(set(candidates) & free), len(set(candidates) & free)):
            pair = (shifts[i]["volunteer"], shifts[i]["activity"])
            if pair in flawed_pairs:
                continue
            flawed_pairs.add(pair)
            chosen.append(i)
            if len(chosen) == size:
                break
        free.difference_update(chosen)
        return chosen

    short_months = {2, 4, 6, 9, 11}  # months with fewer than 31 days
    german = [i for i in range(n) if shifts[i]["entered_by"] != "Yusuf"]
    iso = [i for i in range(n) if shifts[i]["entered_by"] == "Yusuf"]
    february = take([i for i in german if shifts[i]["date"].month == 2], N_IMPOSSIBLE_DE // 2)
    other_short = take([i for i in german if shifts[i]["date"].month in short_months - {2}], N_IMPOSSIBLE_DE // 2)
    for i in february + other_short:
        day = shifts[i]["date"]
        impossible = int(rng.choice([29, 30, 31])) if day.month == 2 else 31
        entries[i]["date"] = f"{impossible:02d}.{day.month:02d}.{day.year}"
    for i in take([i for i in iso if shifts[i]["date"].day > 12], N_SWAPPED_ISO):
        day = shifts[i]["date"]
        entries[i]["date"] = f"{day.year}-{day.day:02d}-{day.month:02d}"
    silent = [i for i in iso if shifts[i]["date"].day <= 12 and shifts[i]["date"].day != shifts[i]["date"].month]
    for i in _pick(rng, sorted(set(silent) & free), N_SWAPPED_SILENT):
        free.discard(i)
        day = shifts[i]["date"]
        entries[i]["date"] = f"{day.year}-{day.day:02d}-{day.month:02d}"
    for i in take(range(n), N_YEAR_TYPOS):
        entries[i]["date"] = entries[i]["date"].replace("2025", "2052")
    for i in take(range(n), N_EMPTY_DATES):
        entries[i]["date"] = ""
    for i in take([i for i in range(n) if entries[i]["confirmed"] == "ja"], N_TRAILING_SPACE_YES):
        entries[i]["confirmed"] = "ja "
    for i in _pick(rng, range(n), int(round(0.06 * n))):
        entries[i]["volunteer"] = _stray_spaces(rng, entries[i]["volunteer"])

    # Near duplicates: the same shift typed again by another coordinator, in their own style.
    # Only shifts whose first entry has a readable date and readable hours, so nothing is ambiguous.
    readable = [i for i in sorted(free) if entries[i]["hours"][0].isdigit() and "-" not in entries[i]["hours"]]
    near = {}
    for i in _pick(rng, readable, N_NEAR_DUPLICATES):
        free.discard(i)
        shift = shifts[i]
        other = str(rng.choice([c for c in COORDINATORS if c != shift["entered_by"]]))
        volunteer = _stray_spaces(rng, shift["volunteer"]) if rng.random() < 0.5 else shift["volunteer"]
        near[i] = {
            "date": _write_date(shift["date"], other),
            "volunteer": volunteer,
            "activity": shift["activity"],
            "hours": _write_hours(rng, shift["hours"], other, allow_unreadable=False),
            "confirmed": _write_yes_no(rng, shift["confirmed"], other),
            "entered_by": other,
        }

    # Exact copies (copy and paste while merging lists), directly below the original.
    copies = {}
    sources = _pick(rng, sorted(free), N_EXACT_COPIES)
    for k, i in enumerate(sources):
        copies[i] = 2 if k == 0 else 1

    rows = []
    delayed = []  # (position, row): near duplicates appear some rows later
    for i, entry in enumerate(entries):
        rows.append(dict(entry))
        for _ in range(copies.get(i, 0)):
            rows.append(dict(entry))
        if i in near:
            delayed.append((i + int(rng.integers(5, 40)), near[i]))
        for position, row in [d for d in delayed if d[0] == i]:
            rows.append(row)
    for position, row in delayed:
        if position >= len(entries):
            rows.append(row)
    columns = ["date", "volunteer", "activity", "hours", "confirmed", "entered_by"]
    return {"volunteer_shifts.csv": pd.DataFrame(rows, columns=columns)}
