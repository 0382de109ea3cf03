"""Generative AI in a counselling association (module 11): recorded outputs of chat assistants
with planted errors, staff prompts with personal data, and the client list. Synthetic.

No language model was run. The course authors wrote every source text and every output by hand
as templates; the generator fills in names, amounts, dates and deadlines at random and decides
which outputs carry a planted error. So the data imitates what such tools produce, with errors
whose place and kind are known exactly.

``ai_outputs.csv``: requests to simplify (German to plain German) or translate (German to English)
letters and notices, with the recorded output. Planted errors, one kind per faulty output
(column ``planted_error`` is NOT in the file; ``planted_errors(seed)`` returns it):

- ``frist``: the output changes a deadline or a date (a number differs from the source);
- ``verneinung``: the output drops a negation ("nicht", "kein" ... becomes a positive statement);
- ``paragraf``: the output adds a paragraph reference that is not in the source (and, as far as
  we know, does not exist at all).

``ai_prompts.csv``: prompts that staff typed into a chat assistant; many contain client names,
diagnoses, e-mail addresses or phone numbers. ``ai_clients.csv``: the association's client list
(names only), which a redaction step can use. See data/datasheets/ai_outputs.*.md.

Numbers in the texts are digits and never thousands (no "1.200"), and every correct output keeps
the numbers, paragraph references and negations of its source: the checks taught in the lesson
rely on that, and the tests check it for every seed.
"""
import re
import unicodedata

import numpy as np
import pandas as pd
from faker import Faker

PUBLISHED_SEED = 20261101
N_OUTPUTS = 40
N_PROMPTS = 36
N_CLIENTS = 40
ERROR_SHARE = 0.35
KINDS = ["frist", "verneinung", "paragraf"]

MONTHS = [("Januar", "January"), ("Februar", "February"), ("März", "March"), ("April", "April"),
          ("Mai", "May"), ("Juni", "June"), ("Juli", "July"), ("September", "September"),
          ("Oktober", "October"), ("November", "November")]
# Paragraph references that, to our knowledge, do not exist: the kind a model invents.
INVENTED = ["§ 44c SGB X", "§ 573h BGB", "§ 31d SGB II", "§ 66a SGB I", "§ 24c WoGG", "§ 41c SGB XII"]
DIAGNOSES = ["Depression", "Angststörung", "Diabetes", "HIV", "Schizophrenie", "Alkoholabhängigkeit",
             "Suchterkrankung", "Borderline", "Epilepsie", "Demenz", "Krebserkrankung", "PTBS"]

