"""Texts for module 8: official-style letters with plain-language rewrites, and incoming requests
to a counselling association, labelled by topic. Synthetic.

``letters.csv``: 20 invented letters from authorities, landlords and companies, written in the
style of German official letters ("Amtsdeutsch"), each with a rewrite in plain German (Einfache
Sprache) by the course authors and a one-sentence English gloss. Names, amounts, months and the
like are filled in at random. The rewrites were NOT checked by a Prüfgruppe, so they are not
Leichte Sprache. Two rewrites deliberately drop an important fact (column ``missing_in_plain``).

``requests.csv``: 480 short requests (e-mail, contact form, messenger, phone notes) to an invented
counselling association, built from templates with alternatives, word lists, greetings, typos and
lower-case messages. Each has the topic a member of staff assigned. Built in: unequal topic sizes,
requests that touch two topics (``ambiguous = 1``, labelled with the topic staff judged more
urgent), vague requests that name no topic at all (labelled after a phone call, also
``ambiguous = 1``) and a few labelling mistakes. See data/datasheets/texts.*.md.

Avoid dots inside sentences in the templates (no "z. B.", no dates like 14.03.): simple sentence
counters split there.
"""
import re

import numpy as np
import pandas as pd
from faker import Faker

PUBLISHED_SEED = 20250808  # the data of the site, the lessons and init-course
N_REQUESTS = 480

MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
          "Oktober", "November", "Dezember"]
COMPANIES = ["Nordnetz Mobilfunk GmbH", "Stadtwerke Lindenau", "Versandhaus Kaufrausch GmbH",
             "FitPoint Studios GmbH", "Elektro Sommer KG", "Kreditbank Mitte AG"]
JOBS = ["Pflegehelferin", "Lagerarbeiter", "Reinigungskraft", "Koch", "Erzieherin", "Elektriker",
        "Busfahrer", "Verkäuferin", "Friseurin", "Maler"]
WEEKDAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag"]

