"""From (field, value) pairs, whatever their source, to one raw fiche: field -> text as written."""

from __future__ import annotations

from collections.abc import Iterable

from parsers.category import box_lines_text
from parsers.form import FormDefinition, default_form
from parsers.model import Category
from parsers.values import clean_value, has_time, is_blank

RawFiche = dict[str, str]


def collect(pairs: Iterable[tuple[str, str]], form: FormDefinition | None = None) -> RawFiche:
    """The first non-blank value of each field; combined date+time split; check box lines (one
    per choice) read together with the rubrique into one category value."""
    form = form or default_form()
    raw: RawFiche = {}
    boxes: list[tuple[Category, str]] = []

    def put(field: str, value: str) -> None:
        if field not in raw or (is_blank(raw[field]) and not is_blank(value)):
            raw[field] = value

    for field, value in pairs:
        value = clean_value(value, keep_lines=field == "category")
        if field.startswith("cat:"):
            boxes.append((field[4:], value))  # type: ignore[arg-type] # form.yaml's values
            continue
        if field in ("call_datetime", "call_date"):
            put("call_date", value)
            if has_time(value):
                put("call_time", value)
            continue
        put(field, value)
    written = raw.get("category")
    listed = box_lines_text(None if is_blank(written) else written, boxes, form) if boxes else None
    if listed is not None:
        raw["category"] = listed
    return raw


def score(raw: RawFiche) -> int:
    """How much of a fiche was found: the number of fields with a value."""
    return sum(1 for v in raw.values() if not is_blank(v))


def looks_like_fiche(pairs: list[tuple[str, str]]) -> bool:
    """At least two different fiche labels, one of them filled in."""
    fields = {f.split(":")[0] if f.startswith("cat:") else f for f, _ in pairs}
    return len(fields) >= 2 and any(not is_blank(v) for _, v in pairs)
