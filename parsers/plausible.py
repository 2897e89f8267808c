"""Whether a value fits a rubrique's type: how a label followed by its value is told from an
ordinary sentence, and how the fiche decides between two readings of one label."""

from __future__ import annotations

import datetime as dt
import re

from parsers.category import names_a_choice
from parsers.directory import Directory
from parsers.fold import fold
from parsers.form import FormDefinition
from parsers.service import arrondissement_of, resolve_service
from parsers.values import WEEKDAYS, parse_date, parse_time

#: Any day: only whether a date is written matters here, not which.
_ANY_DAY = dt.date(2100, 1, 1)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
#: First words of a service's name, when no directory is at hand to look it up.
_SERVICE_WORDS = frozenset(
    {
        "mairie", "direction", "dir", "service", "pole", "bureau", "cabinet", "secretariat",
        "paris", "caisse", "agence", "espace", "maison", "division", "section", "mission",
        "centre", "sous",
    }
)
#: An acronym ("DPE"), not a word of a name in capitals ("MAIRIE DU 20EME").
_ACRONYM = re.compile(
    r"^(?!(?:DU|DE|DES|LA|LE|LES|ET|EN|AU|AUX|UN|UNE|PAR|POUR|SUR)\b)[A-Z]{2,6}\b"
)
_DATE_START = re.compile(
    r"^(?:\d|le\s+\d|le\s+1er|(?:" + "|".join(WEEKDAYS) + r")\b|hier|avant[\s-]?hier"
    r"|aujourd|ce\s+(?:matin|jour|soir|midi)|cet?\s+apres)"
)


def fits(kind: str, value: str, form: FormDefinition, directory: Directory | None = None) -> bool:
    """Whether `value` can be read as a value of a rubrique of type `kind` (form.yaml's types).
    A service is looked up in `directory` when there is one; text fits anything."""
    if kind in ("date", "datetime"):
        return parse_date(value, _ANY_DAY) is not None
    if kind == "time":
        return parse_time(value) is not None
    if kind == "category":
        # Naming a choice is enough to be this rubrique's value: whether its boxes can be read
        # is for the category reader to say (and to ask about).
        return names_a_choice(value, form)
    if kind == "email":
        return _EMAIL.search(value) is not None
    if kind == "service":
        if directory is not None:
            return resolve_service(value, directory) is not None
        return _names_a_service(value)
    return True


def _names_a_service(value: str) -> bool:
    first = fold(value).split(" ", 1)[0].strip(".,;")
    acronym = _ACRONYM.match(value.strip()) is not None
    return first in _SERVICE_WORDS or acronym or arrondissement_of(value) is not None


def starts_as(kind: str, value: str, form: FormDefinition) -> bool:
    """Whether `value`, written right after a label on the same line, begins like a value of
    type `kind`: "12/03/2026", "14h30", "Information erronée", "Mairie du 12e", "DPE" do;
    "téléphonique 12/03" or "de la voirie a rappelé l'usager" do not."""
    value = value.strip()
    if not value or len(value.split()) > 8:
        return False
    folded = fold(value)
    if kind in ("date", "datetime"):
        return _DATE_START.match(folded) is not None and fits(kind, value, form)
    if kind == "time":
        return folded[0].isdigit() and fits(kind, value, form)
    if kind == "email":
        return "@" in folded.split(" ", 1)[0]
    if kind == "service":  # "Mairie du 12e fermée ce jour-là" is a sentence, not a label
        first = folded.split(" ", 1)[0].strip(".,;")
        return first in _SERVICE_WORDS or _ACRONYM.match(value) is not None
    return fits(kind, value, form)


def may_start_value(value: str, form: FormDefinition) -> bool:
    """A quick test before `starts_as`: whether `value` begins like any value at all (a capital,
    a digit, a quote, or the first word of a date, a service or a category)."""
    if not value or not value[0].islower():
        return True
    folded = fold(value)
    first = folded.split(" ", 1)[0].strip(".,;'")
    return (
        "@" in first
        or first in _SERVICE_WORDS
        or _DATE_START.match(folded) is not None
        or any(w.split(" ", 1)[0] == first for ws in form.category_words.values() for w in ws)
    )
