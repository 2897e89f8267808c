"""Reading the "Type de dysfonctionnement": check boxes in either order, or the words of a choice.

A mark belongs to the choice it stands next to. Marks may come before their choices
("☐ Erreur de transfert ☒ Information erronée"), after them ("Autre [X]", "Autre : oui"), or a
line each; the layout of the whole list decides which choice a mark between two choices
belongs to, and a choice that already owns a box cannot own a second, contradicting one. When
the layout leaves two readings, when two boxes are ticked or none is, the reading is a question
for the agent, never a guess.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from parsers.fold import fold
from parsers.form import FormDefinition, default_form
from parsers.model import Category

# The private-use characters are Wingdings boxes as PDF exports of Word fiches give them.
_TICK_GLYPHS = "☒☑✅■◼▣●◉⦿⊠⊗✓✔✗✘☓×🗹🗷\uf0fe\uf0fd\uf078\uf0fc\uf0fb"
_EMPTY_GLYPHS = "☐□▢○◯❑❒◻◽⬜❏\uf06f\uf0a8\uf071"
#: One mark as agents type it, in folded text. Groups: a ticked box or mark, an empty box, a
#: word that answers for the choice before it ("oui", "non", "coché").
_MARK = (
    rf"(?P<tick>[\[(]\s*[x{_TICK_GLYPHS}v*+/]\s*[\])]|[{_TICK_GLYPHS}]|(?<![\w'])x(?![\w']))"
    rf"|(?P<empty>[\[(][\s_]*[\])]|[{_EMPTY_GLYPHS}])"
    r"|(?<![\w'])(?P<word>oui|non|cochee?)(?![\w'])"
)
_MARK_RE = re.compile(_MARK)
#: Separators between choices: a mark never reaches a choice across one.
_SEP_RE = re.compile(r"[|;,/]")
_COLON_RE = re.compile(r"[:=]")
_WORD_RE = re.compile(r"[a-z0-9']+")
#: A whole value that is only a mark, as PDF form fields and spreadsheets give it.
_TICK_VALUES = frozenset({"yes", "on", "vrai", "true", "1"})
_EMPTY_VALUES = frozenset({"off", "faux", "false", "0"})


@dataclass(frozen=True)
class CategoryReading:
    """The category a value names, or None and the question to put to the agent (French)."""

    category: Category | None
    problem: str | None = None


@dataclass(frozen=True)
class _Token:
    kind: str  # "choice", "tick", "empty", "sep", "colon", "text" ("gap" while tokenising)
    start: int
    end: int
    category: Category | None = None
    after_only: bool = False  # "oui", "non": they answer for the choice just before
    #: The spaces typed before and after the token (1 unless a wide gap was kept).
    space_before: int = 1
    space_after: int = 1


@functools.lru_cache(maxsize=8)
def _choice_pattern(
    words_of: tuple[tuple[Category, tuple[str, ...]], ...],
) -> tuple[re.Pattern[str], dict[str, Category]]:
    """One pattern for every wording of every choice, the longest first at each place."""
    category_of: dict[str, Category] = {}
    for category, words in words_of:
        for word in words:
            category_of.setdefault(word, category)
    alternation = "|".join(re.escape(w) for w in sorted(category_of, key=len, reverse=True))
    return re.compile(rf"(?<![a-z])(?:{alternation})(?![a-z])"), category_of


def names_a_choice(text: str, form: FormDefinition) -> bool:
    """Whether `text` names one of the choices, in any of its wordings."""
    pattern, _ = _choice_pattern(tuple(form.category_words.items()))
    return pattern.search(fold(text)) is not None


def _choices(folded: str, form: FormDefinition) -> list[_Token]:
    """Non-overlapping mentions of the choices, the longest wording first at each place."""
    pattern, category_of = _choice_pattern(tuple(form.category_words.items()))
    return [
        _Token("choice", m.start(), m.end(), category_of[m[0]]) for m in pattern.finditer(folded)
    ]


#: Stands for a run of spaces in folded text, one character a space: the layout an agent gave
#: a row of boxes ("Erreur de transfert X   Information erronée") says which choice is near.
_GAP = "¦"
_SPACE_RUN = re.compile(r"(?<![\[(])[ \u00a0\u2007\u202f]{2,}(?![\])])")
_GAP_RE = re.compile(f"{_GAP}+")


def _fold(text: str) -> str:
    """Folded, with line breaks and tabs kept as separators, runs of spaces kept as gaps (not
    inside a box, "[   ]") and emoji variation marks dropped."""
    text = _SPACE_RUN.sub(lambda m: f" {_GAP * len(m[0])} ", text)
    return fold(re.sub(r"[\t\r\n]+", " | ", text)).replace("\ufe0f", "")


def _tokens(folded: str, form: FormDefinition) -> list[_Token]:
    tokens = _choices(folded, form)
    taken = bytearray(len(folded))  # characters already in a token

    def take(start: int, end: int) -> bool:
        if any(taken[start:end]):
            return False
        taken[start:end] = b"\x01" * (end - start)
        return True

    for token in tokens:
        take(token.start, token.end)
    for m in _MARK_RE.finditer(folded):
        if take(m.start(), m.end()):
            kind = "empty" if m["empty"] or m["word"] == "non" else "tick"
            tokens.append(_Token(kind, m.start(), m.end(), after_only=m["word"] is not None))
    for pattern, kind in (
        (_GAP_RE, "gap"), (_SEP_RE, "sep"), (_COLON_RE, "colon"), (_WORD_RE, "text")
    ):
        for m in pattern.finditer(folded):
            if take(m.start(), m.end()):
                tokens.append(_Token(kind, m.start(), m.end()))
    tokens.sort(key=lambda t: t.start)
    return _answer_words(_spaced(tokens))


def _spaced(tokens: list[_Token]) -> list[_Token]:
    """The tokens without the gaps, each knowing the width of the gap on either side."""
    kept: list[_Token] = []
    for i, token in enumerate(tokens):
        if token.kind == "gap":
            continue
        before = tokens[i - 1] if i > 0 else None
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        kept.append(_Token(
            token.kind, token.start, token.end, token.category, token.after_only,
            space_before=before.end - before.start if before and before.kind == "gap" else 1,
            space_after=after.end - after.start if after and after.kind == "gap" else 1,
        ))
    return kept


def _answer_words(tokens: list[_Token]) -> list[_Token]:
    """"oui"/"non" are marks only right after a choice (a colon between allowed) and before the
    end, a separator or the next choice: elsewhere they are words of a sentence."""
    kept: list[_Token] = []
    for i, token in enumerate(tokens):
        if token.after_only:
            j = i - 2 if i > 0 and tokens[i - 1].kind == "colon" else i - 1
            after = tokens[i + 1].kind if i + 1 < len(tokens) else "sep"
            if j < 0 or tokens[j].kind != "choice" or after in ("text", "colon"):
                token = _Token("text", token.start, token.end)
        kept.append(token)
    return kept


def _reach(tokens: list[_Token], i: int, step: int) -> int | None:
    """The nearest choice from mark `i` in direction `step`, or None past a separator. A colon
    just before a mark binds it to the choice before ("Autre : X"); any other colon separates."""
    j = i + step
    while 0 <= j < len(tokens):
        kind = tokens[j].kind
        if kind == "choice":
            return j
        if kind == "sep" or (kind == "colon" and not (step < 0 and j == i - 1)):
            return None
        j += step
    return None


def _segment_has_choice(tokens: list[_Token], i: int) -> bool:
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(tokens) and tokens[j].kind != "sep":
            if tokens[j].kind == "choice":
                return True
            j += step
    return False


def _orphan_reach(tokens: list[_Token], i: int, step: int) -> int | None:
    """A mark alone between separators ("Autre" / "X" on the next line) reaches across one."""
    j = i + step
    crossed = 0
    while 0 <= j < len(tokens):
        kind = tokens[j].kind
        if kind == "choice":
            return j
        if kind == "sep":
            crossed += 1
            if crossed > 1:
                return None
        j += step
    return None


@dataclass(frozen=True)
class _Mark:
    ticked: bool
    options: tuple[tuple[int, str], ...]  # (choice token index, "before" | "after")


def _marks(tokens: list[_Token]) -> list[_Mark]:
    marks = []
    for i, token in enumerate(tokens):
        if token.kind not in ("tick", "empty"):
            continue
        reach = _reach if _segment_has_choice(tokens, i) else _orphan_reach
        options = []
        nxt = None if token.after_only or _after_colon(tokens, i) else reach(tokens, i, 1)
        prev = reach(tokens, i, -1)
        if prev is not None and nxt is not None:
            # One space on one side, a wide gap on the other: the mark is the near choice's.
            before, after = token.space_before, token.space_after
            if before >= 2 * after:
                prev = None
            elif after >= 2 * before:
                nxt = None
        if prev is not None:
            options.append((prev, "after"))
        if nxt is not None:
            options.append((nxt, "before"))
        marks.append(_Mark(token.kind == "tick", tuple(options)))
    return marks


def _after_colon(tokens: list[_Token], i: int) -> bool:
    return i > 0 and tokens[i - 1].kind == "colon"


#: Beyond this many marks the text is not a row of boxes a person could tick: no reading.
_MAX_MARKS = 12


def _readings(tokens: list[_Token], marks: list[_Mark]) -> set[frozenset[Category]] | None:
    """Every set of ticked choices the layout allows: uniform layouts (all marks before their
    choice, or all after) first, mixed ones only when no uniform one fits. None: no reading."""
    if not marks or any(not m.options for m in marks):
        return None
    uniform: set[frozenset[Category]] = set()
    mixed: set[frozenset[Category]] = set()
    for assignment in itertools.product(*(m.options for m in marks)):
        targets = [target for target, _ in assignment]
        if targets != sorted(targets):
            continue  # two marks crossing each other
        state: dict[int, bool] = {}
        pairs = zip(targets, marks, strict=True)
        if any(state.setdefault(t, m.ticked) != m.ticked for t, m in pairs):
            continue  # one choice both ticked and left empty
        ticked = frozenset(
            c for t, on in state.items() if on and (c := tokens[t].category) is not None
        )
        sides = {side for _, side in assignment}
        (uniform if len(sides) <= 1 else mixed).add(ticked)
    found = uniform or mixed
    return found or None


def _names(labels: Sequence[str]) -> str:
    quoted = [f"« {label} »" for label in labels]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " et " + quoted[-1]


def _either(labels: Sequence[str]) -> str:
    quoted = [f"« {label} »" for label in labels]
    return ", ".join(quoted[:-1]) + " ou " + quoted[-1]


def _ordered(categories: Iterable[Category], form: FormDefinition) -> list[str]:
    chosen = set(categories)
    return [c.label for c in form.categories if c.value in chosen]


def _all_choices(form: FormDefinition) -> str:
    return _either([c.label for c in form.categories])


def _several(labels: list[str]) -> str:
    count = {2: "deux", 3: "trois"}.get(len(labels), str(len(labels)))
    return (f"Type de dysfonctionnement : {count} cases semblent cochées ({_names(labels)}) : "
            "indiquez-en une seule.")


def _from_marks(
    tokens: list[_Token], marks: list[_Mark], form: FormDefinition
) -> CategoryReading:
    readings = _readings(tokens, marks)
    choices = [t.category for t in tokens if t.category is not None]
    if readings is None:
        return CategoryReading(None, (
            "Type de dysfonctionnement : les cases cochées ne se rattachent clairement à aucun "
            f"choix ({_names(_ordered(choices, form))}). Écrivez une seule des valeurs "
            f"{_all_choices(form)}, ou cochez la case placée juste avant ou juste après."))
    if len(readings) > 1:
        candidates = _ordered(set().union(*readings), form)
        return CategoryReading(None, (
            f"Type de dysfonctionnement : la croix peut désigner {_either(candidates)}, "
            "selon qu'on la lit avec le choix qui la précède ou celui qui la suit. Indiquez "
            f"lequel en toutes lettres, par exemple « Type de dysfonctionnement : "
            f"{candidates[0]} »."))
    (ticked,) = readings
    if len(ticked) == 1:
        return CategoryReading(next(iter(ticked)))
    if ticked:
        return CategoryReading(None, _several(_ordered(ticked, form)))
    return CategoryReading(None, (
        "Type de dysfonctionnement : aucune case n'est cochée. Cochez ou écrivez une seule des "
        f"valeurs {_all_choices(form)}."))


def _from_words(
    tokens: list[_Token], form: FormDefinition, text: str, folded: str
) -> CategoryReading:
    named = list(dict.fromkeys(t.category for t in tokens if t.category is not None))
    if not named:
        shown = text if len(text) <= 60 else text[:57] + "…"
        return CategoryReading(None, (
            f"Type de dysfonctionnement illisible : « {shown} ». Indiquez une seule des "
            f"valeurs {_all_choices(form)}."))
    words = [folded[t.start : t.end] for t in tokens if t.kind == "text"]
    only_choices = all(word in ("ou", "et") for word in words)
    if len(named) == len(form.categories) or (len(named) > 1 and only_choices):
        return CategoryReading(None, (
            f"Type de dysfonctionnement : {_names(_ordered(named, form))} sont écrits sans "
            "qu'aucun soit coché : indiquez-en un seul."))
    return CategoryReading(named[0])  # a sentence: the choice it names first


def read_category(text: str, form: FormDefinition | None = None) -> CategoryReading:
    """The category a "Type de dysfonctionnement" value names, or the question to ask."""
    form = form or default_form()
    folded = _fold(text)
    tokens = _tokens(folded, form)
    count = sum(1 for t in tokens if t.kind in ("tick", "empty"))
    if count and any(t.kind == "choice" for t in tokens):
        marks = _marks(tokens) if count <= _MAX_MARKS else []
        return _from_marks(tokens, marks, form)
    return _from_words(tokens, form, text, folded)


# --- a row of boxes after its label ("Type de dysfonctionnement [ ] Erreur de transfert ...") --

_WORD_SPAN = re.compile(r"\S+")


def box_row_start(line: str, form: FormDefinition | None = None) -> int | None:
    """Where a row of check boxes starts in `line` (its first mark or choice), when the line
    names two choices or more and ticks or draws a box: what comes before is the label, even
    with no separator ("Type de dysfonctionnement [ ] Erreur de transfert [X] Autre"). None
    for any other line."""
    whole = fold(line)
    if not _MARK_RE.search(whole):
        return None  # most lines: no mark at all
    form = form or default_form()
    if len({t.category for t in _choices(whole, form)}) < 2:
        return None
    words = list(_WORD_SPAN.finditer(line))
    folded = [fold(w[0]) for w in words]
    joined = " ".join(folded)
    tokens = [t for t in _tokens(joined, form) if t.kind in ("choice", "tick", "empty")]
    if len({t.category for t in tokens if t.category}) < 2:
        return None
    if not any(t.kind in ("tick", "empty") and not t.after_only for t in tokens):
        return None  # "oui" and "non" alone: a sentence may hold them and two choices' names
    start, offset = tokens[0].start, 0
    for word, text in zip(words, folded, strict=True):
        if start < offset + len(text) + 1:
            inside = start - offset
            # Folding kept the word's length ("dysfonctionnement:[x]"): cut inside it.
            return word.start() + (inside if len(text) == len(word[0]) else 0)
        offset += len(text) + 1
    return None


# --- check boxes written one per line ("Erreur de transfert d'appel : X") --------------------

_BOX_ENDS = frozenset(f"[]()xX{_TICK_GLYPHS}{_EMPTY_GLYPHS}")
_LEADING_MARK = re.compile(rf"^\s*(?:{_MARK})", re.IGNORECASE)
_TRAILING_MARK = re.compile(rf"(?:{_MARK})\s*$", re.IGNORECASE)


def box_end(text: str) -> tuple[str, str] | None:
    """(words, mark) of one line that starts or ends with a check box or a mark: "☒ Autre",
    "[ ] Information erronée", "Autre ☐", "Autre : X". None otherwise, for "oui" or "non",
    which a sentence may hold as well, and for several lines: a box at their end is the last
    line's, not theirs all ("Information erronée X" / "Autre ☐")."""
    if "\n" in text.strip():
        return None
    ends = text.strip()[:1] + text.strip()[-1:]
    if not _BOX_ENDS.intersection(ends):
        return None  # most lines: no box can start or end them
    for pattern in (_LEADING_MARK, _TRAILING_MARK):
        m = pattern.search(text)
        if m and not m["word"]:
            words = text[m.end() :] if pattern is _LEADING_MARK else text[: m.start()]
            if words.strip(" -–:"):
                return words.strip(" -–"), m[0].strip()
    return None


