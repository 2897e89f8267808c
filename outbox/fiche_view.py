"""A ticket's fiche as the lines a given recipient may see, with the labels of the form."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from parsers.form import default_form

#: Labels as printed on the official fiche, in its order (from config/form.yaml).
LABELS: dict[str, str] = default_form().labels
CATEGORY_LABELS: dict[str, str] = default_form().category_labels


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _display(field: str, value: Any) -> str:
    if field == "category":
        return CATEGORY_LABELS.get(str(value), str(value))
    # An invalid fiche keeps the date as the agent wrote it: only ISO dates are re-written.
    if field == "call_date" and isinstance(value, str) and ISO_DATE.match(value):
        year, month, day = value.split("-")
        return f"{day}/{month}/{year}"
    return str(value)


def fiche_lines(record: dict[str, Any], hidden: Iterable[str] = ()) -> list[dict[str, str]]:
    """Label/value pairs of the filled-in fields; `hidden` fields are shown as withheld."""
    hidden = set(hidden)
    lines = []
    for field, label in LABELS.items():
        value = record.get(field)
        if value in (None, ""):
            continue
        shown = "(non communiqué)" if field in hidden else _display(field, value)
        lines.append({"field": field, "label": label, "value": shown})
    return lines
