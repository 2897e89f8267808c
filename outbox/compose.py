"""Turn a rendered mail into the exact bytes that will be sent, Message-ID included.

The bytes are written directly (RFC 5322 headers, MIME parts in quoted-printable or base64)
rather than through `email.message.EmailMessage`, whose header registry re-parses every value
it is given: the worker composes two mails per fiche, and that parsing was most of their cost.
"""

from __future__ import annotations

import binascii
import datetime as dt
import functools
import secrets
from email.utils import format_datetime, formataddr, getaddresses

#: Marks every mail we send, so it is recognised if it ever comes back (loop protection).
LOOP_HEADER = "X-Intake-3975"

#: RFC 5322 recommends lines of at most 78 characters; headers are folded to that.
LINE = 78
CRLF = "\r\n"


def _one_line(value: str) -> str:
    """Header values never carry CR/LF, whatever a fiche field contained."""
    return " ".join(value.split())


def new_message_id(kind: str, ref: str | None, domain: str, tag: str | None = None) -> str:
    """Unique, and carrying `tag` (an approval token) back in a reply's In-Reply-To."""
    unique = secrets.token_hex(8)
    return f"<{kind}.{ref or 'x'}.{tag + '.' if tag else ''}{unique}@{domain}>"


def another_message_id(message_id: str) -> str:
    """A new Message-ID for a copy of a mail: the same one, with a new unique part."""
    local, _, domain = message_id.strip("<>").rpartition("@")
    return f"<{local}.{secrets.token_hex(4)}@{domain}>"


def with_message_id(raw: bytes, old: str, new: str) -> bytes:
    """`raw` (a mail composed here) with its Message-ID header changed from `old` to `new`."""
    return raw.replace(f"Message-ID: {old}\r\n".encode(), f"Message-ID: {new}\r\n".encode(), 1)


def plus_address(address: str, tag: str) -> str:
    """`signalements-3975+TAG@paris.fr`: replies bring the tag back in their To header."""
    local, _, domain = address.partition("@")
    return f"{local}+{tag}@{domain}"


def _fold(name: str, items: list[str], separator: str) -> str:
    """`Name: a<sep> b ...`: a new continuation line where the next item would pass 78
    (counting the separator that may follow it)."""
    lines = [f"{name}: {items[0] if items else ''}"]
    for item in items[1:]:
        if len(lines[-1]) + 2 * len(separator) + 1 + len(item) > LINE:
            lines[-1] += separator
            lines.append(f" {item}")
        else:
            lines[-1] += f"{separator} {item}"
    return CRLF.join(lines)


@functools.lru_cache(maxsize=4096)
def _address(value: str) -> tuple[str, ...]:
    """One configured address, ready for a header (cached: the same few hundred recur)."""
    value = _one_line(value)
    if value.isascii() and not any(c in value for c in '<>",;()'):
        return (value,) if value else ()  # a bare address, the usual case
    return tuple(_formatted(name, address) for name, address in getaddresses([value]) if address)


def _formatted(name: str, address: str) -> str:
    if address.isascii():
        return formataddr((name, address), "utf-8")
    # An accented address stays as it is, in UTF-8 (RFC 6532: such a mail leaves only over
    # SMTPUTF8, see outbox/senders.py); its display name is encoded as any other.
    shown = formataddr((name, "x@x"), "utf-8").removesuffix(" <x@x>") if name else ""
    return f"{shown} <{address}>" if shown else address


def _addresses(name: str, values: list[str]) -> str:
    """An address header, each display name encoded (RFC 2047) when it is not ASCII."""
    return _fold(name, [a for value in values for a in _address(value)], ",")


#: UTF-8 bytes per RFC 2047 encoded word: 56 characters of base64, so that
#: `Subject: =?utf-8?b?...?=` stays within 78 characters.
WORD_BYTES = 42


def _encoded_words(value: str) -> list[str]:
    """`value` as RFC 2047 base64 words, never splitting a character between two words."""
    chunks: list[bytes] = []
    chunk = b""
    for char in value:
        data = char.encode("utf-8")
        if len(chunk) + len(data) > WORD_BYTES:
            chunks.append(chunk)
            chunk = b""
        chunk += data
    chunks.append(chunk)
    return [f"=?utf-8?b?{binascii.b2a_base64(c, newline=False).decode()}?=" for c in chunks]


