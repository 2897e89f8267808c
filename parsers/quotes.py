"""Separating what a person just wrote from what they quote or forward.

Two ways to know a quote. For any mail: the layouts mail clients write before it (an
attribution "Le ... a écrit :", a block of "De : / Envoyé : / À : / Objet :" headers, a
separator "-----Message d'origine-----", `>` marks). For a reply to one of our mails, also
its words (parsers.own): any line of our mail is quoted, whatever precedes it.
"""

from __future__ import annotations

import re

from parsers.fold import fold
from parsers.own import OwnText

# An attribution: what starts it, and the verb that ends it ("... a écrit :").
_ATTRIBUTION_START = re.compile(r"^[\s>*_-]*(le|on|el|am|il|em|op|den|w dniu)\s", re.I)
_ATTRIBUTION_END = re.compile(
    r"(a ecrit|wrote|ecrivait|a dit|nous a dit|schrieb|escribio|ha scritto|escreveu|skrev"
    r"|geschreven|schreef)\s*:?[\s*_-]*$"
)
_SENTENCE_END = re.compile(r"[.!?]\s*$")
#: "Am 03.03.2026 um 10:12 schrieb X <x@...>:", the verb before the name.
_VERB_FIRST = re.compile(r"^[\s>]*(am|op|den)\s.{0,80}\s(schrieb|schreef|skrev)\s.{1,160}:\s*$")
#: "2026-03-03 10:12 GMT+01:00 X <x@...>:", "12/03/2026 16:06, X <x@...> :" (Gmail, others)
_DATE_ADDRESS = re.compile(
    r"^[\s>]*(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4}|\d{4}/\d{1,2}/\d{1,2}"
    r"|\d{1,2}\.\d{1,2}\.\d{2,4}|\w{2,9}\.?,? \d{1,2} \w{3,9}\.? \d{4})\b.{0,120}"
    r"[\w.+-]+@[\w-]+(\.[\w-]+)+>?\s*:\s*$"
)
_SEPARATOR = re.compile(
    r"^[\s>*]*[-_=]{2,}\s*(message d'origine|original message|message transfere|forwarded message"
    r"|message original|mensaje original|courriel d'origine|courriel original|mail original"
    r"|mail transfere|message de reponse|reply message|debut du message reexpedie"
    r"|ursprungliche nachricht|weitergeleitete nachricht|messaggio originale)"
    r"\s*[-_=]*[\s*]*$"
    r"|^[\s>*]*(debut du message reexpedie|debut du message transfere|begin forwarded message)"
    r"\s*:?[\s*]*$"
    # "---- X a écrit ----" (webmails), with or without the colon
    r"|^[\s>*]*-{2,}.{1,120}\s(a ecrit|wrote)\s*:?\s*-{2,}[\s*]*$"
)
_UNDERSCORES = re.compile(r"^[\s>]*_{8,}\s*$")
_HEADER_KEYS = (
    r"de|from|expediteur|von|da|message du|envoye|envoye le|envoye par|sent|date|le|a|to"
    r"|pour|destinataire|objet|subject|sujet|cc|cci|bcc|copie a|copie|repondre a|reply-to"
    r"|gesendet|datum|an|betreff|importance|pieces jointes|attachments"
)
_HEADER = re.compile(rf"^[\s>]*\**\s*({_HEADER_KEYS})\s*\**\s*:", re.I)
_HEADER_FROM = re.compile(r"^[\s>]*\**\s*(de|from|expediteur|von|da|message du)\s*\**\s*:", re.I)
#: Header lines looked at after a first one (blank lines between them do not count: HTML-only
#: mail turned into text puts one between each).
HEADER_WINDOW = 5
_SIGNATURE = re.compile(r"^--\s?$")
_MOBILE = re.compile(
    r"^\s*(envoye|envoyee|sent|get|obtenir|telecharger|download)\s+(de|depuis|a partir de|from"
    r"|with|avec|via|outlook|)\s*(.{0,60}?)\s*(<https?://[^>]*>)?\s*[.!]?\s*$"
)
_DEVICE = re.compile(
    r"\b(iphone|ipad|smartphone|mobile|telephone|appareil|galaxy|samsung|android|ios|outlook"
    r"|courrier|mail|huawei|xiaomi|pixel|blackberry|tablette|windows|gmail|yahoo|orange|sfr"
    r"|bouygues|free|proton\w*|thunderbird|device)\b"
)


def _is_mobile_footer(folded: str) -> bool:
    """A mobile footer ("Envoyé de mon iPhone", "Envoyé depuis Outlook pour Android", "Get
    Outlook for iOS"), only as a whole line: "Envoyé de mon bureau : validé" is an answer."""
    m = _MOBILE.match(folded)
    return m is not None and len(m[3].split()) <= 6 and bool(_DEVICE.search(folded))


def _marked(line: str) -> bool:
    return line.lstrip().startswith(">")


