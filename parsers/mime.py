"""Raw bytes to a `Mail`: headers decoded (RFC 2047), bodies decoded with charset fallbacks.

A message attached to the mail (a forward "en pièce jointe", message/rfc822 or a file named
.eml) becomes an inner `Mail`, read like the forwarded message it is.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import email
import email.utils
import quopri
from dataclasses import dataclass, field
from email.header import decode_header
from email.message import Message
from email.policy import compat32

from parsers.fold import clean_spaces
from parsers.model import Source

_LATIN = {"iso-8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii", "iso8859-1", "iso_8859-1"}


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Bytes to text: valid UTF-8 wins, then the declared charset, then cp1252, then latin-1."""
    if not data:
        return ""
    charsets: list[str] = []
    if any(b > 0x7F for b in data):
        charsets.append("utf-8")
    if declared:
        declared = declared.strip().strip('"').lower()
        charsets.append("cp1252" if declared in _LATIN else declared)
    charsets += ["utf-8", "cp1252"]
    for charset in charsets:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError, ValueError):
            continue
    return data.decode("latin-1")


def _header_text(value: object) -> str:
    if value is None:
        return ""
    try:
        parts = decode_header(value if isinstance(value, str) else str(value))
    except Exception:  # noqa: BLE001 - a broken header must not stop the parse
        parts = [(str(value), None)]
    out: list[str] = []
    for chunk, charset in parts:
        if isinstance(chunk, bytes):
            out.append(decode_bytes(chunk, None if charset == "unknown-8bit" else charset))
        else:
            if any("\udc80" <= c <= "\udcff" for c in chunk):
                chunk = decode_bytes(chunk.encode("ascii", "surrogateescape"))
            out.append(chunk)
    return clean_spaces("".join(out))


def header(msg: Message, name: str) -> str:
    """One decoded header, or "" when absent or unreadable."""
    try:
        return _header_text(msg.get(name))
    except Exception:  # noqa: BLE001
        return ""


#: Nested messages beyond this depth are not opened: no fiche is forwarded ten times over.
MAX_DEPTH = 5


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes
    #: Shown in the message itself (Content-ID, or disposition inline): logos, signatures.
    inline: bool = False


@dataclass
class Mail:
    """What the classifier needs from one message."""

    msg: Message
    subject: str = ""
    from_name: str = ""
    from_addr: str = ""
    date: dt.datetime | None = None
    content_type: str = "text/plain"
    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    inner: list[Mail] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)
    #: The file this message came from, when it was attached as one (.eml, .msg).
    filename: str = ""
    #: The source of a fiche in this message's own body: an Outlook .msg says "msg".
    origin: Source | None = None


def parse_address(value: str) -> tuple[str, str]:
    """(display name, lower-case address) from a From-like header."""
    try:
        name, addr = email.utils.parseaddr(value)
    except Exception:  # noqa: BLE001
        return "", ""
    name = clean_spaces(name.strip("\"' "))
    addr = addr.strip().lower()
    if "@" not in addr:
        addr = ""
    return name, addr


def _parse_date(value: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


def _payload(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001
        data = None
    if isinstance(data, bytes):
        return data
    raw = part.get_payload()
    return raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""


def _decoded(parsed: Message, encoding: str) -> bytes:
    """The bytes of a message/rfc822 part sent in base64 or quoted-printable (RFC 2046 says
    it must not be, some mailers do), which the parser took for a message of no headers."""
    text = parsed.as_string().encode("ascii", "replace")
    try:
        return base64.b64decode(text) if encoding == "base64" else quopri.decodestring(text)
    except (binascii.Error, ValueError):
        return b""


def _filename(part: Message) -> str:
    try:
        name = part.get_filename()
    except Exception:  # noqa: BLE001
        name = None
    return _header_text(name) if name else ""


def _is_message_file(ctype: str, filename: str) -> bool:
    return ctype == "message/rfc822" or filename.lower().endswith(".eml")


def _collect(part: Message, mail: Mail, depth: int, nesting: int) -> None:
    if depth > 20:
        return
    ctype = (part.get_content_type() or "text/plain").lower()
    filename = _filename(part)
    if _is_message_file(ctype, filename):
        if nesting >= MAX_DEPTH:
            return
        inner = part.get_payload()
        encoded = (part.get("Content-Transfer-Encoding") or "").strip().lower()
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            if encoded in ("base64", "quoted-printable"):
                # Parsed as if it were plain: its encoded text is the body of that "message".
                forwarded = read_message(_message(_decoded(inner[0], encoded)), nesting + 1)
            else:
                forwarded = read_message(inner[0], nesting + 1)
        else:  # an .eml sent as a file
            forwarded = read_message(_message(_payload(part)), nesting + 1)
        forwarded.filename = filename
        mail.inner.append(forwarded)
        return
    if part.is_multipart():
        payload = part.get_payload()
        if isinstance(payload, list):
            for sub in payload:
                if isinstance(sub, Message):
                    _collect(sub, mail, depth + 1, nesting)
        return
    disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
    if ctype in ("text/plain", "text/html") and disposition != "attachment" and not filename:
        text = decode_bytes(_payload(part), part.get_content_charset())
        (mail.plain if ctype == "text/plain" else mail.html).append(text)
        return
    if filename or disposition in ("attachment", "inline"):
        inline = disposition == "inline" or bool(part.get("Content-ID"))
        mail.attachments.append(Attachment(filename, ctype, _payload(part), inline))


def read_message(msg: Message, nesting: int = 0) -> Mail:
    """`msg` as a `Mail`; `nesting` counts the messages it is attached in."""
    mail = Mail(msg=msg)
    mail.subject = header(msg, "Subject")
    mail.from_name, mail.from_addr = parse_address(header(msg, "From"))
    mail.date = _parse_date(header(msg, "Date"))
    try:
        mail.content_type = (msg.get_content_type() or "text/plain").lower()
    except Exception:  # noqa: BLE001
        mail.content_type = "text/plain"
    try:
        _collect(msg, mail, 0, nesting)
    except Exception as exc:  # noqa: BLE001 - keep what was read so far
        mail.defects.append(f"{type(exc).__name__}: {exc}")
    return mail


def _message(raw: bytes) -> Message:
    try:
        return email.message_from_bytes(raw, policy=compat32)
    except Exception:  # noqa: BLE001
        return Message()


def read_mail(raw: bytes) -> Mail:
    """Parse raw bytes; never raises (a broken message gives a Mail with what could be read)."""
    return read_message(_message(raw))
