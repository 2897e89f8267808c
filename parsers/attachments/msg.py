"""An Outlook message saved as a file (.msg), read with extract-msg into a `Mail`.

Agents drag a received mail out of Outlook and attach it: the .msg is then a forward, whose
body, HTML body and attachments (Word files, other messages) hold the fiche, and whose sender
is the fiche's author.
"""

from __future__ import annotations

import datetime as dt
import logging
from email.message import Message

import extract_msg

from parsers.mime import MAX_DEPTH, Attachment, Mail, decode_bytes, parse_address


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return decode_bytes(value)
    return str(value) if value else ""


def _mail(message: extract_msg.msg_classes.MessageBase, filename: str, nesting: int) -> Mail:
    mail = Mail(msg=Message(), filename=filename, origin="msg")
    mail.subject = _text(message.subject).strip()
    mail.from_name, mail.from_addr = parse_address(_text(message.sender))
    date = message.date
    mail.date = date if isinstance(date, dt.datetime) else None
    body = _text(message.body)
    mail.plain = [body] if body.strip() else []
    html = message.htmlBody
    mail.html = [_text(html)] if html else []
    for att in message.attachments:
        name = _text(att.longFilename or att.shortFilename or att.name or "").strip()
        data = att.data
        if isinstance(data, extract_msg.msg_classes.MessageBase):  # a message attached in it
            if nesting + 1 < MAX_DEPTH:
                mail.inner.append(_mail(data, name, nesting + 1))
        elif isinstance(data, bytes):
            ctype = _text(att.mimetype).strip().lower() or "application/octet-stream"
            shown = bool(getattr(att, "hidden", False) or getattr(att, "cid", None))
            mail.attachments.append(Attachment(name, ctype, data, inline=shown))
    return mail


def read_msg(data: bytes, filename: str) -> Mail:
    """The message inside `data`; raises when it is no readable Outlook message."""
    # extract-msg logs every oddity of a file it reads: not ours to report.
    logging.getLogger("extract_msg").setLevel(logging.ERROR)
    message = extract_msg.openMsg(data, delayAttachments=False)
    try:
        if not isinstance(message, extract_msg.msg_classes.MessageBase):
            raise ValueError("not an e-mail message (a contact, a meeting…)")
        return _mail(message, filename, 0)
    finally:
        message.close()
