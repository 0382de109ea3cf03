"""The AI register of an invented welfare association (module 12): one row per system it uses or
plans, with the facts its data protection officer recorded in a checklist. Synthetic.

Rows S01 to S06 are the course's own systems (modules 5 to 8 and the chatbot of module 11), with
fixed facts; the other rows come from templates of systems that nonprofits really use or are
offered (spam filter, CV screening, emotion recognition in video calls ...), in random order, with
a random department, number of people affected per year and, for some, a random fact that
changes the legal answer (on behalf of the city or not, profiling or not).

The checklist records facts, not legal conclusions: which Annex III point of the AI Act a use
falls under, whether it only prepares a human decision, whether it profiles people, and the
criteria the supervisory authorities use for a data protection impact assessment. The legal
rules that turn these facts into a risk tier, the articles that apply and whether a DPIA is
required are taught in the lesson and applied in the exercise. See data/datasheets/ai_register.*.md.
"""
import numpy as np
import pandas as pd

PUBLISHED_SEED = 20261112
DEPARTMENTS = ["Schuldnerberatung", "Migrationsberatung", "Wohnungslosenhilfe", "Familienzentrum",
               "Geschäftsstelle", "Ehrenamtsbüro", "Jugendhilfe", "Suchtberatung"]

# Checklist columns and their defaults; every system names only what differs.
FACTS = {
    "is_ai_system": 1,          # learns or infers from data (Art. 3 No. 1 AI Act); a fixed formula is not
    "prohibited_practice": "",  # point of Art. 5(1) AI Act the use falls under, e.g. "c" (social scoring)
    "annex_iii": "",            # point of Annex III AI Act the use falls under, e.g. "5(a)"
    "public_service": 0,        # deployer provides a public service or acts on behalf of a public body
    "profiling": 0,             # evaluates personal aspects of people (Art. 4 No. 4 GDPR)
    "preparatory_only": 0,      # only a narrow procedural or preparatory task (Art. 6(3) AI Act)
    "interacts_with_people": 0,  # talks or writes directly with people (Art. 50(1) AI Act)
    "deep_fake": 0,             # makes image, sound or video of real people that looks real (Art. 50(4))
    "personal_data": 1,
    "special_categories": 0,    # health, ethnic origin ... (Art. 9(1) GDPR)
    "vulnerable_people": 0,     # people in a position of dependency: clients, children, employees
    "evaluation_scoring": 0,
    "significant_effect": 0,    # decisions with legal or similarly significant effect on people
    "new_technology": 1,        # machine learning and language models count as new technology
    "systematic_monitoring": 0,
}

