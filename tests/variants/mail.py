"""The email around a generated fiche: headers, a body, an HTML part or an attachment.

Message-ID and MIME boundaries come from the variant's name, so the bytes are reproducible.
"""

from __future__ import annotations

import random
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from . import content
from .fiche import Fiche

TO = "Signalements 39 75 <signalements-3975@paris.fr>"
SUBJECTS = (
    "Fiche de signalement 39 75", "Signalement 39 75", "TR: fiche de signalement",
    "Appel mal orienté", "fiche signalement", "Signalement d'un dysfonctionnement",
)
MIME_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "csv": "text/csv",
    "pdf": "application/pdf",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "rtf": "application/rtf",
    "jpg": "image/jpeg",
    "png": "image/png",
}


def _message(rng: random.Random, fiche: Fiche, name: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = formataddr((fiche.sender_name, fiche.sender_email))
    msg["To"] = TO
    msg["Subject"] = rng.choice(SUBJECTS)
    msg["Date"] = format_datetime(fiche.sent)
    msg["Message-ID"] = f"<{name}@variants.paris.fr>"
    return msg


def _boundaries(msg: EmailMessage, name: str) -> bytes:
    for n, part in enumerate(msg.walk()):
        if part.is_multipart():
            part.set_boundary(f"=_{name}_{n}")
    return msg.as_bytes()


def plain_mail(rng: random.Random, fiche: Fiche, name: str, body: str) -> bytes:
    msg = _message(rng, fiche, name)
    msg.set_content(body)
    return msg.as_bytes()


def html_mail(rng: random.Random, fiche: Fiche, name: str, html: str) -> bytes:
    msg = _message(rng, fiche, name)
    msg.set_content(html, subtype="html")
    return msg.as_bytes()


def attachment_mail(
    rng: random.Random, fiche: Fiche, name: str, data: bytes, extension: str
) -> bytes:
    """A short covering note and the fiche attached as `fiche-....extension`."""
    msg = _message(rng, fiche, name)
    msg.set_content(
        f"{rng.choice(content.GREETINGS)}\n\n{rng.choice(content.ATTACHED)}\n\n"
        f"{rng.choice(content.CLOSINGS)}\n{fiche.sender_name}\n"
    )
    maintype, subtype = MIME_TYPES[extension].split("/")
    filename = rng.choice(("fiche-signalement", "Fiche de signalement 39 75", "signalement"))
    msg.add_attachment(data, maintype=maintype, subtype=subtype,
                       filename=f"{filename}.{extension}")
    return _boundaries(msg, name)