def _attribution_at(folded: list[str], i: int) -> bool:
    """An attribution starting at line i, maybe wrapped over up to 3 lines with blank lines
    between. A line ending a sentence is never its start ("Le dossier est complet, approuvé.")."""
    line = folded[i]
    if _DATE_ADDRESS.match(line) or _SEPARATOR.match(line) or _VERB_FIRST.match(line):
        return True
    starts = bool(_ATTRIBUTION_START.match(line))
    if not (starts or "@" in line) or _SENTENCE_END.search(line):
        return False
    joined = line
    taken = 1
    for k in range(i, min(i + 6, len(folded))):
        if k > i:
            if not folded[k].strip():
                continue
            if _SENTENCE_END.search(folded[k]) or taken >= 3:
                return False
            if _ATTRIBUTION_START.match(folded[k]) or _DATE_ADDRESS.match(folded[k]):
                return False  # an attribution of its own starts there: "Le chef\n\nLe 3 mars..."
            joined += " " + folded[k]
            taken += 1
        if _ATTRIBUTION_END.search(folded[k]) or _DATE_ADDRESS.match(joined):
            # "Le 12 mars ... a écrit :" names a date or an address, a sentence does not.
            return bool(re.search(r"\d|@", joined))
    return False


def _header_block_at(folded: list[str], i: int) -> bool:
    if not _HEADER_FROM.match(folded[i]) and not _HEADER.match(folded[i]):
        return False
    window = [w for w in folded[i + 1 : i + 1 + 2 * HEADER_WINDOW] if w.strip()][:HEADER_WINDOW]
    headers = [w for w in window if _HEADER.match(w)]
    has_from = _HEADER_FROM.match(folded[i]) or any(_HEADER_FROM.match(w) for w in window)
    return len(headers) >= 2 and bool(has_from)


def quote_start(lines: list[str]) -> int | None:
    """Index of the first line of quoted or forwarded material, or None."""
    folded = [fold(line) for line in lines]
    for i, line in enumerate(folded):
        if not line:
            continue
        if _SEPARATOR.match(line) or _UNDERSCORES.match(line):
            return i
        if _attribution_at(folded, i) or _header_block_at(folded, i):
            return i
    return None


def _lead_in(line: str) -> bool:
    """A line just above a quote of our mail that introduces it (header, attribution)."""
    folded = fold(line)
    if not folded:
        return True
    if _HEADER.match(folded) or _SEPARATOR.match(folded) or _UNDERSCORES.match(folded):
        return True
    introduces = folded.rstrip(" *-").endswith(":") or _ATTRIBUTION_END.search(folded)
    return bool(introduces and re.search(r"\d|@", folded))


def _own_start(lines: list[str], own: OwnText) -> int | None:
    """Where a quote of our own mail starts: its first line, with what introduces it."""
    first = next((i for i, line in enumerate(lines) if own.holds(line)), None)
    if first is None:
        return None
    # First the short lines of our mail above it ("Bonjour,"), then what introduces the quote:
    # above that, a line like ours ("Bonjour,") is the supervisor's own.
    while first > 0 and (not lines[first - 1].strip() or own.has_line(lines[first - 1])):
        first -= 1
    while first > 0 and _lead_in(lines[first - 1]):
        first -= 1
    return first


def _answer(lines: list[str], own: OwnText | None) -> str:
    """Lines up to a signature or a mobile footer; `>` lines and lines of our mail left out."""
    kept: list[str] = []
    for line in lines:
        if _SIGNATURE.match(line) or _is_mobile_footer(fold(line)):
            break
        if _marked(line) or (own is not None and own.holds(line)):
            continue
        kept.append(line.rstrip())
    return "\n".join(kept).strip()


def _below(lines: list[str], cut: int, own: OwnText | None) -> list[str]:
    """What follows the quote starting at `cut` (bottom posting): after its last `>` line or
    line of our mail. Only below an attribution or `>` marks: under a header block, all that
    follows is the quoted mail."""
    head = fold(lines[cut])
    if _header_block_at([fold(line) for line in lines], cut) and not _ATTRIBUTION_START.match(
        head
    ):
        return []

    def quoted(line: str) -> bool:
        return _marked(line) or (own is not None and own.holds(line))

    last = max((i for i in range(cut, len(lines)) if quoted(lines[i])), default=None)
    if last is None:
        return []
    rest = lines[last + 1 :]
    end = quote_start(rest)
    return rest if end is None else rest[:end]


def new_text(text: str, own: OwnText | None = None) -> str:
    """The text a person just wrote: quotes, quote headers, signatures and `>` lines removed,
    and, when `own` (the words of the mail they answer) is given, every line of it.

    An answer written below the quote (bottom posting) counts when nothing was written above.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cuts = [quote_start(lines)]
    if own is not None:
        cuts.append(_own_start(lines, own))
    found = [c for c in cuts if c is not None]
    if not found:
        return _answer(lines, own)
    cut = min(found)
    fresh = _answer(lines[:cut], own)
    if not fresh:
        fresh = _answer(_below(lines, cut, own), own)
    return fresh
