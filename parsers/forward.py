"""Forwarded mail: split a body into the forwarding note and the forwarded messages."""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.fold import clean_spaces, fold
from parsers.mime import parse_address

_MARKER = re.compile(
    r"^\s*[-_=]{2,}\s*(message transfere|forwarded message|message d'origine|original message"
    r"|message original|courriel d'origine|debut du message reexpedie)\s*[-_=]*\s*:?\s*$"
    r"|^\s*(debut du message reexpedie|begin forwarded message)\s*:?\s*$"
    r"|^\s*_{8,}\s*$"
)
_FIELD = re.compile(
    r"^\s*>?\s*\**\s*(de|from|expediteur|envoye|envoye le|sent|date|a|to|objet|subject|cc|cci|bcc"
    r"|importance|pour|reply-to|repondre a)\s*\**\s*:\s*(.*)$"
)
_FROM_KEYS = {"de", "from", "expediteur"}
_OTHER_KEYS = {"objet", "subject", "date", "envoye", "sent"}
_MAILTO = re.compile(r"\[mailto:([^\]\s]+)\]|<([^>\s]+@[^>\s]+)>|([\w.+-]+@[\w-]+(?:\.[\w-]+)+)")


@dataclass
class Segment:
    """One part of a body: the text and who wrote it (None for the sender's own text)."""

    text: str
    author_name: str | None = None
    author_email: str | None = None


def parse_author(value: str) -> tuple[str | None, str | None]:
    """Name and address from "Samia Benali <samia@paris.fr>" or "X [mailto:x@y]" or "x@y"."""
    m = _MAILTO.search(value)
    addr: str | None = None
    if m:
        addr = next((g for g in m.groups() if g), "").lower() or None
    name_part = value[: m.start()] if m else value
    name = clean_spaces(name_part.strip().strip("\"'<>[]():;,")) or None
    if addr is None and "@" in value:
        name2, addr2 = parse_address(value)
        return name2 or None, addr2 or None
    if name and "@" in name:
        name = None
    return name, addr


def _header_block(lines: list[str], start: int) -> tuple[int, str | None, str | None] | None:
    """Reads "De : / Envoyé : / À : / Objet :" lines from `start`; (end, name, email)."""
    i = start
    while i < len(lines) and not lines[i].strip():
        i += 1
    seen: dict[str, str] = {}
    last_key = ""
    while i < len(lines):
        folded = fold(lines[i])
        m = _FIELD.match(folded)
        if m:
            last_key = m[1]
            raw = lines[i].split(":", 1)[1].strip() if ":" in lines[i] else ""
            seen.setdefault(last_key, raw)
            i += 1
            continue
        if lines[i].strip() and last_key in ("a", "to", "cc", "de", "from") and "@" in lines[i] \
                and ":" not in lines[i]:
            i += 1  # a long address list wrapped onto the next line
            continue
        break
    if not seen or not (seen.keys() & (_FROM_KEYS | _OTHER_KEYS)):
        return None
    author = next((seen[k] for k in ("de", "from", "expediteur") if k in seen), "")
    name, addr = parse_author(author) if author else (None, None)
    return i, name, addr


def split_forwards(text: str) -> list[Segment]:
    """The body cut at each forward marker or Outlook header block, outermost first."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    segments: list[Segment] = []
    current: list[str] = []
    author: tuple[str | None, str | None] = (None, None)
    i = 0
    while i < len(lines):
        folded = fold(lines[i])
        block = None
        if _MARKER.match(folded):
            block = _header_block(lines, i + 1) or (i + 1, None, None)
        elif re.match(r"^\s*\**\s*(de|from|expediteur)\s*\**\s*:", folded):
            found = _header_block(lines, i)
            if found and found[0] - i >= 3:
                block = found
        if block is None:
            current.append(lines[i])
            i += 1
            continue
        segments.append(Segment("\n".join(current), *author))
        current = []
        author = (block[1], block[2])
        i = max(block[0], i + 1)
    segments.append(Segment("\n".join(current), *author))
    return segments
