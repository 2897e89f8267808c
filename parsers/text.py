"""Label/value pairs from plain text: "Label : value" lines, wrapped values, tab-separated cells."""

from __future__ import annotations

import re

from parsers.category import split_box_line
from parsers.fold import fold
from parsers.form import FormDefinition, default_form

Pair = tuple[str, str]

#: Fields whose value may start on the line after its label, even after a blank line.
LONG_FIELDS = frozenset(
    {"description", "caller_request", "wrong_information", "follow_up", "expected_service"}
)
_BULLET = re.compile(r"^\s*(?:>\s*)*(?:[-*•·–—▪◦►➢]\s*|\d{1,2}[.)]\s+)?")
_CLOSING = re.compile(
    r"^(cordialement|bien cordialement|tres cordialement|bien a vous|bonne journee|bonne soiree"
    r"|sinceres salutations|salutations|merci( d'avance| par avance| beaucoup)?\b|best regards"
    r"|regards|a bientot|en vous remerciant|je reste a (votre|ta) disposition|--\s*$)"
)
_SPLIT_TAB = re.compile(r"\t+|\s{3,}|\s+\|\s+")


def _split(line: str, form: FormDefinition) -> tuple[str, str, str] | None:
    """(field, label, value) when the line starts with a known label."""
    body = _BULLET.sub("", line, count=1)
    box = split_box_line(body)  # before labels: folding a label erases its box
    if box:
        field = form.match_label(box[0])
        if field and field.startswith("cat:"):
            return field, box[0], f"{box[1]} {box[2]}".strip()
    for sep in (":", "："):
        if sep in body:
            label, value = body.split(sep, 1)
            field = form.match_label(label)
            if field:
                return field, label, value.strip()
    parts = _SPLIT_TAB.split(body.strip(), maxsplit=1)
    if len(parts) == 2:
        field = form.match_label(parts[0])
        if field:
            return field, parts[0], parts[1].strip(" :|")
    # A label alone on its line (value on the next lines).
    field = form.match_label(body.strip().rstrip(":").strip())
    if field:
        return field, body.strip(), ""
    return None


def is_closing(line: str) -> bool:
    return bool(_CLOSING.match(fold(line).strip()))


def extract_pairs(text: str, form: FormDefinition | None = None) -> list[Pair]:
    """Every (field, value) found in `text`, in order; values joined across wrapped lines."""
    form = form or default_form()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    pairs: list[Pair] = []
    field: str | None = None
    parts: list[str] = []
    blank_run = 0

    def flush() -> None:
        if field is not None:
            pairs.append((field, "\n".join(p for p in parts if p).strip()))

    for raw in lines:
        line = raw.replace("\u00a0", " ").rstrip()
        stripped = re.sub(r"^\s*(?:>\s*)+", "", line).strip()
        if not stripped:
            blank_run += 1
            if field is not None and (parts or field not in LONG_FIELDS or blank_run > 1):
                flush()
                field, parts = None, []
            continue
        blank_run = 0
        found = _split(line, form)
        if found:
            flush()
            field, parts = found[0], [found[2]]
            continue
        if field is None:
            continue
        if is_closing(stripped):
            flush()
            field, parts = None, []
            continue
        parts.append(stripped)
    flush()
    return pairs
