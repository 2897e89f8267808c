"""Resolving the service as written ("MAIRIE DU 12E", "XIIe", "DPE") to a directory entry."""

from __future__ import annotations

import re

from parsers.directory import Directory, Entry
from parsers.fold import fold_words

ORDINALS: dict[str, int] = {
    "premier": 1, "premiere": 1, "deuxieme": 2, "second": 2, "seconde": 2, "troisieme": 3,
    "quatrieme": 4, "cinquieme": 5, "sixieme": 6, "septieme": 7, "huitieme": 8,
    "neuvieme": 9, "dixieme": 10, "onzieme": 11, "douzieme": 12, "treizieme": 13,
    "quatorzieme": 14, "quinzieme": 15, "seizieme": 16, "dix septieme": 17,
    "dix huitieme": 18, "dix neuvieme": 19, "vingtieme": 20,
}
ROMAN: dict[str, int] = {
    r: i + 1
    for i, r in enumerate(
        [
            "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x",
            "xi", "xii", "xiii", "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx",
        ]
    )
}

_SUFFIX = r"(?:er|ere|e|eme|ieme|em|me|emme|nd|d)"
_DIGITS = re.compile(rf"(?<![\d])([1-9]|1\d|20)\s?{_SUFFIX}(?![a-z\d])")
_DIGITS_ARR = re.compile(r"(?<![\d])([1-9]|1\d|20)\s*(?:arrondissement|arrdt|arr|ardt)")
_POSTCODE = re.compile(r"\b750(0[1-9]|1\d|20)\b|\b75116\b")
_PARIS_N = re.compile(r"\bparis\s+([1-9]|1\d|20)(?![\d])")
_MAIRIE_N = re.compile(r"\bmairie\s+(?:du\s+|de\s+)?([1-9]|1\d|20)(?![\d])")
_ROMAN = re.compile(
    r"(?:\b(?:mairie\s+(?:du\s+)?|du\s+)|^)([ivx]{1,5})\s?" + _SUFFIX + r"(?![a-z])"
    r"|\b([ivx]{1,5})\s?" + _SUFFIX + r"?\s+arrondissement"
)
_ORDINAL = re.compile(r"\b(" + "|".join(sorted(ORDINALS, key=len, reverse=True)) + r")\b")


def arrondissement_of(text: str) -> int | None:
    """The arrondissement number a text names, in digits, words or Roman numerals."""
    folded = fold_words(text)
    for pattern in (_DIGITS_ARR, _DIGITS, _MAIRIE_N, _PARIS_N):
        m = pattern.search(folded)
        if m:
            return int(m[1])
    m = _POSTCODE.search(folded)
    if m:
        return 16 if m[0] == "75116" else int(m[1])
    m = _ROMAN.search(folded)
    if m:
        numeral = m[1] or m[2]
        if numeral in ROMAN:
            return ROMAN[numeral]
    m = _ORDINAL.search(folded)
    if m:
        return ORDINALS[m[1]]
    return None


#: Folded names per directory entry, computed once per entry (keyed by id, entry kept alive).
_NAMES: dict[int, tuple[Entry, list[str]]] = {}


def _names(entry: Entry) -> list[str]:
    cached = _NAMES.get(id(entry))
    if cached is None or cached[0] is not entry:
        if len(_NAMES) > 5000:  # directories reloaded many times: start afresh
            _NAMES.clear()
        names = [n for n in (fold_words(x) for x in [entry.id, entry.name, *entry.aliases]) if n]
        cached = _NAMES[id(entry)] = (entry, names)
    return cached[1]


def _looks_like_mairie(folded: str) -> bool:
    return bool(re.search(r"\b(mairie|arrondissement|arrdt|arr|ardt|paris|ma)\b", folded)) or (
        len(folded.split()) <= 3
    )


def resolve_service(text: str, directory: Directory) -> Entry | None:
    """The directory entry a written service stands for, or None when none fits."""
    folded = fold_words(text)
    if not folded:
        return None
    entries = list(directory)
    for entry in entries:
        if folded in _names(entry):
            return entry
    if _looks_like_mairie(folded) and not re.search(r"\bdirection\b", folded):
        number = arrondissement_of(text)
        if number is not None:
            mairie = directory.mairie_of_arrondissement(number)
            if mairie is not None:
                return mairie
    best: tuple[int, Entry] | None = None
    padded = f" {folded} "
    for entry in entries:
        for name in _names(entry):
            if f" {name} " in padded and (best is None or len(name) > best[0]):
                best = (len(name), entry)
    return best[1] if best else None
