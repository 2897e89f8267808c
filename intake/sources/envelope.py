"""The few envelope facts the pipeline needs, read without trusting the message to be sane."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses, parseaddr


@dataclass(frozen=True)
class MessageInfo:
    message_id: str
    sha256: str
    sender: str  # the From address, lower case ("" when unreadable)
    reply_to: str  # where an answer goes: Reply-To, else From
    subject: str
    size: int
    #: Headers where a reply brings back what we put in our Message-ID and Reply-To.
    threading: str
    #: The topmost Authentication-Results header: the one our own server added, if any.
    auth_results: str = ""
    #: Every From header, as written: a decision needs exactly one, naming one address.
    from_fields: tuple[str, ...] = ()


THREADING_HEADERS = ("In-Reply-To", "References", "To", "Cc", "Delivered-To", "X-Original-To")
ENVELOPE_HEADERS = ("Message-ID", "From", "Reply-To", "Subject", "Authentication-Results")
WANTED = {h.lower() for h in ENVELOPE_HEADERS + THREADING_HEADERS}


def _text(value: str) -> str:
    """A raw header value as text on one line; bytes that are not ASCII are read as UTF-8
    (as the `default` policy does), so nothing unencodable reaches the database."""
    if not value.isascii():
        value = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return " ".join(value.split())


def _decoded(value: str) -> str:
    """An unstructured header with its RFC 2047 encoded words decoded."""
    if "=?" not in value:
        return value
    try:
        return " ".join(str(make_header(decode_header(value))).split())
    except (ValueError, LookupError, UnicodeError):
        return value  # a malformed encoded word is kept as it came


def _headers(raw: bytes) -> tuple[dict[str, str], tuple[str, ...]]:
    """The first value of each header the pipeline needs, and every From. The `compat32`
    policy keeps values raw: the `default` policy's header registry parses every one, at
    several times the cost."""
    found: dict[str, str] = {}
    froms: list[str] = []
    end = raw.find(b"\r\n\r\n")
    end = raw.find(b"\n\n") if end < 0 else end
    head = raw if end < 0 else raw[: end + 2]  # the body is not needed: never read it
    for name, value in BytesHeaderParser(policy=compat32).parsebytes(head).raw_items():
        key = name.lower()
        if key == "from":
            froms.append(_text(value))
        if key in WANTED and key not in found:
            found[key] = _text(value)
    return found, tuple(froms)


def _answerable(address: str) -> bool:
    """An address we can write to. An accented one too: it leaves over SMTPUTF8, or is
    recorded as a failed mail when the server does not offer it (outbox/senders.py)."""
    return "@" in address and address.isprintable() and not any(c.isspace() for c in address)


def read_info(raw: bytes) -> MessageInfo:
    headers, froms = _headers(raw)
    sender = parseaddr(headers.get("from", ""))[1].lower()
    sender = sender if _answerable(sender) else ""
    reply_to = [a for _, a in getaddresses([headers.get("reply-to", "")]) if _answerable(a)]
    return MessageInfo(
        message_id=headers.get("message-id", ""),
        sha256=hashlib.sha256(raw).hexdigest(),
        sender=sender,
        reply_to=(reply_to[0].lower() if reply_to else sender),
        subject=_decoded(headers.get("subject", ""))[:500],
        size=len(raw),
        threading=" ".join(_decoded(headers.get(h.lower(), "")) for h in THREADING_HEADERS),
        auth_results=headers.get("authentication-results", ""),
        from_fields=froms,
    )
