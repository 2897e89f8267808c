"""Label/value pairs from plain text: "Label : value", "Label - value", "Label<tab>value" and
"Label  value" lines, "Label value" lines without a separator (tables turned into text by a
PDF), rows of check boxes after their label, wrapped values, and free-text rubriques that run
over several paragraphs until the next label, a closing formula or a signature."""

from __future__ import annotations

import re

from parsers.category import box_row_start, split_box_line
from parsers.fold import fold
from parsers.form import FormDefinition, default_form
from parsers.labels import OTHER, LabelMatch, LabelWords, label_words, strip_decorations
from parsers.pairs import Pair
from parsers.plausible import may_start_value, starts_as
from parsers.values import MONTH_NAMES, is_blank

#: Fields whose value may start on the line after its label, even after a blank line.
LONG_FIELDS = frozenset(
    {"description", "caller_request", "wrong_information", "follow_up", "expected_service"}
)
#: Free-text rubriques whose value may run over several paragraphs.
PARAGRAPH_FIELDS = LONG_FIELDS - {"expected_service"}
_QUOTE = re.compile(r"^\s*(?:>\s*)+")
#: The number or letter in front of a line of a numbered list: "3.", "3)", "c)", "iv -".
_NUMBER = re.compile(r"^\s*(?:>\s*)*(?:(\d{1,2})\s*[.)]|([a-z])\s*[.)]|([ivx]{1,4})\s*[.)\-–])\s",
                     re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:>\s*)*([-*•·–—▪◦►➢])\s")
#: "Head : value" or "Head<tab>value" with a short head: how a rubrique's line looks, known
#: label or not.
_HEADED = re.compile(r"^[^\W\d_][^.!?;:\t]{0,49}?(?:(?<!\d)\s*[:：]|\t)\s*\S")  # not 08:05
_LABEL_END = re.compile(r"[:：*)]\s*$")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9,
          "x": 10, "xi": 11, "xii": 12, "xiii": 13, "xiv": 14, "xv": 15}
_DATE = (
    r"(\d{1,2}(er)?\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}"
    rf"|\d{{1,2}}(er)? ({MONTH_NAMES})\.? \d{{4}})"
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
    r"|page \d+( ?(/|sur) ?\d+)?\s*$|\d{1,3} / \d{1,3}\s*$|- \d{1,3} -\s*$"
    # What mail puts after a fiche: requests to the reader, disclaimers, the phone's signature,
    # rules and the header of a quoted message.
    r"|je vous (remercie|prie|souhaite)\b|veuillez agreer|n'hesitez pas|dans l'attente de"
    r"|(je reste|nous restons|restant|reste) a (votre|ta|vos|ton) |pour toute (autre )?"
    r"(question|information|demande|precision)|(ce|cet|le present) (message|courriel|e-?mail|mail)"
    r"\b|les informations contenues|avertissement ?:|(pensez|merci de penser) a l'environnement"
    r"|avant d'imprimer|(envoye|sent) (de|depuis|from) (mon|my)\b|[-_=*~]{4,}\s*$"
    r"|le .{4,80} a ecrit ?:?\s*$"
    # The footnote of a printed form: "* rubrique obligatoire", "(*) champs obligatoires".
    r"|\(?\*\)? ?(rubriques?|champs?|mentions?|informations?) (obligatoires?|requises?))"
)
#: What may stand between a label and its value, the earliest first: a colon, a dash between
#: spaces, a tab, two spaces or more (columns kept by a PDF or typed), a bar.
_SEPARATOR = re.compile(r"\s*[:：]\s*|\s+[-–—]\s+|\s*\t\s*|\s{2,}|\s+\|\s+")
#: The longest label read in front of a separator, in characters.
_MAX_LABEL = 90


def _split(line: str, form: FormDefinition) -> tuple[str, str, str] | None:
    """(field, label, value) when the line starts with a known label; the label as written,
    without the bullet or number of a list ("3.", "a)", "II -"). A row of check boxes is the
    category's value, with an empty label when the row stands alone on its line."""
    body = strip_decorations(_QUOTE.sub("", line))
    row = box_row_start(body, form)
    if row is not None:
        found = _box_row(body, row, form)
        if found:
            return found
    else:
        box = split_box_line(body)  # before labels: folding a label erases its box
        if box:
            field = form.match_label(box[0])
            if field and field.startswith("cat:"):
                return field, strip_decorations(box[0]), f"{box[1]} {box[2]}".strip()
    found = _find(body, form)
    if found and found[0].startswith("cat:") and row is not None:
        return None  # one choice of a row of boxes is no label of its own
    return (found[0], strip_decorations(found[1]), found[2]) if found else None


#: The most words of a label not known to the form in front of a row of boxes.
_MAX_ROW_LABEL_WORDS = 6


