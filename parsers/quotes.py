"""Separating what a person just wrote from what they quote or forward."""

from __future__ import annotations

import re

from parsers.fold import fold

_ATTRIBUTION_START = re.compile(r"^\s*(le|on|el|am|il)\b", re.I)
_ATTRIBUTION_END = re.compile(r"(a ecrit|wrote|ecrivait|a dit|schrieb|escribio)\s*:?\s*$")
_SEPARATOR = re.compile(
    r"^\s*[-_=]{2,}\s*(message d'origine|original message|message transfere|forwarded message"
    r"|message original|mensaje original|courriel d'origine|debut du message reexpedie"
    r"|mail original|ursprungliche nachricht|weitergeleitete nachricht|messaggio originale)"
    r"\s*[-_=]*\s*$"
    r"|^\s*(debut du message reexpedie|begin forwarded message)\s*:?\s*$"
)
_HEADER_FROM = re.compile(r"^\s*\**\s*(de|from|expediteur|von)\s*\**\s*:", re.I)
_HEADER_OTHER = re.compile(
    r"^\s*\**\s*(envoye|sent|date|a|to|objet|subject|cc|envoye le|le"
    r"|gesendet|datum|an|betreff)\s*\**\s*:",
    re.I,
)
_UNDERSCORES = re.compile(r"^\s*_{8,}\s*$")
_SIGNATURE = re.compile(r"^--\s?$")
_MOBILE = re.compile(
    r"^\s*(envoye (de|depuis) mon|envoye a partir de|sent from my|get outlook for|obtenir outlook"
    r"|telecharger outlook)"
)


def quote_start(lines: list[str]) -> int | None:
    """Index of the first line of quoted or forwarded material, or None."""
    folded = [fold(line) for line in lines]
    for i, line in enumerate(folded):
        if _SEPARATOR.match(line) or _UNDERSCORES.match(line):
            return i
        if _ATTRIBUTION_START.match(line):
            joined = " ".join(folded[i : i + 3])
            for k in range(i, min(i + 3, len(folded))):
                if _ATTRIBUTION_END.search(folded[k]):
                    return i
            if _ATTRIBUTION_END.search(joined):
                return i
        if _HEADER_FROM.match(line):
            window = folded[i + 1 : i + 6]
            if sum(1 for w in window if _HEADER_OTHER.match(w)) >= 2:
                return i
    return None


def _unquoted(lines: list[str]) -> str:
    """Lines up to a signature or a mobile footer, `>` lines left out."""
    kept: list[str] = []
    for line in lines:
        if _SIGNATURE.match(line) or _MOBILE.match(fold(line)):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line.rstrip())
    return "\n".join(kept).strip()


def _below_quote(lines: list[str], cut: int) -> list[str]:
    """What follows a `>` quote under a "Le ... a écrit :" line at `cut` (bottom posting)."""
    if not _ATTRIBUTION_START.match(fold(lines[cut])):
        return []
    for i in range(cut + 1, min(cut + 5, len(lines))):
        if lines[i].lstrip().startswith(">"):
            rest = lines[i:]
            end = quote_start(rest)
            return rest if end is None else rest[:end]
    return []


def new_text(text: str) -> str:
    """The text a person just wrote: quotes, quote headers, signatures and `>` lines removed.

    An answer written below a `>` quote (bottom posting) counts when nothing was written above.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut = quote_start(lines)
    fresh = _unquoted(lines if cut is None else lines[:cut])
    if not fresh and cut is not None:
        fresh = _unquoted(_below_quote(lines, cut))
    return fresh
