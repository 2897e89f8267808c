"""A ticket's fiche as the lines a given recipient may see, with the labels of the form."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from parsers.fold import clean_spaces, fold_words
from parsers.form import default_form

#: Labels as printed on the official fiche, in its order (from config/form.yaml).
LABELS: dict[str, str] = default_form().labels
CATEGORY_LABELS: dict[str, str] = default_form().category_labels
WITHHELD = "(non communiqué)"


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _display(field: str, value: Any) -> str:
    if field == "category":
        return CATEGORY_LABELS.get(str(value), str(value))
    # An invalid fiche keeps the date as the agent wrote it: only ISO dates are re-written.
    if field == "call_date" and isinstance(value, str) and ISO_DATE.match(value):
        year, month, day = value.split("-")
        return f"{day}/{month}/{year}"
    return str(value)


def fiche_lines(
    record: dict[str, Any],
    hidden: Iterable[str] = (),
    *,
    written: Mapping[str, str] | None = None,
    warned: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """Label/value pairs of the filled-in fields; `hidden` fields are shown as withheld.

    For the agent who wrote the fiche: `written` holds fields as written, shown beside what was
    understood when they say it differently ("hier" -> 11/03/2026); `warned` lists the field of
    each warning, in order, and a line gets the numbers of the warnings about it (`notes`)."""
    hidden = set(hidden)
    lines: list[dict[str, Any]] = []
    for field, label in LABELS.items():
        value = record.get(field)
        if value in (None, ""):
            continue
        if field in hidden:
            lines.append({"field": field, "label": label, "value": WITHHELD, "written": None,
                          "notes": []})
            continue
        shown = _display(field, value)
        as_written = clean_spaces((written or {}).get(field) or "")
        differs = as_written and fold_words(as_written) != fold_words(shown)
        notes = [n for n, name in enumerate(warned, 1) if name == field]
        lines.append({"field": field, "label": label, "value": shown,
                      "written": as_written if differs else None, "notes": notes})
    return lines