# (letter_id, sender, topic, original, plain, gloss_en, missing_in_plain)
LETTERS = [
    ("B01", "Jobcenter", "Arbeit",
     "Sehr geehrte Frau {name}, zur abschließenden Bearbeitung Ihres Antrags auf Leistungen zur Sicherung des "
     "Lebensunterhalts nach dem Zweiten Buch Sozialgesetzbuch werden Sie gebeten, die nachstehend aufgeführten "
     "Unterlagen bis spätestens Ende {month} vorzulegen. Kommen Sie Ihrer Mitwirkungspflicht nicht nach, können die "
     "beantragten Leistungen gemäß § 66 SGB I bis zur Nachholung der Mitwirkung ganz oder teilweise versagt werden. "
     "Für Rückfragen steht Ihnen Ihre zuständige Sachbearbeiterin zur Verfügung.",
     "Sie haben Bürgergeld beantragt. Wir brauchen noch Unterlagen von Ihnen. Die Liste steht unten. Bitte schicken "
     "Sie uns die Unterlagen bis Ende {month}. Ohne die Unterlagen bekommen Sie vielleicht kein Geld. Haben Sie "
     "Fragen? Dann rufen Sie Ihre Sachbearbeiterin an.",
     "The job centre needs more documents for a benefit claim by the end of {month_en}; without them the benefit "
     "may be refused.", ""),
    ("B02", "Wohngeldstelle", "Wohnen",
     "Ihr Antrag auf Gewährung von Wohngeld wird abgelehnt, da das zu berücksichtigende Gesamteinkommen Ihres "
     "Haushalts die maßgebliche Höchstgrenze übersteigt. Gegen diesen Bescheid kann innerhalb eines Monats nach "
     "Bekanntgabe Widerspruch erhoben werden. Der Widerspruch ist schriftlich oder zur Niederschrift bei der "
     "Wohngeldstelle einzulegen.",
     "Sie haben Wohngeld beantragt. Sie bekommen kein Wohngeld. Der Grund ist: Ihr Haushalt hat zu viel Einkommen. "
     "Sind Sie nicht einverstanden? Dann können Sie Widerspruch einlegen. Widerspruch heißt: Sie sagen dem Amt, "
     "dass die Entscheidung falsch ist. Dafür haben Sie einen Monat Zeit. Schreiben Sie an die Wohngeldstelle. Oder "
     "gehen Sie persönlich hin.",
     "A housing benefit claim is refused because the household income is too high; an objection is possible "
     "within one month.", ""),
    ("B03", "Krankenkasse", "Gesundheit",
     "Wir weisen Sie darauf hin, dass für Ihr Versicherungsverhältnis Beitragsrückstände in Höhe von {amount} Euro "
     "bestehen. Sofern der rückständige Betrag nicht innerhalb von zwei Wochen ab Zugang dieses Schreibens "
     "beglichen wird, ruhen Ihre Leistungsansprüche mit Ausnahme der Behandlung akuter Erkrankungen und "
     "Schmerzzustände. Eine Ratenzahlung kann auf Antrag vereinbart werden.",
     "Sie haben Ihre Beiträge nicht ganz bezahlt. Es fehlen {amount} Euro. Bitte zahlen Sie das Geld in den "
     "nächsten zwei Wochen. Sonst bezahlt die Krankenkasse nur noch Notfälle. Notfälle sind plötzliche Krankheiten "
     "und Schmerzen. Sie können das Geld auch in Raten zahlen. Raten heißt: Sie zahlen jeden Monat einen kleinen "
     "Teil. Dafür müssen Sie einen Antrag stellen.",
     "The health insurer reports unpaid contributions of {amount} euros; if they are not paid within two weeks, "
     "only emergency care is covered. Payment in instalments is possible on request.", ""),
    ("B04", "Ausländerbehörde", "Aufenthalt",
     "Ihre Aufenthaltserlaubnis läuft zum Ende des Monats {month} ab. Zur Verlängerung des Aufenthaltstitels ist "
     "eine persönliche Vorsprache unter Vorlage eines gültigen Nationalpasses, eines aktuellen biometrischen "
     "Lichtbildes sowie eines Nachweises über die Sicherung des Lebensunterhalts erforderlich. Bei rechtzeitiger "
     "Antragstellung gilt der bisherige Aufenthaltstitel bis zur Entscheidung der Behörde als fortbestehend.",
     "Ihre Aufenthaltserlaubnis gilt bis Ende {month}. Sie möchten länger in Deutschland bleiben? Dann müssen Sie "
     "zur Ausländerbehörde kommen. Bringen Sie Ihren Pass mit. Bringen Sie ein neues Passfoto mit. Bringen Sie "
     "einen Nachweis über Ihr Einkommen mit. Stellen Sie den Antrag vor Ende {month}. Dann dürfen Sie bleiben, bis "
     "die Behörde entschieden hat.",
     "A residence permit ends in {month_en}; to extend it, the person must come in with passport, photo and proof "
     "of income. If they apply in time, the old permit stays valid until the decision.", ""),
    ("B05", "Hausverwaltung", "Wohnen",
     "Trotz unserer Zahlungserinnerung ist die Miete für die Monate {month_prev} und {month} in Höhe von insgesamt "
     "{amount} Euro bis heute nicht auf unserem Konto eingegangen. Wir fordern Sie hiermit letztmalig auf, den "
     "rückständigen Betrag innerhalb von zehn Tagen zu überweisen. Andernfalls sehen wir uns gezwungen, das "
     "Mietverhältnis fristlos zu kündigen und die Räumung gerichtlich geltend zu machen.",
     "Sie haben zwei Monate keine Miete bezahlt. Es fehlen {amount} Euro. Bitte überweisen Sie das Geld in den "
     "nächsten zehn Tagen. Sonst kündigen wir Ihre Wohnung sofort. Dann gehen wir vor Gericht. Das Gericht kann "
     "die Räumung anordnen. Räumung heißt: Sie müssen ausziehen.",
     "Two months' rent ({amount} euros) is unpaid; if it is not paid within ten days, the landlord will end the "
     "tenancy without notice and go to court to have the flat cleared.", ""),
    ("B06", "Inkassobüro", "Geld/Schulden",
     "Unsere Mandantin, die {company}, hat uns mit der Einziehung ihrer fälligen Forderung gegen Sie beauftragt. "
     "Die Hauptforderung zuzüglich Verzugszinsen und Inkassokosten beläuft sich auf einen Gesamtbetrag von "
     "{amount} Euro. Zur Vermeidung weiterer Kosten sowie gerichtlicher Schritte ersuchen wir Sie, den "
     "Gesamtbetrag binnen vierzehn Tagen auszugleichen.",
     "Sie schulden der Firma {company} Geld. Die Firma hat uns beauftragt. Wir sollen das Geld für die Firma holen. "
     "Mit Zinsen und Gebühren sind es {amount} Euro. Bitte zahlen Sie in den nächsten zwei Wochen. Sonst kann es "
     "noch teurer werden. Und wir können vor Gericht gehen.",
     "A debt collection agency demands {amount} euros (debt, interest and fees) for {company} within two weeks, "
     "or it may go to court.", ""),
    ("B07", "Familienkasse", "Geld/Schulden",
     "Die Festsetzung des Kindergeldes für Ihr Kind {child} wird ab {month} aufgehoben, da die Berufsausbildung "
     "nach den uns vorliegenden Unterlagen beendet wurde. Das für den Zeitraum danach zu Unrecht gezahlte "
     "Kindergeld in Höhe von {amount} Euro ist zu erstatten. Gegen diesen Bescheid kann innerhalb eines Monats "
     "nach Bekanntgabe Einspruch eingelegt werden.",
     "Ihr Kind {child} hat die Ausbildung beendet. Deshalb bekommen Sie ab {month} kein Kindergeld mehr. Sie haben "
     "zu viel Kindergeld bekommen. Sie müssen {amount} Euro zurückzahlen.",
     "Child benefit for {child} stops from {month_en} because the training has ended; {amount} euros paid too much "
     "must be paid back. An objection is possible within one month.", "right_to_object"),
    ("B08", "Rentenversicherung", "Gesundheit",
     "Auf Ihren Antrag bewilligen wir Ihnen eine stationäre Leistung zur medizinischen Rehabilitation für die "
     "Dauer von voraussichtlich drei Wochen. Die Einrichtung wird Ihnen den Aufnahmetermin rechtzeitig schriftlich "
     "mitteilen. Sollten Sie die Leistung nicht in Anspruch nehmen können, bitten wir um umgehende "
     "Benachrichtigung.",
     "Sie haben eine Reha beantragt. Die Reha ist genehmigt. Die Reha dauert ungefähr drei Wochen. Sie wohnen in "
     "dieser Zeit in der Reha-Klinik. Die Klinik schreibt Ihnen, wann Sie kommen sollen. Sie können nicht zur Reha "
     "fahren? Dann sagen Sie uns bitte sofort Bescheid.",
     "A three-week inpatient rehabilitation stay is approved; the clinic will send the date. If the person cannot "
     "go, they must tell the pension insurer at once.", ""),
    ("B09", "Agentur für Arbeit", "Arbeit",
     "Der Anspruch auf Arbeitslosengeld ruht für die Dauer einer Sperrzeit von zwölf Wochen, da Sie Ihr "
     "Beschäftigungsverhältnis durch Eigenkündigung gelöst haben, ohne hierfür einen wichtigen Grund zu haben. "
     "Während der Sperrzeit erfolgt keine Zahlung von Arbeitslosengeld. Die Anspruchsdauer mindert sich "
     "entsprechend.",
     "Sie haben Ihre Arbeit selbst gekündigt. Dafür hatten Sie keinen wichtigen Grund. Deshalb bekommen Sie zwölf "
     "Wochen kein Arbeitslosengeld. Das nennt man Sperrzeit. Sie bekommen auch insgesamt weniger Wochen "
     "Arbeitslosengeld.",
     "Because the person quit their job without good reason, unemployment benefit is blocked for twelve weeks, "
     "and the total benefit period gets shorter.", ""),
    ("B10", "Stadtwerke", "Geld/Schulden",
     "Da die fälligen Abschlagszahlungen trotz Mahnung nicht geleistet wurden, beabsichtigen wir, die Versorgung "
     "Ihrer Abnahmestelle frühestens vier Wochen nach Zugang dieser Androhung zu unterbrechen. Die Unterbrechung "
     "kann durch vollständige Zahlung des Rückstands in Höhe von {amount} Euro oder durch Abschluss einer "
     "Abwendungsvereinbarung abgewendet werden. Die Kosten der Unterbrechung und Wiederherstellung der Versorgung "
     "gehen zu Ihren Lasten.",
     "Sie haben Ihre Stromrechnung nicht bezahlt. Es fehlen {amount} Euro. Wir können Ihren Strom abstellen. Das "
     "passiert frühestens in vier Wochen. Sie können das verhindern. Zahlen Sie das ganze Geld. Oder machen Sie mit "
     "uns einen Plan für Raten. Das Abstellen kostet Sie extra Geld.",
     "The utility threatens to cut off the electricity in four weeks at the earliest because {amount} euros are "
     "unpaid; paying in full or agreeing an instalment plan prevents it. Cut-off costs are charged.", ""),
    ("B11", "Jobcenter", "Geld/Schulden",
     "Für Ihr Kind {child} werden Leistungen für Bildung und Teilhabe in Form der Übernahme der Kosten für die "
     "gemeinschaftliche Mittagsverpflegung bewilligt. Die Abrechnung erfolgt unmittelbar mit dem "
     "Leistungsanbieter. Eine Auszahlung an Sie ist nicht vorgesehen.",
     "Ihr Kind {child} bekommt in der Schule ein Mittagessen. Das Amt bezahlt das Essen. Das Amt bezahlt direkt an "
     "die Firma für das Essen. Sie bekommen dafür kein Geld auf Ihr Konto.",
     "The cost of school lunch for {child} is covered; the office pays the provider directly, not the family.",
     ""),
    ("B12", "Ausländerbehörde", "Aufenthalt",
     "Die Erteilung der Beschäftigungserlaubnis für die von Ihnen angestrebte Tätigkeit als {job} setzt die "
     "Zustimmung der Bundesagentur für Arbeit voraus. Das Zustimmungsverfahren wurde eingeleitet. Bis zur "
     "abschließenden Entscheidung ist die Aufnahme der Beschäftigung nicht gestattet.",
     "Sie möchten als {job} arbeiten. Dafür brauchen Sie eine Erlaubnis. Die Agentur für Arbeit muss zustimmen. "
     "Wir haben die Agentur schon gefragt. Bis zur Entscheidung dürfen Sie noch nicht arbeiten.",
     "A work permit for the job as {job_en} needs the approval of the Federal Employment Agency; until it is "
     "decided, the person may not start work.", ""),
    ("B13", "Krankenkasse", "Gesundheit",
     "Die Kosten für das beantragte Hilfsmittel können nicht übernommen werden, da eine medizinische Notwendigkeit "
     "nach Prüfung durch den Medizinischen Dienst nicht festgestellt werden konnte. Sie haben die Möglichkeit, "
     "innerhalb eines Monats nach Bekanntgabe dieses Bescheides Widerspruch einzulegen. Dem Widerspruch sollten "
     "aktuelle ärztliche Unterlagen beigefügt werden.",
     "Sie haben ein Hilfsmittel beantragt. Ein Hilfsmittel ist zum Beispiel ein Rollator. Die Krankenkasse bezahlt "
     "das Hilfsmittel nicht. Der Medizinische Dienst hat Ihren Fall geprüft. Er meint: Sie brauchen das "
     "Hilfsmittel nicht unbedingt. Sind Sie anderer Meinung? Dann können Sie Widerspruch einlegen. Dafür haben Sie "
     "einen Monat Zeit. Legen Sie aktuelle Briefe von Ihrer Ärztin oder Ihrem Arzt dazu.",
     "The health insurer will not pay for a medical aid (such as a walker) because its medical service saw no "
     "need; an objection with current medical letters is possible within one month.", ""),
    ("B14", "Jobcenter", "Arbeit",
     "Sie werden hiermit eingeladen, am {weekday} um {hour} Uhr im Jobcenter, Zimmer {room}, vorzusprechen, um Ihr "
     "Bewerberangebot und Ihre berufliche Situation zu besprechen. Kommen Sie dieser Einladung ohne wichtigen "
     "Grund nicht nach, wird Ihr Bürgergeld um zehn Prozent des maßgebenden Regelbedarfs für die Dauer eines "
     "Monats gemindert. Sofern Sie arbeitsunfähig erkrankt sind, ist eine ärztliche Bescheinigung vorzulegen.",
     "Wir laden Sie zu einem Gespräch ein. Der Termin ist am {weekday} um {hour} Uhr. Kommen Sie bitte ins "
     "Jobcenter, Zimmer {room}. Wir sprechen über Ihre Arbeitssuche. Bitte kommen Sie pünktlich.",
     "An invitation to the job centre on {weekday_en} at {hour}:00, room {room}; missing it without good reason "
     "cuts the benefit by ten percent for a month, and illness needs a doctor's note.", "consequences"),
    ("B15", "Hausverwaltung", "Wohnen",
     "Aus der beigefügten Betriebskostenabrechnung für das Abrechnungsjahr {year} ergibt sich unter "
     "Berücksichtigung der geleisteten Vorauszahlungen eine Nachzahlung zu Ihren Lasten in Höhe von {amount} "
     "Euro. Wir bitten um Ausgleich des Betrages innerhalb von dreißig Tagen. Etwaige Einwendungen gegen die "
     "Abrechnung sind innerhalb von zwölf Monaten nach Zugang geltend zu machen.",
     "Hier ist Ihre Abrechnung für die Nebenkosten im Jahr {year}. Nebenkosten sind zum Beispiel Wasser, Müll und "
     "Heizung. Sie haben zu wenig vorausgezahlt. Sie müssen noch {amount} Euro nachzahlen. Bitte zahlen Sie in den "
     "nächsten dreißig Tagen. Sie finden einen Fehler in der Abrechnung? Dann sagen Sie es uns. Dafür haben Sie "
     "zwölf Monate Zeit.",
     "The service-charge statement for {year} shows {amount} euros still to pay within thirty days; objections "
     "are possible within twelve months.", ""),
    ("B16", "Amtsgericht", "Geld/Schulden",
     "Gegen Sie ist auf Antrag der {company} ein Mahnbescheid über eine Forderung von {amount} Euro erlassen "
     "worden. Sofern Sie den Anspruch für nicht begründet halten, können Sie innerhalb von zwei Wochen ab "
     "Zustellung Widerspruch erheben. Erheben Sie keinen Widerspruch, kann auf der Grundlage dieses Bescheids ein "
     "Vollstreckungsbescheid ergehen, aus dem die Zwangsvollstreckung betrieben werden kann.",
     "Die Firma {company} sagt: Sie schulden ihr {amount} Euro. Deshalb schickt Ihnen das Gericht einen "
     "Mahnbescheid. Stimmt das nicht? Dann können Sie Widerspruch einlegen. Dafür haben Sie nur zwei Wochen Zeit. "
     "Wenn Sie nichts tun, kann die Firma Ihr Geld pfänden lassen. Pfänden heißt: Man nimmt Ihnen Geld oder Sachen "
     "weg.",
     "A court payment order for {amount} euros on behalf of {company}; the person can object within two weeks, "
     "otherwise the claim can be enforced (seizure of money or belongings).", ""),
    ("B17", "Pflegekasse", "Gesundheit",
     "Zur Feststellung der Pflegebedürftigkeit wird der Medizinische Dienst eine Begutachtung in Ihrem häuslichen "
     "Umfeld durchführen. Der Gutachter wird sich zur Vereinbarung eines Termins mit Ihnen in Verbindung setzen. "
     "Es wird empfohlen, zum Begutachtungstermin vorhandene ärztliche Befunde bereitzuhalten sowie gegebenenfalls "
     "eine Pflegeperson hinzuzuziehen.",
     "Sie haben einen Pflegegrad beantragt. Eine Gutachterin oder ein Gutachter kommt zu Ihnen nach Hause. Die "
     "Person schaut, wie viel Hilfe Sie brauchen. Sie ruft Sie vorher an und macht einen Termin. Legen Sie Ihre "
     "Arztbriefe bereit. Eine Person, die Sie pflegt, darf beim Termin dabei sein.",
     "To assess the need for long-term care, an assessor will visit the person at home and phone first; medical "
     "reports should be ready and a carer may attend.", ""),
    ("B18", "Ausländerbehörde", "Aufenthalt",
     "Sie sind gemäß § 44a Aufenthaltsgesetz zur Teilnahme an einem Integrationskurs verpflichtet. Die Anmeldung "
     "hat unverzüglich bei einem zugelassenen Kursträger zu erfolgen. Eine Verletzung der Teilnahmepflicht kann "
     "bei der Entscheidung über die Verlängerung Ihrer Aufenthaltserlaubnis berücksichtigt werden.",
     "Sie müssen einen Integrationskurs besuchen. In dem Kurs lernen Sie Deutsch. Sie lernen auch viel über das "
     "Leben in Deutschland. Melden Sie sich bald bei einer Kursschule an. Gehen Sie regelmäßig zum Kurs. Sonst "
     "bekommen Sie vielleicht Probleme bei Ihrer Aufenthaltserlaubnis.",
     "The person must attend an integration course and register with an approved provider at once; not "
     "attending can count against extending the residence permit.", ""),
    ("B19", "Agentur für Arbeit", "Arbeit",
     "Personen, deren Arbeitsverhältnis endet, sind verpflichtet, sich spätestens drei Monate vor dessen "
     "Beendigung persönlich bei der Agentur für Arbeit arbeitsuchend zu melden. Liegen zwischen der Kenntnis des "
     "Beendigungszeitpunktes und der Beendigung des Arbeitsverhältnisses weniger als drei Monate, hat die Meldung "
     "innerhalb von drei Tagen nach Kenntnis zu erfolgen. Eine verspätete Meldung kann eine Sperrzeit von einer "
     "Woche zur Folge haben.",
     "Ihre Arbeit endet bald? Dann müssen Sie sich bei der Agentur für Arbeit melden. Das müssen Sie drei Monate "
     "vor dem Ende tun. Sie erfahren erst später vom Ende? Dann melden Sie sich innerhalb von drei Tagen. Melden "
     "Sie sich zu spät? Dann bekommen Sie eine Woche kein Arbeitslosengeld.",
     "Anyone whose job ends must register as a jobseeker three months before (or within three days of learning "
     "about it); registering late can block unemployment benefit for one week.", ""),
    ("B20", "Wohnungsamt", "Wohnen",
     "Ihrem Antrag auf Erteilung eines Wohnberechtigungsscheins wird entsprochen. Der Wohnberechtigungsschein "
     "berechtigt zum Bezug einer öffentlich geförderten Wohnung mit einer Wohnfläche von bis zu {sqm} "
     "Quadratmetern und ist ab Ausstellungsdatum ein Jahr gültig. Bitte legen Sie das Original bei Abschluss "
     "eines Mietvertrags dem Vermieter vor.",
     "Sie bekommen einen Wohnberechtigungsschein. Der Schein heißt kurz WBS. Mit dem WBS dürfen Sie eine "
     "Sozialwohnung mieten. Die Wohnung darf bis zu {sqm} Quadratmeter groß sein. Der WBS gilt ein Jahr. Zeigen "
     "Sie den WBS dem Vermieter, bevor Sie den Mietvertrag unterschreiben.",
     "A certificate of eligibility for social housing (WBS) is granted for a flat of up to {sqm} square metres, "
     "valid for one year; show the original to the landlord before signing.", ""),
]

MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December"]
WEEKDAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday"]
JOBS_EN = ["care assistant", "warehouse worker", "cleaner", "cook", "nursery teacher", "electrician",
           "bus driver", "sales assistant", "hairdresser", "painter"]

# --- requests ---------------------------------------------------------------------------------
# "[a|b|c]" picks one alternative; {slots} are filled from the lists below.
TOPIC_SHARES = {"Geld/Schulden": 0.30, "Wohnen": 0.25, "Aufenthalt": 0.18, "Arbeit": 0.15, "Gesundheit": 0.12}

TEMPLATES = {
    "Geld/Schulden": [
        "Ich habe einen Brief von einem Inkassobüro bekommen, die wollen {amount} Euro für einen alten {contract}. [Muss ich das zahlen?|Ist das überhaupt rechtens?]",
        "Mein Konto [ist gepfändet worden|wurde gepfändet] und ich komme nicht mehr an mein Geld. Wie bekomme ich ein P-Konto?",
        "Ich habe Schulden bei {n} verschiedenen Firmen und verliere den Überblick. [Können Sie mir helfen?|Wer hilft mir, das zu sortieren?]",
        "[Wir haben|Ich habe] eine Mahnung über {amount} Euro [vom|von meinem] {contract} bekommen. Das Geld reicht einfach nicht.",
        "Kann man bei Ihnen eine Schuldnerberatung machen? Ich denke über eine Privatinsolvenz nach.",
        "Der Gerichtsvollzieher hat sich für nächste Woche angekündigt. [Was passiert jetzt?|Was muss ich tun?]",
        "Ich habe eine Nachzahlung von {amount} Euro beim Strom, das kann ich nicht auf einmal bezahlen. Gibt es eine Ratenzahlung?",
        "Ich bekomme Bürgergeld und das Geld reicht am Monatsende nie. Wer hilft mir bei einem Haushaltsplan?",
        "Mein [Exmann|Ex-Partner] hat Kredite auf meinen Namen aufgenommen. Jetzt kommen die Mahnungen zu mir.",
        "Ich habe einen Mahnbescheid vom Gericht bekommen und verstehe nicht, was ich tun soll.",
        "Die Familienkasse will {amount} Euro Kindergeld zurück. Wie soll ich das bezahlen?",
        "Wegen einem Schufa-Eintrag bekomme ich keinen Kredit und keinen Handyvertrag. Wie werde ich den Eintrag los?",
        "Ich habe {amount} Euro Schulden [bei der Bank|auf der Kreditkarte] und schaffe die Raten nicht mehr.",
        "Die Zinsen für meinen Dispo fressen mein ganzes Geld auf. Wie komme ich da raus?",
    ],
    "Wohnen": [
        "[Mein Vermieter|Meine Vermieterin] hat mir wegen Eigenbedarf gekündigt. Ist das rechtens?",
        "Ich habe eine Räumungsklage bekommen. [Was kann ich jetzt noch tun?|Wie lange darf ich noch in der Wohnung bleiben?]",
        "Seit {weeks} Wochen ist Schimmel im Kinderzimmer und die Hausverwaltung reagiert nicht.",
        "Wir suchen dringend eine Wohnung für {n} Personen und finden seit Monaten nichts. Wie beantrage ich einen Wohnberechtigungsschein?",
        "Die Heizung ist seit {weeks} Wochen kaputt. Darf ich die Miete mindern?",
        "Die Nebenkostenabrechnung ist viel zu hoch, {amount} Euro Nachzahlung. Kann das stimmen?",
        "Ich schlafe zur Zeit bei Freunden auf dem Sofa und habe keine eigene Wohnung mehr. Gibt es eine Notunterkunft?",
        "Der Vermieter will die Miete um {pct} Prozent erhöhen. Muss ich zustimmen?",
        "Kann ich Wohngeld bekommen? Ich habe nur eine kleine Rente.",
        "Der Vermieter gibt die Kaution nicht zurück, obwohl wir schon seit {months} Monaten ausgezogen sind.",
        "[Unser Nachbar|Die Nachbarn über uns] machen jede Nacht Lärm. Die Hausverwaltung sagt, sie kann nichts tun.",
        "Ich muss Ende des Monats aus meiner Wohnung raus und weiß nicht wohin.",
        "In unserer Wohnung gibt es seit {weeks} Wochen kein warmes Wasser. Der Vermieter geht nicht ans Telefon.",
        "Darf mein Vermieter einfach ohne Ankündigung in meine Wohnung kommen?",
    ],
    "Aufenthalt": [
        "Meine Aufenthaltserlaubnis läuft in {weeks} Wochen ab und ich bekomme keinen Termin bei der Ausländerbehörde.",
        "Ich habe nur eine Fiktionsbescheinigung. [Ist mein Aufenthalt damit sicher?|Wie lange gilt die?]",
        "Wie kann ich meine Familie aus {country} nach Deutschland holen? Es geht um Familiennachzug.",
        "Mein Asylantrag wurde abgelehnt. [Was kann ich jetzt tun?|Muss ich jetzt Deutschland verlassen?]",
        "Ich möchte mich einbürgern lassen. Welche Unterlagen brauche ich?",
        "Die Ausländerbehörde verlangt einen Pass, aber die Botschaft von {country} stellt mir keinen aus.",
        "Wo kann ich einen Integrationskurs machen? Ich habe einen Berechtigungsschein bekommen.",
        "Ich bin aus der Ukraine geflüchtet. Wie lange gilt mein Aufenthaltstitel noch?",
        "Ich brauche Hilfe bei der Anhörung beim Bundesamt. Der Termin ist in {weeks} Wochen.",
        "Mein Visum läuft bald ab. Kann ich hier in Deutschland einen neuen Antrag stellen?",
        "Ich habe eine Duldung. [Was bedeutet das genau?|Kann ich abgeschoben werden?]",
        "Mein Mann hat eine Niederlassungserlaubnis. Bekomme ich als Ehefrau auch einen Aufenthaltstitel?",
        "Die Ausländerbehörde hat meinen Antrag auf Verlängerung seit {months} Monaten nicht bearbeitet.",
    ],
    "Arbeit": [
        "[Mein Chef|Mein Arbeitgeber] zahlt seit {months} Monaten keinen Lohn. Was kann ich tun?",
        "Ich habe eine Kündigung bekommen. Wie lange habe ich Zeit für eine Klage?",
        "Ich suche einen Minijob [neben dem Studium|neben der Familie]. Können Sie bei der Bewerbung helfen?",
        "Wie schreibe ich einen Lebenslauf auf Deutsch? Ich habe Erfahrung als {job}.",
        "Ich arbeite als {job} und mache jeden Tag Überstunden, die nicht bezahlt werden.",
        "Mein Arbeitgeber gibt mir keinen schriftlichen Arbeitsvertrag.",
        "Wird mein Berufsabschluss aus {country} in Deutschland anerkannt? Ich war dort {job}.",
        "Ich bin arbeitslos geworden. Wie melde ich mich bei der Agentur für Arbeit?",
        "Ich möchte eine Ausbildung als {job} anfangen. Wer berät mich dazu?",
        "Mein Urlaub wird nicht genehmigt, obwohl ich noch {n} Tage habe.",
        "Bekomme ich eine Sperre beim Arbeitslosengeld, wenn ich selbst kündige?",
        "Ich werde bei der Arbeit ständig angeschrien und gemobbt. Darf mein Chef das?",
        "Mein Arbeitgeber will, dass ich krank zur Arbeit komme, sonst verliere ich den Job.",
    ],
    "Gesundheit": [
        "Ich habe keine Krankenversicherung mehr. Wie komme ich wieder in eine Krankenkasse?",
        "[Mein Sohn|Meine Tochter] braucht eine Therapie, aber die Wartezeit ist {months} Monate. Wer kann helfen?",
        "Ich suche eine Ärztin, die {language} spricht.",
        "Meine Mutter ist pflegebedürftig. Wie beantrage ich einen Pflegegrad?",
        "Ich fühle mich seit Wochen sehr niedergeschlagen und kann nicht mehr schlafen. Wo finde ich psychologische Hilfe?",
        "Die Krankenkasse will den Rollstuhl nicht bezahlen. Was kann ich tun?",
        "Ich brauche einen Dolmetscher für einen Termin im Krankenhaus.",
        "Wie bekomme ich einen Schwerbehindertenausweis?",
        "Ich bin schwanger und habe keine Krankenversicherung. Wo kann ich zur Vorsorge gehen?",
        "Ich habe Probleme mit Alkohol und möchte etwas ändern. Gibt es eine Suchtberatung?",
        "Die Krankenkasse hat mein Krankengeld gestoppt. Darf sie das?",
        "Mein Vater hat Demenz und braucht Betreuung. Wer hilft uns?",
    ],
}