COURSE_SYSTEMS = [
    ("S01", "Terminerinnerung", "5", "Schuldnerberatung",
     "Ein Modell schätzt, wer einen Beratungstermin wahrscheinlich verpasst; diese Personen bekommen am Vortag "
     "einen zusätzlichen Erinnerungsanruf. Niemand verliert einen Termin.",
     "A model estimates who will probably miss a counselling appointment; these people get an extra reminder "
     "call the day before. Nobody loses an appointment.",
     dict(profiling=1, vulnerable_people=1, evaluation_scoring=1)),
    ("S02", "Terminvergabe nach Ausfallrisiko", "6", "Schuldnerberatung",
     "Dasselbe Modell, aber wer als „verpasst wahrscheinlich“ gilt, bekommt keinen Termin in diesem Monat. Die "
     "Schuldnerberatung erbringt der Verein im Auftrag der Stadt; die Mitarbeitenden übernehmen die Liste meist "
     "unverändert.",
     "The same model, but whoever counts as 'probably misses' gets no appointment this month. The association "
     "provides the debt counselling on behalf of the city; staff mostly adopt the list unchanged.",
     dict(annex_iii="5(a)", public_service=1, profiling=1, vulnerable_people=1, evaluation_scoring=1,
          significant_effect=1)),
    ("S03", "Dringlichkeitswert", "7", "Sozialberatung",
     "Ein Modell schätzt aus früheren Fällen, wie dringend eine Anfrage ist; die dringendsten bekommen in dieser "
     "Woche einen Termin, die anderen kommen auf die Warteliste. Der Verbund erbringt die Sozialberatung im "
     "Auftrag der Stadt. Die Anfragen enthalten oft Gesundheitsdaten.",
     "A model estimates from past cases how urgent a request is; the most urgent get an appointment this week, "
     "the others go on the waiting list. The network provides the social counselling on behalf of the city. The "
     "requests often contain health data.",
     dict(annex_iii="5(a)", public_service=1, profiling=1, special_categories=1, vulnerable_people=1,
          evaluation_scoring=1, significant_effect=1)),
    ("S04", "Anfragen-Sortierung", "8", "Beratungsverein",
     "Ein Textklassifikator schlägt für jede eingehende Anfrage das Team vor (Wohnen, Geld, Arbeit, Gesundheit, "
     "Aufenthalt); ein Mensch sieht jede Anfrage an und sortiert. Die Anfragen enthalten oft Gesundheitsdaten.",
     "A text classifier suggests the team for every incoming request (housing, money, work, health, residence); "
     "a person looks at every request and sorts it. The requests often contain health data.",
     dict(special_categories=1, vulnerable_people=1)),
    ("S05", "Chatbot auf der Website", "11", "Beratungsverein",
     "Ein Chatbot auf Basis eines gemieteten Sprachmodells beantwortet allgemeine Fragen zu Wohngeld und Schulden "
     "und verweist für Einzelfälle an die Beratung. Der Verein stellt ihn unter eigenem Namen bereit. Ratsuchende "
     "tippen oft persönliche Angaben ein.",
     "A chatbot based on a rented language model answers general questions on housing benefit and debts and "
     "refers individual cases to counselling. The association offers it under its own name. Clients often type "
     "in personal details.",
     dict(interacts_with_people=1, vulnerable_people=1)),
    ("S06", "Lesbarkeitsprüfung", "8", "Öffentlichkeitsarbeit",
     "Eine feste Formel (Flesch-Wert, Wiener Sachtextformel) misst die Lesbarkeit von Musterbriefen ohne Namen.",
     "A fixed formula (Flesch score, Wiener Sachtextformel) measures the readability of model letters without "
     "names.",
     dict(is_ai_system=0, personal_data=0, new_technology=0)),
]

# Systems that only concern staff, volunteers or a few people: never "large scale".
STAFF_ONLY = {"Schichtplanung", "Bewerbungs-Vorauswahl", "Stimmungsanalyse in Teamcalls", "FAQ-Chatbot für Ehrenamtliche",
              "Kampagnenvideo mit KI-Stimme", "Förderantrags-Entwürfe", "Statistik-Makro"}

# Systems that always concern many people.
MANY_PEOPLE = {"Bedarfsprognose der Tafel"}