# Each template: task, source text, correct output, and the planted error variants it allows.
# Slots: {day} {month} {month_en} {amount} {weeks} {days} {bad_*} filled by the generator.
# An error variant is the correct output with one change; "paragraf" inserts INVENTED[...].
TEMPLATES = [
    {
        "key": "miete", "task": "vereinfachen",
        "source": ("Hiermit teilen wir Ihnen mit, dass die Nachzahlung aus der Betriebskostenabrechnung in Höhe von "
                   "{amount} Euro bis zum {day}. {month} auf das bekannte Konto zu überweisen ist. Eine Ratenzahlung "
                   "ist nach vorheriger Absprache mit der Hausverwaltung möglich."),
        "output": ("Sie müssen {amount} Euro nachzahlen. Das Geld ist für die Nebenkosten. Bitte überweisen Sie das "
                   "Geld bis zum {day}. {month}. Sie können auch in Raten zahlen. Dafür sprechen Sie vorher mit der "
                   "Hausverwaltung."),
        "frist": ("Sie müssen {amount} Euro nachzahlen. Das Geld ist für die Nebenkosten. Bitte überweisen Sie das "
                  "Geld bis zum {bad_day}. {month}. Sie können auch in Raten zahlen. Dafür sprechen Sie vorher mit "
                  "der Hausverwaltung."),
        "paragraf": ("Sie müssen {amount} Euro nachzahlen. Das Geld ist für die Nebenkosten. Bitte überweisen Sie das "
                     "Geld bis zum {day}. {month}. Das steht in {invented}. Sie können auch in Raten zahlen. Dafür "
                     "sprechen Sie vorher mit der Hausverwaltung."),
    },
    {
        "key": "widerspruch", "task": "vereinfachen",
        "source": ("Gegen diesen Bescheid kann innerhalb von {weeks} Wochen nach Bekanntgabe Widerspruch erhoben "
                   "werden. Der Widerspruch ist schriftlich oder zur Niederschrift bei der Wohngeldstelle einzulegen."),
        "output": ("Halten Sie den Bescheid für falsch? Dann können Sie Widerspruch einlegen. Dafür haben Sie {weeks} "
                   "Wochen Zeit. Schreiben Sie an die Wohngeldstelle. Oder gehen Sie persönlich hin."),
        "frist": ("Halten Sie den Bescheid für falsch? Dann können Sie Widerspruch einlegen. Dafür haben Sie "
                  "{bad_weeks} Wochen Zeit. Schreiben Sie an die Wohngeldstelle. Oder gehen Sie persönlich hin."),
        "paragraf": ("Halten Sie den Bescheid für falsch? Dann können Sie Widerspruch einlegen. Dafür haben Sie "
                     "{weeks} Wochen Zeit. So steht es in {invented}. Schreiben Sie an die Wohngeldstelle. Oder gehen "
                     "Sie persönlich hin."),
    },
    {
        "key": "mitwirkung", "task": "vereinfachen",
        "source": ("Sie werden gebeten, die fehlenden Kontoauszüge bis spätestens {day}. {month} vorzulegen. Kommen "
                   "Sie Ihrer Mitwirkungspflicht nicht nach, können die Leistungen nach § 66 SGB I ganz oder "
                   "teilweise versagt werden."),
        "output": ("Wir brauchen Ihre Kontoauszüge. Bitte schicken Sie uns die Kontoauszüge bis zum {day}. {month}. "
                   "Schicken Sie die Kontoauszüge nicht, kann das Amt das Geld ganz oder teilweise streichen. Das "
                   "steht in § 66 SGB I."),
        "frist": ("Wir brauchen Ihre Kontoauszüge. Bitte schicken Sie uns die Kontoauszüge bis zum {bad_day}. "
                  "{month}. Schicken Sie die Kontoauszüge nicht, kann das Amt das Geld ganz oder teilweise streichen. "
                  "Das steht in § 66 SGB I."),
        "verneinung": ("Wir brauchen Ihre Kontoauszüge. Bitte schicken Sie uns die Kontoauszüge bis zum {day}. "
                       "{month}. Wenn Sie die Kontoauszüge schicken, kann das Amt das Geld ganz oder teilweise "
                       "streichen. Das steht in § 66 SGB I."),
    },
    {
        "key": "nebenkosten", "task": "übersetzen",
        "source": ("Nach Prüfung Ihrer Unterlagen müssen Sie die Nebenkosten für das Jahr 2025 nicht nachzahlen. "
                   "Das Guthaben von {amount} Euro überweisen wir bis zum {day}. {month} auf Ihr Konto."),
        "output": ("After checking your documents, you do not have to pay extra service charges for the year 2025. "
                   "We will transfer the credit of {amount} euros to your account by {day} {month_en}."),
        "verneinung": ("After checking your documents, you have to pay extra service charges for the year 2025. We "
                       "will transfer the credit of {amount} euros to your account by {day} {month_en}."),
        "frist": ("After checking your documents, you do not have to pay extra service charges for the year 2025. "
                  "We will transfer the credit of {amount} euros to your account by {bad_day} {month_en}."),
    },
    {
        "key": "kuendigung", "task": "übersetzen",
        "source": ("Die Kündigung Ihres Mietvertrags ist unwirksam, weil die Frist von {months} Monaten nicht "
                   "eingehalten wurde. Sie müssen die Wohnung deshalb nicht räumen."),
        "output": ("The termination of your tenancy is invalid because the notice period of {months} months was not "
                   "kept. So you do not have to leave the flat."),
        "verneinung": ("The termination of your tenancy is invalid because the notice period of {months} months was "
                       "not kept. So you have to leave the flat."),
        "frist": ("The termination of your tenancy is invalid because the notice period of {bad_months} months was "
                  "not kept. So you do not have to leave the flat."),
        "paragraf": ("The termination of your tenancy is invalid under {invented} because the notice period of "
                     "{months} months was not kept. So you do not have to leave the flat."),
    },
    {
        "key": "termin", "task": "übersetzen",
        "source": ("Ihr Termin in der Ausländerbehörde findet am {day}. {month} um {hour} Uhr statt. Ohne gültigen "
                   "Pass kann Ihr Aufenthaltstitel nicht verlängert werden."),
        "output": ("Your appointment at the immigration office is on {day} {month_en} at {hour} o'clock. Without a "
                   "valid passport, your residence permit cannot be extended."),
        "frist": ("Your appointment at the immigration office is on {bad_day} {month_en} at {hour} o'clock. Without "
                  "a valid passport, your residence permit cannot be extended."),
        "verneinung": ("Your appointment at the immigration office is on {day} {month_en} at {hour} o'clock. With a "
                       "valid passport, your residence permit can be extended."),
    },
    {
        "key": "kita", "task": "übersetzen",
        "source": ("Für den Kitaplatz Ihres Kindes fallen ab dem 1. {month} keine Gebühren mehr an. Den Antrag auf "
                   "Befreiung müssen Sie nicht erneut stellen."),
        "output": ("From 1 {month_en}, there are no more fees for your child's day-care place. You do not have to "
                   "apply for the exemption again."),
        "verneinung": ("From 1 {month_en}, there are no more fees for your child's day-care place. You have to apply "
                       "for the exemption again."),
        "paragraf": ("From 1 {month_en}, there are no more fees for your child's day-care place, as set out in "
                     "{invented}. You do not have to apply for the exemption again."),
    },
    {
        "key": "strom", "task": "vereinfachen",
        "source": ("Sollte der offene Betrag von {amount} Euro nicht innerhalb von {days} Tagen beglichen werden, "
                   "sind wir berechtigt, die Stromversorgung zu unterbrechen. Die Sperrung wird Ihnen mindestens 8 "
                   "Tage vorher angekündigt."),
        "output": ("Sie haben {amount} Euro nicht bezahlt. Bezahlen Sie das Geld in {days} Tagen. Sonst können wir "
                   "den Strom abstellen. Das sagen wir Ihnen aber 8 Tage vorher."),
        "frist": ("Sie haben {amount} Euro nicht bezahlt. Bezahlen Sie das Geld in {bad_days} Tagen. Sonst können "
                  "wir den Strom abstellen. Das sagen wir Ihnen aber 8 Tage vorher."),
        "paragraf": ("Sie haben {amount} Euro nicht bezahlt. Bezahlen Sie das Geld in {days} Tagen. Sonst können wir "
                     "den Strom abstellen. Das erlaubt {invented}. Das sagen wir Ihnen aber 8 Tage vorher."),
    },
]