# Requests that touch two topics: (text, topic staff chose).
AMBIGUOUS = [
    ("Ich habe meine Arbeit verloren und kann jetzt die Miete nicht mehr bezahlen. Der Vermieter droht mit Kündigung.", "Wohnen"),
    ("Seit ich krank bin, bekomme ich nur noch Krankengeld und die Schulden werden immer mehr.", "Geld/Schulden"),
    ("Wegen meiner Schulden finde ich keine Wohnung, die Schufa ist negativ.", "Wohnen"),
    ("Ich habe eine Duldung und ein Angebot für eine Ausbildung als {job}. Darf ich die Ausbildung machen?", "Aufenthalt"),
    ("Mein Arbeitgeber hat mir gekündigt, jetzt habe ich Angst um meine Aufenthaltserlaubnis.", "Aufenthalt"),
    ("Die Krankenkasse schickt Mahnungen über {amount} Euro für Beiträge, die ich nicht verstehe.", "Geld/Schulden"),
    ("Die Zuzahlung für den Zahnersatz kann ich nicht bezahlen. Gibt es Hilfe?", "Gesundheit"),
    ("Das Jobcenter zahlt die Miete nicht mehr, weil ich einen Termin verpasst habe.", "Wohnen"),
    ("Wegen meiner Rückenschmerzen kann ich nicht mehr als {job} arbeiten. Was nun?", "Arbeit"),
    ("Ich darf mit meiner Wohnsitzauflage nicht umziehen, habe aber eine Wohnung in einer anderen Stadt gefunden.", "Aufenthalt"),
    ("Der Stromanbieter will den Strom abstellen, und mein Kind ist krank.", "Geld/Schulden"),
    ("Ich arbeite im Minijob, aber das Geld reicht nicht für die Miete.", "Wohnen"),
]
# Vague requests: the topic is only known after a phone call.
VAGUE = [
    "Ich habe einen Brief vom Amt bekommen und verstehe ihn nicht. Können Sie mir helfen?",
    "Bitte rufen Sie mich zurück, es ist dringend.",
    "Ich brauche einen Termin für eine Beratung.",
    "Hallo, meine Nachbarin hat gesagt, dass Sie helfen können. Ich weiß nicht mehr weiter.",
    "Kann ich mit meinem Bescheid zu Ihnen kommen? Ich glaube, da stimmt etwas nicht.",
    "Ich brauche Hilfe beim Ausfüllen von einem Antrag.",
]