# (name, description de, description en, facts, random facts: column -> sentences added when it is 1)
TEMPLATES = [
    ("Spamfilter", "Ein lernender Filter sortiert Spam aus dem Vereinspostfach.",
     "A learning filter sorts spam out of the association's mailbox.", dict(new_technology=0), {}),
    ("Übersetzung von Aushängen", "Ein Übersetzungsdienst übersetzt Aushänge ohne Namen in sechs Sprachen; eine "
     "Muttersprachlerin liest gegen.", "A translation service translates notices without names into six "
     "languages; a native speaker checks them.", dict(personal_data=0), {}),
    ("Bewerbungs-Vorauswahl", "Ein Programm ordnet Bewerbungen auf Stellen im Verein nach Passung und schlägt vor, "
     "wer eingeladen wird.", "A program ranks applications for jobs at the association by fit and suggests whom "
     "to invite.", dict(annex_iii="4(a)", profiling=1, evaluation_scoring=1, significant_effect=1), {}),
    ("Stimmungsanalyse in Teamcalls", "Eine Software erkennt in Videocalls aus Gesicht und Stimme die Stimmung "
     "der Mitarbeitenden und meldet sie der Leitung.", "Software recognises the mood of staff from face and "
     "voice in video calls and reports it to management.",
     dict(prohibited_practice="f", special_categories=1, vulnerable_people=1, systematic_monitoring=1), {}),
    ("Spenden-Prognose", "Ein Modell schätzt, welche Spenderinnen und Spender auf einen Brief mit höherem Betrag "
     "reagieren.", "A model estimates which donors will respond to a letter with a higher amount.",
     dict(profiling=1, evaluation_scoring=1), {}),
    ("Kampagnenvideo mit KI-Stimme", "Für eine Kampagne spricht ein KI-erzeugtes Video mit Gesicht und Stimme "
     "der echten Vorsitzenden einen Text, den sie nie gesprochen hat.", "For a campaign, an AI-generated video "
     "with the face and voice of the real chair speaks a text she never said.", dict(deep_fake=1), {}),
    ("Punktekonto für Nutzende", "Aus dem Verhalten in Kleiderkammer, Sprachcafé und bei Terminen entsteht ein "
     "Punktwert; wer wenige Punkte hat, darf nicht mehr bei der Tafel einkaufen.", "A score is computed from "
     "behaviour in the clothing store, the language café and at appointments; whoever has few points may no "
     "longer shop at the food bank.", dict(prohibited_practice="c", profiling=1, vulnerable_people=1,
                                           evaluation_scoring=1, significant_effect=1), {}),
    ("Schichtplanung", "Ein Programm schlägt Schichtpläne für Ehrenamtliche nach ihren eingetragenen Wünschen "
     "vor.", "A program suggests shift plans for volunteers according to the wishes they entered.", {}, {}),
    ("Krisentelefon-Triage", "Ein Modell ordnet eingehende Anrufe beim Krisentelefon nach Dringlichkeit und "
     "entscheidet, wer sofort zurückgerufen wird.", "A model ranks incoming calls to the crisis line by urgency "
     "and decides who is called back at once.", dict(annex_iii="5(d)", profiling=1, special_categories=1,
                                                     vulnerable_people=1, significant_effect=1), {}),
    ("Mikrokredit-Prüfung", "Ein Modell bewertet die Kreditwürdigkeit von Menschen, die einen Mikrokredit des "
     "Vereins beantragen.", "A model assesses the creditworthiness of people who apply for a microloan from "
     "the association.", dict(annex_iii="5(b)", profiling=1, vulnerable_people=1, evaluation_scoring=1,
                              significant_effect=1), {}),
    ("FAQ-Chatbot für Ehrenamtliche", "Ein Chatbot im Intranet beantwortet Fragen von Ehrenamtlichen zu "
     "Abläufen.", "A chatbot on the intranet answers volunteers' questions about procedures.",
     dict(interacts_with_people=1), {}),
    ("Telefonassistent", "Ein Sprachassistent nimmt Anrufe an, fragt nach dem Anliegen und vereinbart Termine.",
     "A voice assistant answers calls, asks for the concern and makes appointments.",
     dict(interacts_with_people=1, vulnerable_people=1), {}),
    ("Förderantrags-Entwürfe", "Ein Sprachmodell schreibt Entwürfe für Förderanträge aus Projektbeschreibungen "
     "ohne Personendaten.", "A language model drafts grant applications from project descriptions without "
     "personal data.", dict(personal_data=0), {}),
    ("Bedarfsprognose der Tafel", "Ein Modell sagt aus den gezählten Ausgaben der letzten Jahre (ohne Namen, nur "
     "Summen pro Woche und Standort) voraus, wie viele Haushalte nächste Woche kommen.", "A model predicts from the "
     "counted distributions of past years (no names, only totals per week and site) how many households will come "
     "next week.", dict(personal_data=0), {}),
    ("Statistik-Makro", "Ein Tabellenmakro zählt Beratungen nach festen Regeln (Monat, Thema) für den "
     "Jahresbericht.", "A spreadsheet macro counts counselling sessions by fixed rules (month, topic) for the "
     "annual report.", dict(is_ai_system=0, new_technology=0), {}),
    ("Sprachkurs-Bewertung", "Eine Lernplattform bewertet die Abschlusstests im Deutschkurs des Vereins "
     "automatisch.", "A learning platform grades the final tests of the association's German course "
     "automatically.", dict(annex_iii="3(b)", profiling=1, evaluation_scoring=1, significant_effect=1),
     {"public_service": (" Der Kurs ist ein Integrationskurs im Auftrag des Bundesamts.",
                         " The course is an integration course on behalf of the federal office.")}),
    ("Wohnungsvergabe-Rangliste", "Ein Modell ordnet Bewerbungen um Belegwohnungen, die der Verein im Auftrag "
     "der Stadt vergibt.", "A model ranks applications for flats that the association allocates on behalf of "
     "the city.", dict(annex_iii="5(a)", public_service=1, profiling=1, evaluation_scoring=1, significant_effect=1,
                       vulnerable_people=1), {}),
    ("Eingangspost-Sortierung", "Ein Modell sortiert eingescannte Unterlagen für Anträge, die der Verein im "
     "Auftrag der Stadt bearbeitet, nach Dokumentart (Kontoauszug, Mietvertrag, Bescheid); Menschen prüfen die "
     "Anträge.", "A model sorts scanned documents for applications that the association processes on behalf of "
     "the city by document type (bank statement, tenancy agreement, decision); people assess the applications.",
     dict(annex_iii="5(a)", public_service=1, preparatory_only=1, vulnerable_people=1),
     {"special_categories": (" Unter den Unterlagen sind oft ärztliche Atteste.",
                             " The documents often include medical certificates.")}),
    ("Bewilligungs-Prognose", "Ein Modell schätzt für jede Person, deren Antrag der Verein im Auftrag der Stadt "
     "vorbereitet, ob er wahrscheinlich bewilligt wird; die Sachbearbeitung sieht den Wert als Hinweis und "
     "entscheidet selbst.", "A model estimates for every person whose application the association prepares on "
     "behalf of the city whether it is likely to be granted; caseworkers see the value as a hint and decide "
     "themselves.", dict(annex_iii="5(a)", public_service=1, preparatory_only=1, profiling=1, vulnerable_people=1,
                         evaluation_scoring=1), {}),
]