def _unstructured(name: str, value: str) -> str:
    value = _one_line(value)
    if not value.isascii():
        return _fold(name, _encoded_words(value), "")
    return _fold(name, value.split(" "), "")


def _quoted_printable(text: str) -> bytes:
    """UTF-8 text in quoted-printable with CRLF line ends, soft-broken at 76 characters."""
    lf = text.replace("\r\n", "\n").replace("\r", "\n")
    data = (lf if lf.endswith("\n") else lf + "\n").encode("utf-8")
    return binascii.b2a_qp(data, istext=True).replace(b"\n", b"\r\n")


def _base64(data: bytes) -> bytes:
    """Base64 in lines of 76 characters, as MIME asks."""
    encoded = binascii.b2a_base64(data, newline=False)
    return b"\r\n".join(encoded[i : i + 76] for i in range(0, len(encoded), 76))


def _text_part(subtype: str, text: str) -> bytes:
    head = (
        f'Content-Type: text/{subtype}; charset="utf-8"{CRLF}'
        f"Content-Transfer-Encoding: quoted-printable{CRLF}{CRLF}"
    )
    return head.encode("ascii") + _quoted_printable(text)


def _image_part(cid: str, png: bytes) -> bytes:
    head = (
        f"Content-Type: image/png{CRLF}Content-Transfer-Encoding: base64{CRLF}"
        f"Content-ID: <{cid}>{CRLF}Content-Disposition: inline{CRLF}{CRLF}"
    )
    return head.encode("ascii") + _base64(png)


def _multipart(subtype: str, parts: list[bytes]) -> bytes:
    # "=_" never occurs in quoted-printable or base64 text, so the boundary cannot either.
    boundary = f"=_intake_{secrets.token_hex(12)}"
    head = f'Content-Type: multipart/{subtype};{CRLF} boundary="{boundary}"{CRLF}{CRLF}'
    delimiter = f"{CRLF}--{boundary}{CRLF}".encode("ascii")
    body = delimiter.join(parts)
    return (
        head.encode("ascii")
        + f"--{boundary}{CRLF}".encode("ascii")
        + body
        + f"{CRLF}--{boundary}--{CRLF}".encode("ascii")
    )


def compose(
    *,
    sender: str,
    recipients: list[str],
    subject: str,
    body: str,
    message_id: str,
    ref: str | None,
    now: dt.datetime,
    in_reply_to: str | None = None,
    references: list[str] | None = None,
    auto_submitted: str = "auto-replied",
    cc: list[str] | None = None,
    reply_to: str | None = None,
    html: str | None = None,
    images: dict[str, bytes] | None = None,
) -> bytes:
    """The mail's bytes: text only, or with `html` a multipart/alternative whose HTML part is a
    multipart/related carrying `images` (Content-ID -> PNG bytes, shown as `cid:ID`)."""
    subject = _one_line(subject)
    if ref and f"[{ref}]" not in subject:
        subject = f"[{ref}] {subject}"
    headers = [_addresses("From", [sender]), _addresses("To", recipients)]
    if cc:
        headers.append(_addresses("Cc", cc))
    if reply_to:
        headers.append(_addresses("Reply-To", [reply_to]))
    headers += [
        _unstructured("Subject", subject),
        f"Date: {format_datetime(now)}",
        f"Message-ID: {_one_line(message_id)}",
    ]
    # A message-id is ASCII (RFC 5322); a broken one from a sender's client is not repeated.
    if in_reply_to and _one_line(in_reply_to).isascii():
        headers.append(f"In-Reply-To: {_one_line(in_reply_to)}")
    chain = [_one_line(r) for r in (references or []) if r and _one_line(r).isascii()]
    if chain:
        headers.append(_fold("References", chain, ""))
    headers += [
        # RFC 3834: tell auto-responders not to answer us; Microsoft's header says the same.
        f"Auto-Submitted: {_one_line(auto_submitted)}",
        "X-Auto-Response-Suppress: All",
        _unstructured(LOOP_HEADER, ref or "1"),
        "MIME-Version: 1.0",
    ]
    content = _text_part("plain", body)
    if html is not None:
        html_part = _text_part("html", html)
        if images:
            html_part = _multipart(
                "related", [html_part, *(_image_part(c, png) for c, png in images.items())]
            )
        content = _multipart("alternative", [content, html_part])
    return (CRLF.join(headers) + CRLF).encode("utf-8") + content
