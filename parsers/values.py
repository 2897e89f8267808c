"""Reading values as agents write them: dates, times, blanks (categories: parsers.category)."""

from __future__ import annotations

import datetime as dt
import re

from parsers.fold import clean_spaces, fold

#: Values that mean "nothing written" (compared folded, trailing punctuation removed).
BLANKS: frozenset[str] = frozenset(
    {
        "", "-", "--", "---", "/", "//", "?", "??", ".", "...", "…", "x", "xx", "xxx",
        "neant", "nc", "n/c", "n.c", "nr", "n/r", "na", "n/a", "non", "non connu", "non connue",
        "inconnu", "inconnue", "inconnu(e)", "ne sait pas", "nsp", "aucun", "aucune",
        "sans objet", "so", "s/o", "non renseigne", "non renseignee", "pas connu", "pas connue",
        "non communique", "non communiquee", "ras", "vide", "rien",
    }
)


def is_blank(value: str | None) -> bool:
    if value is None:
        return True
    return fold(value).strip(" .:;,_") in BLANKS or not fold(value).strip(" .:;,_-")


MONTHS: dict[str, int] = {
    "janvier": 1, "janv": 1, "jan": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "mar": 3,
    "avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8,
    "septembre": 9, "sept": 9, "sep": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11,
    "decembre": 12, "dec": 12,
}
WEEKDAYS: dict[str, int] = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
}

_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_NUMERIC = re.compile(
    r"(?<![\d/.\-])(\d{1,2})\s*([/.\-])\s*(\d{1,2})(?:\s*\2\s*(\d{4}|\d{2}))?(?![\d/])"
)
#: Any month's name or abbreviation, the longest first.
MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_TEXTUAL = re.compile(
    rf"(?<![\d])(1er|premier|\d{{1,2}})\s*(?:er)?\s+({MONTH_NAMES})\.?(?![a-z])(?:\s+(\d{{4}}|\d{{2}})(?![\d:h]))?"
)
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b")
_RELATIVE: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"\bavant[\s-]?hier\b"), 2),
    (re.compile(r"\bhier\b"), 1),
    (re.compile(r"\b(aujourd\s?'?\s?hui|ce matin|cet? apres[\s-]?midi|ce soir|ce midi|ce jour)\b"),
     0),
)


def _year(text: str | None, month: int, day: int, ref: dt.date) -> int:
    if text is None:
        # No year written: the latest such day on or before the email's date.
        try:
            return ref.year if dt.date(ref.year, month, day) <= ref else ref.year - 1
        except ValueError:
            return ref.year
    year = int(text)
    return 2000 + year if year < 100 else year


def _make(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str, ref: dt.date) -> dt.date | None:
    """A day-first French date anywhere in `text`; relative words count from `ref`."""
    folded = fold(text).replace("’", "'")
    m = _ISO.search(folded)
    if m:
        return _make(int(m[1]), int(m[2]), int(m[3]))
    m = _TEXTUAL.search(folded)
    if m:
        day = 1 if m[1] in ("1er", "premier") else int(m[1])
        month = MONTHS[m[2]]
        return _make(_year(m[3], month, day, ref), month, day)
    m = _NUMERIC.search(folded)
    if m and (m[4] is not None or m[2] in "/."):
        day, month = int(m[1]), int(m[3])
        if not 1 <= month <= 12 or not 1 <= day <= 31:
            return None
        return _make(_year(m[4], month, day, ref), month, day)
    for pattern, days in _RELATIVE:
        if pattern.search(folded):
            return ref - dt.timedelta(days=days)
    m = _WEEKDAY.search(folded)
    if m:
        back = (ref.weekday() - WEEKDAYS[m[1]]) % 7
        return ref - dt.timedelta(days=back)
    return None


_TIME = re.compile(
    r"(?<![\d/.\-])([01]?\d|2[0-3])\s*(?:heures?|h|:)\s*([0-5]\d)?(?!\d)(?:\s*(?:min|mn))?"
)


def parse_time(text: str) -> str | None:
    """`14h30`, `14 h 30`, `14:30`, `14h`, `16H10`, `9h05`, `midi` -> "HH:MM"."""
    folded = fold(text)
    m = _TIME.search(folded)
    if m:
        return f"{int(m[1]):02d}:{int(m[2] or 0):02d}"
    if re.search(r"\bmidi\b", folded) and not re.search(r"apres[\s-]?midi", folded):
        return "12:00"
    return None


def has_time(text: str) -> bool:
    return parse_time(text) is not None


def clean_value(value: str, *, keep_layout: bool = False) -> str:
    """Spaces collapsed, stray punctuation trimmed; `keep_layout`: line breaks and the spaces
    inside a line kept (in a category value, one box a line, or the wide gap between two
    choices of a row, say which choice a mark belongs to)."""
    if keep_layout:
        lines = (_INLINE_SPACE.sub(" ", line).strip() for line in value.splitlines())
        return "\n".join(line for line in lines if line).strip(" :;,")
    return clean_spaces(value).strip(" :;,")


#: A white-space character other than a line break or a tab (a non-breaking space...): made
#: an ordinary space, so that a gap keeps its width.
_INLINE_SPACE = re.compile(r"[^\S\n\t]")