def _box_row(body: str, row: int, form: FormDefinition) -> tuple[str, str, str] | None:
    """The category read from a row of boxes and what precedes it: the category's label (or
    a label of another wording, "Nature du problème"), or nothing. None when another rubrique's
    label precedes the boxes."""
    label = body[:row].strip(" \t:：-–—|")
    value = body[row:].strip()
    if not label:
        return "category", "", value
    field = form.match_label(label)
    if field == "category" or (field is None and len(label.split()) <= _MAX_ROW_LABEL_WORDS):
        return "category", label, value
    return None


def _find(body: str, form: FormDefinition) -> tuple[str, str, str] | None:
    for m in _SEPARATOR.finditer(body):
        if m.start() > _MAX_LABEL:
            break
        label = body[: m.start()]
        if not label.strip() or label.count("(") > label.count(")"):
            continue  # "Heure (hh:mm) : 14h30": the colon in brackets is the label's
        field = form.match_label(label)
        if field:
            return field, label.strip(), body[m.end() :].strip()
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
_WORD_SPAN = re.compile(r"\S+")


def _label_then_value(body: str, form: FormDefinition) -> tuple[str, str, str] | None:
    """"Date de l'appel 12/03/2026", "Type de dysfonctionnement Information erronée": the
    prefix that best reads as a label, when what follows can be its value. A sentence that
    merely starts with a label's word ("Service de la voirie contacté...") stays text."""
    spans = [m.start() for m in _WORD_SPAN.finditer(body)]
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
    for n in range(longest, 0, -1):
        label, value = " ".join(words[:n]), body[spans[n] :]  # the value's spacing kept
        if not may_start_value(value, form):
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
        return starts_as(kind, value, form)
    written = label_words(label).core
    full = len(written) >= 2 or label_words(form.field(field).label).core == written
    return found.score >= 0.95 and full and _VALUE_START.match(value) is not None


def _read_already(label: str, read: set[str], form: FormDefinition) -> bool:
    """Whether every rubrique `label` may stand for is already among the `read` ones."""
    found = form.match(label)
    return found is not None and all(f in read for f in found.fields)


def _same_rubrique(
    field: str, found: tuple[str, str, str], text: str, form: FormDefinition
) -> bool:
    """Whether the line `text`, read as `found`, is rather the value of the label `field` just
    above it: a label of the same rubrique again with no separator after it ("Service
    déclarant" / "MAIRIE DU 20E"), a choice named alone under the category's label ("Type de
    dysfonctionnement" / "Autres"), or a line that would be a label alone of no rubrique
    ("Suite donnée" / "Usager rappelé par téléphone")."""
    label, value = found[1], found[2]
    if not value and (
        (field == "category" and found[0].startswith("cat:")) or found[0] == OTHER
    ):
        return True
    rest = text[text.find(label) + len(label) :] if label in text else ""
    if not label or _SEPARATOR.match(rest):
        return False  # "Agent 39 75" / "Nom : Karim B.": the block's own label
    match = form.match(label)
    return match is not None and field in match.fields


def _kind(field: str, form: FormDefinition) -> str:
    """The type of a rubrique in form.yaml; "" for a check box line or a line of no rubrique."""
    return next((f.type for f in form.fields if f.name == field), "")


def is_closing(line: str) -> bool:
    return bool(_CLOSING.match(fold(line).strip()))


def _numbers(line: str) -> frozenset[tuple[str, int]]:
    """How the line is numbered: ("1", 3) for "3." or "3)", ("a", 3) for "c)", ("i", 3) for
    "iii -"; "i)" and "v)" may be a letter or a Roman number."""
    m = _NUMBER.match(line)
    if m is None:
        return frozenset()
    if m[1]:
        return frozenset({("1", int(m[1]))})
    found = set()
    if m[2]:
        found.add(("a", ord(m[2].lower()) - ord("a") + 1))
    roman = (m[3] or m[2] or "").lower()
    if roman in _ROMAN:
        found.add(("i", _ROMAN[roman]))
    return frozenset(found)


def _follows(numbers: frozenset[tuple[str, int]], line: str) -> bool:
    """Whether `line` is numbered as the item after the one numbered `numbers`."""
    return bool(numbers) and any((kind, n - 1) in numbers for kind, n in _numbers(line))


def _bullet(line: str) -> str:
    m = _BULLET.match(line)
    return m[1] if m else ""


def _headed(text: str) -> bool:
    m = _HEADED.match(text)
    return m is not None and len(m[0].split()) <= 7


def _next_rubrique(field: str, bullet: str, line: str, text: str) -> bool:
    """Whether `line` (`text` without its bullet) is a rubrique of its own although its label
    is not known: an item of the same list as the current rubrique's that reads as a label
    ("• Suite éventuelle (facultatif)"), or a "Head : value" line after a short value. A
    free-text rubrique keeps lines that only hold a colon ("Précision : ...")."""
    long_text = field in PARAGRAPH_FIELDS
    if bullet and _bullet(line) == bullet:
        return not long_text or _headed(text) or _LABEL_END.search(text) is not None
    return not long_text and _headed(text)


