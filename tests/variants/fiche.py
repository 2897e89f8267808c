"""One generated fiche: its rubriques as written (label, value lines) and what it means.

The expected values follow the contract of `intake parse`: service as written and its
directory id, call_date ISO, call_time HH:MM, the category value, free text as written;
reporter name and address fall back to the sender's when the fiche does not give them.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from parsers.directory import Directory
from parsers.form import FormDefinition
from parsers.model import FICHE_FIELDS

from . import content
from .wording import RATES, Wording, word_label
from .writing import (
    email_of,
    write_category,
    write_date,
    write_person,
    write_service,
    write_time,
)

PARIS = ZoneInfo("Europe/Paris")
FIRST_DAY = dt.date(2025, 9, 1)
DAYS = 270
#: Rubriques of one section, for layouts that group them under a heading.
SECTIONS = (
    (("Déclarant", "Identification du déclarant", "DÉCLARANT"),
     ("service", "reporter_name", "reporter_email")),
    (("Demande", "L'appel", "Appel reçu"),
     ("call_date", "call_time", "call_datetime", "agent_3975", "caller_request")),
    (("Dysfonctionnement", "Le dysfonctionnement constaté", "Signalement"),
     ("category", "expected_service", "wrong_information", "description")),
    (("Suite", "Suites", "Traitement"), ("follow_up",)),
)


@dataclass
class Line:
    """One rubrique as written: its label and its value (no lines: left empty)."""

    field: str
    label: Wording
    value: list[str]
    way: str = ""

    @property
    def text(self) -> str:
        return " ".join(v for v in self.value if v)


@dataclass
class Fiche:
    lines: list[Line]
    expected: dict[str, str | None]
    sent: dt.datetime
    sender_name: str
    sender_email: str
    classes: list[str] = field(default_factory=list)

    def section_of(self, line: Line) -> int:
        return next(i for i, (_, fields) in enumerate(SECTIONS) if line.field in fields)


def _entries(directory: Directory) -> list:
    return [e for e in directory if e.kind in ("mairie", "direction")]


def _when(rng: random.Random) -> tuple[dt.date, int, int, dt.datetime]:
    day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
    hour, minute = rng.randrange(8, 18), rng.choice((0, 0, 5, 10, 15, 20, 30, 30, 40, 45, 50))
    delta = rng.choice((0, 0, 1, 1, 1, 2, 3))
    sent_day = day + dt.timedelta(days=delta)
    if delta == 0:
        start = hour * 60 + minute + rng.randrange(20, 120)
        start = min(start, 19 * 60 + 30)
    else:
        start = rng.randrange(8 * 60 + 30, 18 * 60)
    sent = dt.datetime.combine(sent_day, dt.time(start // 60, start % 60), PARIS)
    return day, hour, minute, sent


def _description(rng: random.Random) -> tuple[list[str], str]:
    """One line, a sentence per line, or paragraphs with a blank line between them."""
    facts = rng.sample(content.FACTS, rng.choice((1, 2, 2, 3)))
    if len(facts) == 1:
        return facts, "one-line"
    way = rng.choice(("lines", "lines", "paragraphs", "one-line"))
    if way == "paragraphs":
        return [p for fact in facts for p in ("", fact)][1:], way
    return (facts if way == "lines" else [" ".join(facts)]), way


def make_fiche(
    rng: random.Random,
    form: FormDefinition,
    directory: Directory,
    classes: frozenset[str] | None = None,
) -> Fiche:
    """A valid fiche; `classes` limits the label changes (see wording.word_label)."""
    entry = rng.choice(_entries(directory))
    first, last = rng.choice(content.FIRST_NAMES), rng.choice(content.LAST_NAMES)
    reporter_sends = rng.random() < 0.85
    if reporter_sends:
        sender_first, sender_last = first, last
    else:
        sender_first, sender_last = rng.choice(content.FIRST_NAMES), rng.choice(content.LAST_NAMES)
    sender_name, sender_email = f"{sender_first} {sender_last}", email_of(sender_first, sender_last)
    day, hour, minute, sent = _when(rng)
    category = rng.choice(("transfer_error",) * 5 + ("wrong_information",) * 4 + ("other",) * 2)

    written: dict[str, tuple[list[str], str]] = {}
    written["service"] = (lambda t: ([t[0]], t[1]))(write_service(rng, entry))
    if not reporter_sends or rng.random() < 0.75:
        name, way = write_person(rng, first, last)
        written["reporter_name"] = ([name], way)
    if rng.random() < 0.3:
        written["reporter_email"] = ([email_of(first, last)], "address")
    date_text, date_way = write_date(rng, day, sent.date())
    has_time = rng.random() < 0.8
    time_text, time_way = write_time(rng, hour, minute)
    if has_time and rng.random() < 0.12:
        written["call_datetime"] = ([f"{date_text} à {time_text}"], f"{date_way} à {time_way}")
    else:
        written["call_date"] = ([date_text], date_way)
        if has_time:
            written["call_time"] = ([time_text], time_way)
    written["category"] = write_category(rng, form, category)
    if rng.random() < 0.45:
        written["agent_3975"] = ([rng.choice(content.AGENT_3975)], "name")
    if rng.random() < 0.85:
        written["caller_request"] = ([rng.choice(content.REQUESTS)], "sentence")
    if rng.random() < (0.7 if category == "transfer_error" else 0.1):
        other = rng.choice(_entries(directory))
        written["expected_service"] = (
            [rng.choice((other.name, rng.choice(content.OUTSIDE_SERVICES)))], "service")
    if rng.random() < (0.75 if category == "wrong_information" else 0.05):
        written["wrong_information"] = ([rng.choice(content.WRONG_INFORMATION)], "sentence")
    written["description"] = _description(rng)
    if rng.random() < 0.4:
        written["follow_up"] = ([rng.choice(content.FOLLOW_UPS)], "sentence")

    lines: list[Line] = []
    fiche_classes: list[str] = []
    for rubrique in form.fields:
        if rubrique.name in written:
            value, way = written[rubrique.name]
        elif rubrique.printed and not (rubrique.name in ("call_date", "call_time")
                                       and "call_datetime" in written) and rng.random() < 0.3:
            value, way = [], "empty"  # printed on the fiche, left blank
        else:
            continue
        lines.append(Line(rubrique.name, word_label(rng, rubrique, classes), value, way))
    comment = classes is None or "comment_as_description" in classes
    if comment and "follow_up" not in written and rng.random() < RATES["comment_as_description"]:
        # "Commentaire :" as the only free-text rubrique: it holds the description.
        line = next(line for line in lines if line.field == "description")
        line.label = Wording(rng.choice(("Commentaire", "Commentaires", "COMMENTAIRE")),
                             ("comment_as_description",))
        lines = [x for x in lines if x.field != "follow_up"]
    if rng.random() < 0.15 and len(lines) > 3:
        i = rng.randrange(1, len(lines) - 1)
        lines[i], lines[i + 1] = lines[i + 1], lines[i]
        fiche_classes.append("fields-reordered")

    def text(name: str) -> str | None:
        value = written.get(name)
        return " ".join(v for v in value[0] if v) if value else None

    expected: dict[str, str | None] = {name: text(name) for name in FICHE_FIELDS}
    expected |= {
        "service_id": entry.id,
        "reporter_name": text("reporter_name") or sender_name,
        "reporter_email": text("reporter_email") or sender_email,
        "call_date": day.isoformat(),
        "call_time": f"{hour:02d}:{minute:02d}" if has_time else None,
        "category": category,
    }
    return Fiche(lines, expected, sent, sender_name, sender_email, fiche_classes)