def _row(system_id, name, module, department, text_de, text_en, facts, people):
    return {"system_id": system_id, "name": name, "course_module": module, "department": department,
            "description_de": text_de, "description_en": text_en, **{**FACTS, **facts},
            "people_per_year": people}


def generate(seed: int = PUBLISHED_SEED) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    rows = [_row(sid, name, module, dept, de, en, facts, int(rng.integers(200, 3000)))
            for sid, name, module, dept, de, en, facts in COURSE_SYSTEMS]
    for n, i in enumerate(rng.permutation(len(TEMPLATES)), start=len(rows) + 1):
        name, de, en, facts, random_facts = TEMPLATES[i]
        for column, (extra_de, extra_en) in random_facts.items():
            facts = {**facts, column: int(rng.integers(2))}
            if facts[column]:
                de, en = de + extra_de, en + extra_en
        if name in STAFF_ONLY:
            people = int(rng.integers(5, 400))
        elif name in MANY_PEOPLE or rng.integers(2):
            people = int(rng.integers(5000 if name in MANY_PEOPLE else 1000, 30000))
        else:
            people = int(rng.integers(20, 900))
        rows.append(_row(f"S{n:02d}", name, "", str(rng.choice(DEPARTMENTS)), de, en, facts, people))
    register = pd.DataFrame(rows)
    # Large scale is the course's rule of thumb (the GDPR names no number): 5000 people a year or more.
    register["large_scale"] = (register["people_per_year"] >= 5000).astype(int)
    return {"ai_register.csv": register}
