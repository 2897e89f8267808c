"""What a condition can test: the fiche's own fields plus a few derived from them."""

from __future__ import annotations

from typing import get_args

from parsers.directory import Directory, Kind
from parsers.model import Category, Fiche

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

#: Derived fields, with what they hold (shown by `rules check` when a field is unknown).
DERIVED: dict[str, str] = {
    "service.kind": "kind of the reporting service: " + ", ".join(get_args(Kind)),
    "reporter_domain": "domain of the reporter's address, e.g. paris.fr",
    "call_weekday": "day of the call: " + ", ".join(WEEKDAYS),
    "call_hour": "hour of the call, 0 to 23 (use min/max or in)",
}
FIELDS: tuple[str, ...] = (*Fiche.model_fields, *DERIVED)
#: Fields that can be compared as numbers with min/max.
NUMERIC: frozenset[str] = frozenset({"call_hour"})
#: Fields whose values are a closed list: a value outside it can never match.
VALUES: dict[str, tuple[str, ...]] = {
    "category": get_args(Category),
    "service.kind": get_args(Kind),
    "call_weekday": WEEKDAYS,
    "call_hour": tuple(str(h) for h in range(24)),
}


def fiche_facts(fiche: Fiche, directory: Directory) -> dict[str, str | None]:
    """The value of every field a condition may test, as text (None when unknown)."""
    facts: dict[str, str | None] = {
        k: (None if v is None else str(v)) for k, v in fiche.model_dump().items()
    }
    entry = directory.get(fiche.service_id)
    facts["service.kind"] = entry.kind if entry else None
    email = (fiche.reporter_email or "").lower()
    facts["reporter_email"] = email or None
    facts["reporter_domain"] = email.rpartition("@")[2] or None
    facts["call_weekday"] = WEEKDAYS[fiche.call_date.weekday()]
    facts["call_hour"] = str(int(fiche.call_time[:2])) if fiche.call_time else None
    return facts