PROMPT_TEMPLATES = [
    "Schreib eine freundliche Terminerinnerung an {name} für Dienstag um 10 Uhr.",
    "Fasse die Notizen zusammen: {name} kommt seit März, {diagnosis} seit 2 Jahren, Mietschulden bei der Wohnbau.",
    "Übersetze ins Arabische: Liebe Frau {last}, Ihr Antrag ist angekommen.",
    "Formuliere eine E-Mail an {email}: Die Unterlagen für {name} fehlen noch.",
    "Hilf mir bei einem Brief an das Jobcenter für Herrn {last}. Er hat {diagnosis} und kann nicht Vollzeit arbeiten.",
    "{first} hat angerufen ({phone}) und fragt nach dem Termin. Schreib eine kurze Antwort.",
    "Wie erkläre ich einer Klientin mit {diagnosis} am besten, was eine Mahnung ist?",
    "Schreib einen Vermerk: Gespräch mit {name}, Thema Schulden, nächste Schritte Haushaltsplan.",
    "Erkläre in Einfacher Sprache, was ein Widerspruch ist.",
    "Schreib eine Einladung zum Sommerfest des Vereins am 12. Juli.",
    "Welche Unterlagen braucht man für einen Antrag auf Wohngeld?",
    "Übersetze ins Englische: Die Beratung ist kostenlos und vertraulich.",
    "Entwirf einen Dankesbrief an unsere Spenderinnen und Spender.",
    "Formuliere eine Stellenanzeige für eine Ehrenamtskoordination.",
]


NEGATIONS = {"nicht", "kein", "keine", "keinen", "keinem", "keiner", "keines", "nie", "niemals", "ohne",
             "not", "no", "never", "without", "cannot"}


def facts(text: str) -> dict:
    """What a changed fact shows up in: numbers, paragraph references, negations."""
    words = re.findall(r"[\w']+", text.lower())
    return {"numbers": set(re.findall(r"\d+", text)),
            "paragraphs": set(re.findall(r"§\s*\d+[a-z]?", text)),
            "negations": sum(w in NEGATIONS or w.endswith("n't") for w in words)}


