"""Turn a rendered mail into the exact bytes that will be sent, Message-ID included."""

from __future__ import annotations

import datetime as dt
import secrets
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

#: Marks every mail we send, so it is recognised if it ever comes back (loop protection).
LOOP_HEADER = "X-Intake-3975"


def _one_line(value: str) -> str:
    """Header values never carry CR/LF, whatever a fiche field contained."""
    return " ".join(value.split())


def new_message_id(kind: str, ref: str | None, domain: str, tag: str | None = None) -> str:
    """Unique, and carrying `tag` (an approval token) back in a reply's In-Reply-To."""
    unique = secrets.token_hex(8)
    return f"<{kind}.{ref or 'x'}.{tag + '.' if tag else ''}{unique}@{domain}>"


def plus_address(address: str, tag: str) -> str:
    """`signalements-3975+TAG@paris.fr`: replies bring the tag back in their To header."""
    local, _, domain = address.partition("@")
    return f"{local}+{tag}@{domain}"


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
    msg = EmailMessage(policy=SMTP)
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    if cc:
        msg["Cc"] = ", ".join(cc)
    if reply_to:
        msg["Reply-To"] = reply_to
    subject = _one_line(subject)
    if ref and f"[{ref}]" not in subject:
        subject = f"[{ref}] {subject}"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = message_id
    if in_reply_to:
        msg["In-Reply-To"] = _one_line(in_reply_to)
    chain = [_one_line(r) for r in (references or []) if r]
    if chain:
        msg["References"] = " ".join(chain)
    # RFC 3834: tell auto-responders not to answer us; Microsoft's header says the same.
    msg["Auto-Submitted"] = auto_submitted
    msg["X-Auto-Response-Suppress"] = "All"
    msg[LOOP_HEADER] = ref or "1"
    msg.set_content(body, charset="utf-8", cte="quoted-printable")
    if html is not None:
        msg.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
        html_part = list(msg.iter_parts())[-1]
        for cid, png in (images or {}).items():
            html_part.add_related(png, maintype="image", subtype="png", cid=f"<{cid}>")
    return msg.as_bytes()
