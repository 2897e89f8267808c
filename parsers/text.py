"""Label/value pairs from plain text: "Label : value" lines, wrapped values, tab-separated cells."""

from __future__ import annotations

import re

from parsers.category import split_box_line
from parsers.fold import fold
from parsers.form import FormDefinition, default_form
from parsers.values import MONTHS

Pair = tuple[str, str]

_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))

#: Fields whose value may start on the line after its label, even after a blank line.
LONG_FIELDS = frozenset(
    {"description", "caller_request", "wrong_information", "follow_up", "expected_service"}
)
_BULLET = re.compile(r"^\s*(?:>\s*)*(?:[-*•·–—▪◦►➢]\s*|\d{1,2}[.)]\s+)?")
_DATE = (
    r"(\d{1,2}(er)?\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}"
    rf"|\d{{1,2}}(er)? ({_MONTH_ALT})\.? \d{{4}})"
)
#: Lines that end what an agent typed: greetings, "Fait à Paris, le 13/03/2026", a date alone,
#: the signature and visa boxes of the printed fiche, page numbers of a PDF's footer.
_CLOSING = re.compile(
    r"^(cordialement|bien cordialement|tres cordialement|bien a vous|bonne journee|bonne soiree"
    r"|sinceres salutations|salutations|merci( d'avance| par avance| beaucoup)?\b|best regards"
    r"|regards|a bientot|en vous remerciant|je reste a (votre|ta) disposition|--\s*$"
    rf"|fait a [a-z' -]+,? (le )?{_DATE}|((fait )?a )?[a-z' -]{{2,30}},? le {_DATE}\s*[.,]?$"
    rf"|le {_DATE}\s*[.,]?$"
    r"|(signatures?|visa|cachet)( (du |de la |de l')[a-z' ]{1,30})?\s*(:.*)?$"
    r"|page \d+( ?(/|sur) ?\d+)?\s*$|\d{1,3} / \d{1,3}\s*$|- \d{1,3} -\s*$)"
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
    # After a closing formula come the signature block and the visa: a line there that reads
    # like a label alone ("Mairie du 12e" under a name) starts no field; "Label : value" does.
    closed = False

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
        if found and (found[2] or not closed):
            flush()
            field, parts, closed = found[0], [found[2]], False
            continue
        if is_closing(stripped):
            closed = closed or field is not None or bool(pairs)  # a closing before the fiche
            flush()
            field, parts = None, []
            continue
        if field is None:
            continue
        parts.append(stripped)
    flush()
    return pairs
