"""The 39 75 agent's name, found and masked wherever a fiche's free text repeats it.

The fiche gives the name once, in its own rubrique ("Nom de l'agent 39 75"), but agents
also write it in the description, the caller's request or the wrong information:
"Karim B. a transféré…", "karim", "KARIM", "Karim Benali", "M. Benali", "K. Benali", "K.B.".
From the rubrique's text this module makes one pattern that finds every such form, whatever
the case and accents: each word of the name (two letters or more, titles and particles left
out) alone, runs of those words and of their initials, and the initials together.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

MASK = "(nom masqué)"

#: Words of a name field that are not the name: titles, particles, "inconnu"...
_NOT_NAME = frozenset(
    re.findall(
        r"\S+",
        "de du des le la les van von der den da di do dos del el al et ou m mr mme mlle madame "
        "monsieur mademoiselle agent agente teleconseiller teleconseillere conseiller "
        "conseillere inconnu inconnue connu connue non nc na aucun aucune pas si sans nom "
        "prenom plateforme",
    )
)


def _fold_char(char: str) -> str:
    """One character without its accent, in lower case, always one character long, so that
    positions in the folded text are positions in the original."""
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base[0] if base else char


def fold_in_place(text: str) -> str:
    """`text` folded character by character. Not `parsers.fold.fold`, which turns "œ" into
    "oe" and collapses spaces: a match found in its result could not be cut out of `text`."""
    return "".join(_fold_char(c) for c in text)


@lru_cache(maxsize=1024)
def name_pattern(name: str) -> re.Pattern[str] | None:
    """The pattern of every form of `name` in folded text; None when it names nobody."""
    tokens = [t for t in re.findall(r"[^\W\d_]+", fold_in_place(name)) if t not in _NOT_NAME]
    words = sorted({t for t in tokens if len(t) >= 2}, key=len, reverse=True)
    initials = sorted({t[0] for t in tokens})
    if not words and len(initials) < 2:
        return None
    init = f"[{''.join(initials)}]"
    forms = []
    if words:
        word = "(?:" + "|".join(re.escape(w) for w in words) + ")"
        unit = rf"(?:{word}|{init}\.|{init}(?![^\W\d_]))"
        # Initials before a word ("K. Benali"), then words and initials after it ("Karim B.").
        forms.append(rf"(?<![^\W\d_])(?:{init}\.?[ \t-]*)*{word}(?![^\W\d_])(?:[ \t-]*{unit})*")
    if len(initials) >= 2:
        # The initials alone, in the name's order: "K.B.", "K. B.", "KB".
        ordered = [t[0] for t in tokens]
        forms.append(
            r"(?<![^\W\d_])" + r"\.?[ \t]*".join(ordered) + r"(?:\.|(?![^\W\d_]))"
        )
    return re.compile("|".join(forms))


def mask_name(text: str, name: str | None) -> str:
    """`text` with every form of `name` replaced by MASK."""
    pattern = name_pattern(name.strip()) if name and name.strip() else None
    if pattern is None or not text:
        return text
    folded = fold_in_place(text)
    pieces, at = [], 0
    for match in pattern.finditer(folded):
        pieces += [text[at : match.start()], MASK]
        at = match.end()
    return "".join(pieces) + text[at:] if pieces else text


def names_in(text: str, name: str | None) -> bool:
    return mask_name(text, name) != text


def mask_all(value: Any, name: str | None) -> Any:
    """Every string inside `value` (lists and dicts walked) masked."""
    if isinstance(value, str):
        return mask_name(value, name)
    if isinstance(value, list):
        return [mask_all(v, name) for v in value]
    if isinstance(value, dict):
        return {k: mask_all(v, name) for k, v in value.items()}
    return value