#: Sentence punctuation at the end of a line of prose.
_SENTENCE_END = re.compile(r"[.!?…;»\")]\s*$")
#: A person's name as it opens a signature: "Sophie Martin", "S. MERCIER", "Jean-Marc de La
#: Tour": two to four words, each with a capital or a particle.
_NAME = re.compile(
    r"^(?:(?:[A-ZÀ-Þ][\w'’-]*\.?|[A-ZÀ-Þ]\.|de|du|des|d'|le|la|van|von|ben|el)(?:\s+|$)){2,4}$"
)
_CONTACT = re.compile(r"@|https?://|www\.|\b(?:\d{2}[ .]?){5}\b|\b\d{5} [A-Z]")
#: A line this long reads as prose even without a full stop.
_PROSE_WORDS = 6


def _goes_on(lines: list[str], start: int) -> bool:
    """Whether the paragraph starting at `start`, after a blank line, carries on a free-text
    rubrique: prose, not the signature block or the closing lines that follow a fiche in
    mail."""
    paragraph: list[str] = []
    for line in lines[start:]:
        text = _QUOTE.sub("", line).strip()
        if not text:
            break
        paragraph.append(text)
    first = paragraph[0]
    if _NAME.match(first) or any(_CONTACT.search(line) for line in paragraph):
        return False
    return len(first.split()) >= _PROSE_WORDS or any(_SENTENCE_END.search(p) for p in paragraph)


def extract_pairs(text: str, form: FormDefinition | None = None) -> list[Pair]:
    """Every (field, value, label) found in `text`, in order; values joined across wrapped
    lines, and across paragraphs for a free-text rubrique."""
    form = form or default_form()
    lines = [
        line.replace("\u00a0", " ").rstrip()
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    ]
    pairs: list[Pair] = []
    read: set[str] = set()  # rubriques of `pairs` with a value
    field: str | None = None
    label = ""
    parts: list[str] = []
    numbers: frozenset[tuple[str, int]] = frozenset()  # of the current rubrique's line
    bullet = ""  # of the current rubrique's line
    blank_run = 0
    # After a closing formula come the signature block and the visa: a line there that reads
    # like a label alone ("Mairie du 12e" under a name) starts no field; "Label : value" does.
    closed = False

    def flush() -> None:
        if field is not None:
            pairs.append(Pair(field, "\n".join(p for p in parts if p).strip(), label))
            if not is_blank(pairs[-1].value):
                read.add(field)  # kept as it goes: a long text of labels stays linear

    for index, line in enumerate(lines):
        stripped = _QUOTE.sub("", line).strip()
        if not stripped:
            blank_run += 1
            filled = any(parts)
            going_on = field in PARAGRAPH_FIELDS and filled  # the next paragraph decides
            if field is not None and not going_on and (
                filled or field not in LONG_FIELDS or blank_run > 1
            ):
                flush()
                field, parts = None, []
            continue
        new_paragraph, blank_run = blank_run > 0, 0
        found = _split(line, form)
        bare_row = found is not None and found[0] == "category" and not found[1]
        if bare_row and field == "category" and not any(parts) and found:
            parts.append(found[2])  # the row of boxes under its label
            continue
        if found and field in LONG_FIELDS and any(parts) and _read_already(found[1], read, form):
            found = None  # "Service : état civil" in a description, the service read above: text
        if found and field and not any(parts) and _same_rubrique(field, found, stripped, form):
            found = None  # "Service déclarant" / "MAIRIE DU 20E": the value under its label
        if found and (found[2] or not closed):
            flush()
            field, label, parts, closed = found[0], found[1], [found[2]], False
            numbers, bullet = _numbers(line), _bullet(line)
            continue
        dated = field is not None and not any(parts) and _kind(field, form) in ("date", "datetime")
        if is_closing(stripped) and not dated:  # "Date de l'appel" / "le 12/03/2026": its value
            closed = closed or field is not None or bool(pairs)  # a closing before the fiche
            flush()
            field, parts = None, []
            continue
        if field is None:
            continue
        text = strip_decorations(stripped)
        if (
            (new_paragraph and (not _goes_on(lines, index) if any(parts) else _headed(text)))
            or _follows(numbers, line)
            or _next_rubrique(field, bullet, line, text)
        ):
            # The signature after the fiche, or a rubrique whose label is not known (the next
            # item of a numbered list, a "Head : value" paragraph after an empty rubrique):
            # the rubrique ends here.
            flush()
            field, parts = None, []
            continue
        parts.append(stripped)
    flush()
    return pairs