SLOTS = {
    "contract": ["Handyvertrag", "Stromvertrag", "Fitnessvertrag", "Versandhandel", "Ratenkauf", "Streamingvertrag"],
    "country": ["Syrien", "Afghanistan", "Eritrea", "der Türkei", "dem Irak", "Nigeria", "Kolumbien", "Vietnam"],
    "language": ["Arabisch", "Türkisch", "Russisch", "Farsi", "Ukrainisch", "Englisch", "Polnisch"],
    "job": JOBS,
}
GREETINGS = ["", "", "Hallo, ", "Guten Tag, ", "Sehr geehrte Damen und Herren, ", "Hallo zusammen, "]
CLOSINGS = ["", "", " Danke!", " Viele Grüße", " Mit freundlichen Grüßen", " LG", " Vielen Dank im Voraus."]
CHANNELS = (["E-Mail", "Kontaktformular", "Messenger", "Telefonnotiz"], [0.35, 0.25, 0.2, 0.2])
PHONE_PREFIXES = ["Anruf: ", "Rückruf erbeten: ", "Nachricht auf dem AB: ", "Anruferin sagt: ", "Anrufer sagt: "]


def _fill(template: str, rng, n_words_typo: float = 0.0) -> str:
    text = re.sub(r"\[([^\]]+)\]", lambda m: rng.choice(m.group(1).split("|")), template)
    values = {
        "amount": str(int(rng.choice([80, 120, 240, 312, 450, 560, 780, 1200, 1850, 2400, 3900]))),
        "n": str(int(rng.integers(2, 7))),
        "weeks": str(int(rng.integers(2, 9))),
        "months": str(int(rng.integers(2, 7))),
        "pct": str(int(rng.choice([8, 10, 12, 15, 20]))),
    }
    for key, options in SLOTS.items():
        values[key] = str(rng.choice(options))
    return text.format(**values)