def split_box_line(line: str) -> tuple[str, str, str] | None:
    """(label, mark, rest) of a line that starts or ends with a check box: "☒ Autre",
    "[ ] Information erronée", "Autre ☐", "X Autre : appel coupé". None otherwise."""
    head, colon, rest = line.replace("\ufe0f", "").partition(":")
    found = box_end(head)
    return (*found, rest.strip() if colon else "") if found else None


def _line_state(value: str) -> tuple[bool | None, str]:
    """Whether a check box line's value ticks it (None: no mark, only text) and what follows
    the mark (a next line the reader of the text could not place)."""
    folded = _fold(value).strip(" :.")
    if not folded or folded in _EMPTY_VALUES:
        return False, ""
    if folded in _TICK_VALUES:
        return True, ""
    m = _LEADING_MARK.match(folded)
    if m is None:
        return None, ""
    return m["tick"] is not None or m["word"] in ("oui", "coche", "cochee"), folded[m.end() :]


def box_mark(value: str) -> bool | None:
    """Whether a check box line's value ticks its box (True), leaves it empty (False), or holds
    text and no mark at all (None: "Information erronée : la piscine serait ouverte")."""
    return _line_state(value)[0]


def lone_mark(value: str) -> bool | None:
    """What a value that is a mark and nothing else says: ticked ("X", "☒", "[x]", "oui"), or
    an empty box ("☐", "[ ]", "non"); None for any other value."""
    ticked, rest = _line_state(value)
    return None if ticked is None or rest.strip() else ticked


def box_lines_text(
    written: str | None, lines: Sequence[tuple[Category, str]], form: FormDefinition
) -> str | None:
    """One category value from the rubrique as written and its check box lines, each box
    written the one way `read_category` cannot misread ("[X] Autre"), separated by " / ".
    None when the lines hold no box at all (only text after the choices' names)."""
    labels = form.category_labels
    parts: list[str] = []
    for category, value in lines:
        ticked, rest = _line_state(value)
        if ticked is None:
            continue
        parts.append(f"[{'X' if ticked else ' '}] {labels[category]}")
        if _MARK_RE.search(rest):
            parts.append(rest)
    if not parts:
        return None
    if written:
        reading = read_category(written, form)
        if reading.category is not None:
            # A choice named without a mark, in a list where a choice left unticked is its
            # name alone ("Autre" under "Information erronée X"), is one of the unticked ones.
            unmarked = not _MARK_RE.search(_fold(written))
            plain = any(not _MARK_RE.search(_fold(value)) for _, value in lines)
            mark = " " if unmarked and plain else "X"
            parts.insert(0, f"[{mark}] {labels[reading.category]}")
        elif _choices(_fold(written), form):
            parts.insert(0, written)
    return " / ".join(parts)
