"""The few envelope facts the pipeline needs, read without trusting the message to be sane."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from email.policy import default
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


THREADING_HEADERS = ("In-Reply-To", "References", "To", "Cc", "Delivered-To", "X-Original-To")


def _header(msg: object, name: str) -> str:
    try:
        value = msg[name]  # type: ignore[index]
        return " ".join(str(value).split()) if value is not None else ""
    except (ValueError, TypeError, IndexError, AttributeError):
        return ""  # a malformed header must not stop the message from being stored


def read_info(raw: bytes) -> MessageInfo:
    msg = BytesHeaderParser(policy=default).parsebytes(raw)
    sender = parseaddr(_header(msg, "From"))[1].lower()
    reply_to = [a for _, a in getaddresses([_header(msg, "Reply-To")]) if "@" in a]
    return MessageInfo(
        message_id=_header(msg, "Message-ID"),
        sha256=hashlib.sha256(raw).hexdigest(),
        sender=sender,
        reply_to=(reply_to[0].lower() if reply_to else sender),
        subject=_header(msg, "Subject")[:500],
        size=len(raw),
        threading=" ".join(_header(msg, h) for h in THREADING_HEADERS),
        auth_results=_header(msg, "Authentication-Results"),
    )