def _typo(word: str, rng) -> str:
    if len(word) < 5 or not word.isalpha():
        return word
    i = int(rng.integers(1, len(word) - 2))
    kind = rng.integers(3)
    if kind == 0:   # swap two letters
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == 1:   # drop a letter
        return word[:i] + word[i + 1:]
    return word[:i] + word[i] + word[i:]  # double a letter


def _style(text: str, channel: str, rng) -> str:
    words = [(_typo(w, rng) if rng.random() < 0.04 else w) for w in text.split(" ")]
    text = " ".join(words)
    if channel == "Telefonnotiz":
        return str(rng.choice(PHONE_PREFIXES)) + text
    if channel == "Messenger" and rng.random() < 0.5:
        text = text.lower().replace("?", " ?" if rng.random() < 0.3 else "?")
        if rng.random() < 0.5:
            text = text.rstrip(".!")
        return text
    return str(rng.choice(GREETINGS)) + text + str(rng.choice(CLOSINGS))


def _letters(rng, fake) -> pd.DataFrame:
    rows = []
    for letter_id, sender, topic, original, plain, gloss, missing in LETTERS:
        m = int(rng.integers(1, 12))
        job = int(rng.integers(len(JOBS)))
        day = int(rng.integers(len(WEEKDAYS)))
        values = {
            "name": fake.last_name(), "child": fake.first_name(),
            "month": MONTHS[m], "month_prev": MONTHS[m - 1], "month_en": MONTHS_EN[m],
            "amount": str(int(rng.integers(12, 260)) * 10 + int(rng.integers(0, 10))),
            "company": str(rng.choice(COMPANIES)), "job": JOBS[job], "job_en": JOBS_EN[job],
            "weekday": WEEKDAYS[day], "weekday_en": WEEKDAYS_EN[day], "hour": str(int(rng.integers(8, 15))),
            "room": str(int(rng.integers(101, 340))), "year": "2025", "sqm": str(int(rng.choice([50, 60, 75, 90]))),
        }
        rows.append({
            "letter_id": letter_id, "sender": sender, "topic": topic,
            "original": original.format(**values), "plain": plain.format(**values),
            "gloss_en": gloss.format(**values), "missing_in_plain": missing,
        })
    return pd.DataFrame(rows)


