"""Label/value pairs from plain text: "Label : value" lines, wrapped values, tab-separated cells,
and "Label value" lines without a colon (tables turned into text by a PDF)."""

from __future__ import annotations

import re

from parsers.category import split_box_line
from parsers.fold import fold
from parsers.form import FormDefinition, default_form
from parsers.labels import OTHER, LabelMatch, LabelWords, label_words, strip_decorations
from parsers.pairs import Pair
from parsers.plausible import may_start_value, starts_as
from parsers.values import MONTHS, is_blank

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
    """(field, label, value) when the line starts with a known label; the label as written,
    without the bullet or number of a list ("3.", "a)", "II -")."""
    body = _BULLET.sub("", line, count=1)
    box = split_box_line(body)  # before labels: folding a label erases its box
    if box:
        field = form.match_label(box[0])
        if field and field.startswith("cat:"):
            return field, strip_decorations(box[0]), f"{box[1]} {box[2]}".strip()
    found = _find(body, form)
    return (found[0], strip_decorations(found[1]), found[2]) if found else None


def _find(body: str, form: FormDefinition) -> tuple[str, str, str] | None:
    for sep in (":", "："):
        if sep in body:
            label, value = body.split(sep, 1)
            field = form.match_label(label)
            if field:
                return field, label.strip(), value.strip()
    parts = _SPLIT_TAB.split(body.strip(), maxsplit=1)
    if len(parts) == 2:
        field = form.match_label(parts[0])
        if field:
            return field, parts[0], parts[1].strip(" :|")
    # A label alone on its line (value on the next lines); a line that only resembles a
    # label may be "Label value" ("Nom de l'agent 39 75 Julie").
    whole = form.match(body.strip().rstrip(":").strip())
    if whole and whole.score >= 0.95:
        return whole.field, body.strip(), ""
    inline = _label_then_value(body.strip(), form)
    if inline is None and whole:
        return whole.field, body.strip(), ""
    return inline


_3975 = ("39", "75", "3975")
#: The longest label read at the start of a line without a colon, in words.
_MAX_LABEL_WORDS = 10
_VALUE_START = re.compile(r"^[A-ZÀ-ÖØ-Þ0-9«\"'“(]")


def _label_then_value(body: str, form: FormDefinition) -> tuple[str, str, str] | None:
    """"Date de l'appel 12/03/2026", "Type de dysfonctionnement Information erronée": the
    prefix that best reads as a label, when what follows can be its value. A sentence that
    merely starts with a label's word ("Service de la voirie contacté...") stays text."""
    words = body.split()
    first = label_words(words[0]).core if len(words) > 1 else ()
    if not first or not form.knows_word(first[0]):
        return None  # most lines of a description: nothing to try
    # Prefixes worth matching: a label holds no number of its own and few unknown words.
    reader = form.reader
    per_word = [label_words(w) for w in words[: min(len(words) - 1, _MAX_LABEL_WORDS)]]
    unknown, longest = 0, 0
    for n, word_words in enumerate(per_word, 1):
        for token in word_words.core:
            if not reader.knows(token):
                unknown += 99 if any(c.isdigit() for c in token) and token not in _3975 else 1
        if unknown > 2:
            break
        longest = n
    simple = "(" not in body and "39" not in body  # words of a prefix = its words' words
    best: tuple[tuple[float, bool, int, int], str, str, str] | None = None
    categories = form.category_words
    for n in range(longest, 0, -1):
        label, value = " ".join(words[:n]), " ".join(words[n:])
        if not may_start_value(value, categories):
            continue
        core = tuple(t for w in per_word[:n] for t in w.core) if simple else None
        found = reader.match(label, LabelWords(core, ()) if core is not None else None)
        if found and _reads_as_value(found, label, value, form):
            # Equal scores: a reading the fiche need not decide ("Service / mairie déclarant",
            # not "Service /"), more words of meaning ("Nom agent 3975", not "Nom agent"),
            # then fewer words ("Date de l'appel", not "Date de l'appel le").
            meaning = len(core) if core is not None else len(label_words(label).core)
            key = (found.score, not found.ambiguous, meaning, -n)
            if best is None or key > best[0]:
                best = (key, found.field, label, value)
    return best[1:] if best else None


def _reads_as_value(found: LabelMatch, label: str, value: str, form: FormDefinition) -> bool:
    """A typed rubrique (date, time, category, service, e-mail) needs a value that begins like
    one; a free-text rubrique needs its full label (the printed one, or a wording of two words
    or more) and a value that begins like a new sentence. An ambiguous label is judged by its
    usual reading: "Service Mairie du 12e" is the service, "Service Mairie du" no label."""
    field = found.field
    if field == OTHER:
        return value[:1].isdigit()  # "Tél. 01 42 76 40 40"
    if field.startswith("cat:"):
        return False  # check-box lines are read above
    kind = form.field(field).type
    if kind != "text":
        return starts_as(kind, value, form.category_words)
    written = label_words(label).core
    full = len(written) >= 2 or label_words(form.field(field).label).core == written
    return found.score >= 0.95 and full and _VALUE_START.match(value) is not None


def _read_already(label: str, pairs: list[Pair], form: FormDefinition) -> bool:
    """Whether every rubrique `label` may stand for already has a value in `pairs`."""
    found = form.match(label)
    filled = {p.field for p in pairs if not is_blank(p.value)}
    return found is not None and all(f in filled for f in found.fields)


def is_closing(line: str) -> bool:
    return bool(_CLOSING.match(fold(line).strip()))


def extract_pairs(text: str, form: FormDefinition | None = None) -> list[Pair]:
    """Every (field, value, label) found in `text`, in order; values joined across wrapped
    lines."""
    form = form or default_form()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    pairs: list[Pair] = []
    field: str | None = None
    label = ""
    parts: list[str] = []
    blank_run = 0
    # After a closing formula come the signature block and the visa: a line there that reads
    # like a label alone ("Mairie du 12e" under a name) starts no field; "Label : value" does.
    closed = False

    def flush() -> None:
        if field is not None:
            pairs.append(Pair(field, "\n".join(p for p in parts if p).strip(), label))

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
        if found and field in LONG_FIELDS and any(parts) and _read_already(found[1], pairs, form):
            found = None  # "Service : état civil" in a description, the service read above: text
        if found and (found[2] or not closed):
            flush()
            field, label, parts, closed = found[0], found[1], [found[2]], False
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
