"""Values written the way agents write them: dates, times, services, categories, people.

Each function returns the text as written and the name of the way it was written, so a
measure can say which writings are misread; the canonical value is decided by the caller.
"""

from __future__ import annotations

import datetime as dt
import random
import re

from parsers.directory import Entry
from parsers.form import FormDefinition

from .wording import strip_accents

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
)
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
ROMAN = (
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV",
    "XV", "XVI", "XVII", "XVIII", "XIX", "XX",
)
#: (ticked, empty) marks of a row of check boxes.
BOX_MARKS = (
    ("☒", "☐"), ("☑", "☐"), ("[X]", "[ ]"), ("[x]", "[ ]"), ("(X)", "( )"), ("X", "☐"),
    ("x", "□"), ("X", ""),
)


def french_date(day: dt.date) -> str:
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def write_date(rng: random.Random, day: dt.date, sent: dt.date) -> tuple[str, str]:
    """The call date as written in a fiche sent on `sent`."""
    ways = ["dd/mm/yyyy", "dd/mm/yy", "textual", "dd-mm-yyyy", "dd.mm.yyyy", "le dd/mm/yyyy"]
    if sent - day == dt.timedelta(days=1):
        ways += ["hier"] * 3
    if dt.timedelta(days=0) <= sent - day < dt.timedelta(days=7):
        ways += ["weekday"] * 2
    way = rng.choice(ways)
    text = {
        "dd/mm/yyyy": f"{day:%d/%m/%Y}",
        "dd/mm/yy": f"{day:%d/%m/%y}",
        "textual": french_date(day),
        "dd-mm-yyyy": f"{day:%d-%m-%Y}",
        "dd.mm.yyyy": f"{day:%d.%m.%Y}",
        "le dd/mm/yyyy": f"le {day:%d/%m/%Y}",
        "hier": rng.choice(("hier", "Hier", "hier après-midi", "hier matin")),
        "weekday": f"le {WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}",
    }[way]
    return text, way


def write_time(rng: random.Random, hour: int, minute: int) -> tuple[str, str]:
    ways = ["14h30", "14 h 30", "14:30", "14H30", "vers 14h30"]
    if minute == 0:
        ways += ["14h", "14 h", "14 heures"]
    way = rng.choice(ways)
    text = {
        "14h30": f"{hour}h{minute:02d}",
        "14 h 30": f"{hour} h {minute:02d}",
        "14:30": f"{hour:02d}:{minute:02d}",
        "14H30": f"{hour}H{minute:02d}",
        "vers 14h30": f"vers {hour}h{minute:02d}",
        "14h": f"{hour}h",
        "14 h": f"{hour} h",
        "14 heures": f"{hour} heures",
    }[way]
    return text, way


def write_service(rng: random.Random, entry: Entry) -> tuple[str, str]:
    """A directory entry as agents name it: ordinals, Roman numerals, acronyms, full names."""
    ways: dict[str, str] = {"name": entry.name}
    if entry.kind == "mairie" and len(entry.arrondissements) == 1:
        n = entry.arrondissements[0]
        ways |= {
            "12e": f"Mairie du {n}e", "12ème": f"Mairie du {n}ème",
            "XIIe": f"Mairie du {ROMAN[n - 1]}e",
            "12EME ARRONDISSEMENT": f"MAIRIE DU {n}EME ARRONDISSEMENT",
            "12e arrondissement": f"Mairie du {n}e arrondissement",
            "mairie 12": f"Mairie {n}", "Paris 12e": f"Mairie de Paris {n}e",
            "accueil": f"Accueil de la mairie du {n}e",
        }
    elif entry.kind == "mairie":
        ways |= {
            "alias": rng.choice(entry.aliases) if entry.aliases else entry.name,
            "PARIS CENTRE": "PARIS CENTRE",
            "old arrondissement": f"Mairie du {rng.choice(entry.arrondissements)}e",
        }
    else:
        acronyms = [a for a in entry.aliases if a.isupper()]
        if acronyms:
            ways |= {
                "acronym": acronyms[0],
                "acronym - name": f"{acronyms[0]} - {entry.name}",
                "name (acronym)": f"{entry.name} ({acronyms[0]})",
            }
        others = [a for a in entry.aliases if not a.isupper()]
        if others:
            ways["alias"] = rng.choice(others)
    way = rng.choice(sorted(ways))
    return ways[way], way


def write_category(rng: random.Random, form: FormDefinition, value: str) -> tuple[list[str], str]:
    """The category as a word, a synonym, or check boxes with one ticked (one line or one
    line per box); returns the lines as written."""
    option = next(c for c in form.categories if c.value == value)
    way = rng.choice(("label", "label", "synonym", "boxes", "boxes", "boxes"))
    if way == "label" or (way == "synonym" and not option.synonyms):
        text = option.label
        return [text.upper() if rng.random() < 0.2 else text], "label"
    if way == "synonym":
        return [_capital(rng.choice(option.synonyms))], "synonym"
    cells, kind = write_boxes(rng, form, value)
    if rng.random() < 0.3:
        return cells, kind + "-column"
    return ["   ".join(cells)], kind + "-row"


def write_boxes(rng: random.Random, form: FormDefinition, value: str) -> tuple[list[str], str]:
    """One cell per choice, its mark before or after its name."""
    ticked, empty = rng.choice(BOX_MARKS)
    after = rng.random() < 0.4 or not empty
    cells = []
    for option in form.categories:
        name = rng.choice([option.label, *option.box_labels])
        mark = ticked if option.value == value else empty
        cells.append(f"{name} {mark}".strip() if after else f"{mark} {name}".strip())
    kind = "letter" if ticked.strip("[]()") in ("X", "x") else "symbol"
    return cells, f"boxes-{kind}-{'after' if after else 'before'}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def write_person(rng: random.Random, first: str, last: str) -> tuple[str, str]:
    way = rng.choice(("First Last", "LAST First", "F. Last", "First LAST"))
    text = {
        "First Last": f"{first} {last}",
        "LAST First": f"{last.upper()} {first}",
        "F. Last": f"{first[0]}. {last}",
        "First LAST": f"{first} {last.upper()}",
    }[way]
    return text, way


def email_of(first: str, last: str) -> str:
    local = f"{first}.{last}".lower().replace(" ", "-").replace("'", "")
    return re.sub(r"[^a-z.\-]", "", strip_accents(local)) + "@paris.fr"