def _fill(rng, template, kind, months):
    """Source and output; a changed deadline is redrawn until its number is new to the source."""
    while True:
        source, output = _draw(rng, template, kind, months)
        if kind != "frist" or facts(output)["numbers"] - facts(source)["numbers"]:
            return source, output


def _draw(rng, template, kind, months):
    month, month_en = months[int(rng.integers(len(months)))]
    day = int(rng.integers(3, 26))
    weeks = int(rng.choice([2, 4]))
    days = int(rng.choice([7, 10, 14]))
    slots = {
        "day": day, "bad_day": day + int(rng.choice([-2, 1, 3, 7])),
        "month": month, "month_en": month_en,
        "amount": int(rng.integers(18, 95)) * 5,
        "weeks": weeks, "bad_weeks": {2: 4, 4: 6}[weeks],
        "days": days, "bad_days": days + 7,
        "months": 3, "bad_months": int(rng.choice([2, 6])),
        "hour": int(rng.integers(8, 16)),
        "invented": INVENTED[int(rng.integers(len(INVENTED)))],
    }
    return template["source"].format(**slots), template[kind if kind else "output"].format(**slots)


def _outputs(rng):
    """Rows and answer key; the planted errors take turns by kind, so every kind occurs."""
    rows, key = [], {}
    tools = ["Chat-Assistent A", "Chat-Assistent B", "Übersetzungsdienst C"]
    error_rows = sorted(int(i) for i in rng.choice(N_OUTPUTS, round(ERROR_SHARE * N_OUTPUTS), replace=False))
    kinds = {row: KINDS[n % len(KINDS)] for n, row in enumerate(error_rows)}
    for i in range(N_OUTPUTS):
        kind = kinds.get(i)
        candidates = [t for t in TEMPLATES if kind is None or kind in t]
        template = candidates[int(rng.integers(len(candidates)))]
        source, output = _fill(rng, template, kind, MONTHS)
        output_id = f"O{i + 1:02d}"
        tool = tools[2] if template["task"] == "übersetzen" and rng.random() < 0.5 else tools[int(rng.integers(2))]
        rows.append({"output_id": output_id, "task": template["task"], "tool": tool,
                     "source_text": source, "output_text": output,
                     "output_lang": "en" if template["task"] == "übersetzen" else "de"})
        key[output_id] = kind or ""
    return pd.DataFrame(rows), key


def _people(seed):
    fake = Faker(["de_DE", "tr_TR", "pl_PL", "it_IT"])
    fake.seed_instance(seed)
    people, seen = [], set()
    while len(people) < N_CLIENTS:
        first, last = fake.first_name(), fake.last_name()
        # One-word names only: the lesson's redaction treats first and last name as single words.
        if " " in first + last or "-" in first + last or first in seen or last in seen:
            continue
        seen.update({first, last})
        people.append((first, last))
    return people


def _ascii(text):
    text = text.replace("ł", "l").replace("ı", "i").replace("ß", "ss")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _prompts(rng, people):
    rows = []
    for i in range(1, N_PROMPTS + 1):
        first, last = people[int(rng.integers(len(people)))]
        template = PROMPT_TEMPLATES[int(rng.integers(len(PROMPT_TEMPLATES)))]
        text = template.format(
            name=f"{first} {last}", first=first, last=last,
            diagnosis=DIAGNOSES[int(rng.integers(len(DIAGNOSES)))],
            email=_ascii(f"{first}.{last}@example.org".lower()),
            phone=f"0{int(rng.integers(151, 179))} {int(rng.integers(1000000, 9999999))}")
        rows.append({"prompt_id": f"P{i:02d}", "staff_role": str(rng.choice(["Beratung", "Verwaltung", "Ehrenamt"])),
                     "prompt_text": text})
    return pd.DataFrame(rows)


def planted_errors(seed: int = PUBLISHED_SEED) -> dict[str, str]:
    """The answer key: output_id -> kind of planted error ("" for a correct output)."""
    return _outputs(np.random.default_rng(seed))[1]


def generate(seed: int = PUBLISHED_SEED) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    outputs, _ = _outputs(rng)
    people = _people(seed)
    clients = pd.DataFrame({"client_id": [f"K{i:03d}" for i in range(1, len(people) + 1)],
                            "first_name": [p[0] for p in people], "last_name": [p[1] for p in people]})
    return {"ai_outputs.csv": outputs, "ai_prompts.csv": _prompts(rng, people), "ai_clients.csv": clients}