def _requests(rng) -> pd.DataFrame:
    topics = list(TOPIC_SHARES)
    dates = pd.date_range("2025-01-02", "2025-12-19", freq="B")
    rows = []
    for i in range(N_REQUESTS):
        kind = rng.random()
        if kind < 0.06:
            text, topic, ambiguous = str(rng.choice(VAGUE)), str(rng.choice(topics, p=list(TOPIC_SHARES.values()))), 1
        elif kind < 0.15:
            template, topic = AMBIGUOUS[int(rng.integers(len(AMBIGUOUS)))]
            text, ambiguous = _fill(template, rng), 1
        else:
            topic = str(rng.choice(topics, p=list(TOPIC_SHARES.values())))
            text, ambiguous = _fill(str(rng.choice(TEMPLATES[topic])), rng), 0
        channel = str(rng.choice(CHANNELS[0], p=CHANNELS[1]))
        text = _style(text, channel, rng)
        if rng.random() < 0.02:  # labelling mistake by staff
            topic = str(rng.choice([t for t in topics if t != topic]))
        rows.append({
            "request_id": f"A{i + 1:04d}",
            "date": str(dates[int(rng.integers(len(dates)))].date()),
            "channel": channel,
            "text": text.strip(),
            "topic": topic,
            "ambiguous": ambiguous,
        })
    frame = pd.DataFrame(rows).sort_values(["date", "request_id"]).reset_index(drop=True)
    frame["request_id"] = [f"A{i + 1:04d}" for i in range(len(frame))]
    return frame


def generate(seed: int = PUBLISHED_SEED) -> dict[str, pd.DataFrame]:
    """The published tables; another seed gives a variant with the same columns and story, other numbers."""
    rng = np.random.default_rng(seed)
    fake = Faker("de_DE")
    fake.seed_instance(seed)
    return {"letters.csv": _letters(rng, fake), "requests.csv": _requests(rng)}
