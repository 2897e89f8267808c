"""Text folding shared by the parsers: accents, case, apostrophes, punctuation, spacing."""

from __future__ import annotations

import functools
import re
import unicodedata

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
_SPACES = re.compile(r"[\s\u00a0\u202f\u2007]+")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def clean_spaces(text: str) -> str:
    """Collapse runs of white space (non-breaking ones included) into one space, strip."""
    return _SPACES.sub(" ", text).strip()


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Cached: the same labels and lines are folded again and again, in every fiche.
@functools.lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower case, no accents, typographic apostrophes made plain, spaces collapsed."""
    text = strip_accents(text.translate(_APOSTROPHES)).casefold()
    text = text.replace("œ", "oe").replace("æ", "ae")
    return clean_spaces(text)


@functools.lru_cache(maxsize=8192)
def fold_words(text: str) -> str:
    """`fold`, then every run of punctuation becomes one space: a key for label tables."""
    return clean_spaces(_NON_WORD.sub(" ", fold(text)))
