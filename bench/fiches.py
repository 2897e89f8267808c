"""Generated fiches for the end-to-end benchmarks: a realistic mix of formats and sizes.

Mostly fiches in the body (text, HTML), some as a Word or Excel attachment, each with a
signature and the usual legal footer; 300 different agents write them. A few variants per
format are built once, then each fiche gets its own Message-ID, sender and description.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Callable, Iterator
from email.message import EmailMessage

from bench.parse import make, rows

#: Share of each format in a backlog (out of 100).
MIX = {"text": 55, "html": 30, "docx": 8, "xlsx": 7}
VARIANTS = 10
AGENTS = 300
TO = "Signalements 39 75 <signalements-3975@paris.fr>"
FOOTER = (
    "\n--\nAgent d'accueil\nMairie d'arrondissement - Ville de Paris\n"
    "Tél. : 01 42 76 00 00\n\n"
    + (
        "Ce message et ses pièces jointes sont confidentiels et établis à l'attention exclusive "
        "de leurs destinataires. Toute utilisation ou diffusion non autorisée est interdite. "
        "Si vous avez reçu ce message par erreur, merci de le détruire et d'en avertir "
        "l'expéditeur. La Ville de Paris décline toute responsabilité au titre de ce message. "
    )
    * 2
)


def _envelope(msg: EmailMessage) -> None:
    msg["From"] = "Agent XXNAMEXX <xxfromxx@paris.fr>"
    msg["To"] = TO
    msg["Subject"] = "Fiche de signalement 39 75"
    msg["Date"] = "Thu, 05 Mar 2026 09:12:00 +0100"
    msg["Message-ID"] = "<XXIDXX@mail.paris.fr>"


def _text(n: int) -> bytes:
    msg = EmailMessage()
    _envelope(msg)
    lines = "\n".join(f"{k} : {v}" for k, v in rows(n))
    msg.set_content(f"Bonjour,\n\n{lines}\n\nCordialement,{FOOTER}")
    return msg.as_bytes()


def _html(n: int) -> bytes:
    msg = EmailMessage()
    _envelope(msg)
    cells = "".join(
        f"<tr><td><b>{html.escape(k)}</b></td><td>{html.escape(v)}</td></tr>" for k, v in rows(n)
    )
    text = "\n".join(f"{k} : {v}" for k, v in rows(n))
    msg.set_content(f"Bonjour,\n\n{text}\n\nCordialement,{FOOTER}")
    footer = html.escape(FOOTER).replace("\n", "<br>")
    msg.add_alternative(
        f"<html><body><p>Bonjour,</p><table border=1>{cells}</table>"
        f"<p>Cordialement,</p><p style='color:#666'>{footer}</p></body></html>",
        subtype="html",
    )
    return msg.as_bytes()


def _attached(ext: str, build: Callable[[list[tuple[str, str]]], bytes]) -> Callable[[int], bytes]:
    def mail(n: int) -> bytes:
        msg = EmailMessage()
        _envelope(msg)
        msg.set_content(f"{make.ATTACHED}{FOOTER}")
        subtype = "vnd.openxmlformats-officedocument." + (
            "wordprocessingml.document" if ext == "docx" else "spreadsheetml.sheet"
        )
        msg.add_attachment(
            build(rows(n)), maintype="application", subtype=subtype, filename=f"fiche.{ext}"
        )
        return msg.as_bytes()

    return mail


BUILDERS: dict[str, Callable[[int], bytes]] = {
    "text": _text,
    "html": _html,
    "docx": _attached("docx", make.docx_table),
    "xlsx": _attached("xlsx", lambda r: make.xlsx_bytes([list(x) for x in r])),
}


class Fiches:
    """`fiche(n)`: the n-th generated fiche as raw bytes, with Message-ID `<PREFIX-n@...>`."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.templates = {f: [BUILDERS[f](v) for v in range(VARIANTS)] for f in MIX}
        self.formats = list(
            itertools.chain.from_iterable(itertools.repeat(f, k) for f, k in MIX.items())
        )

    def message_id(self, n: int) -> str:
        return f"<{self.prefix}-{n}@mail.paris.fr>"

    def fiche(self, n: int) -> bytes:
        kind = self.formats[(n * 37) % len(self.formats)]  # spread the formats evenly
        raw = self.templates[kind][n % VARIANTS]
        agent = n % AGENTS
        return (
            raw.replace(b"XXIDXX", f"{self.prefix}-{n}".encode())
            .replace(b"xxfromxx@paris.fr", f"agent.{agent}@paris.fr".encode())
            .replace(b"XXNAMEXX", str(agent).encode())
        )

    def __iter__(self) -> Iterator[bytes]:
        return (self.fiche(n) for n in itertools.count())

    def sizes(self) -> dict[str, int]:
        """Mean size in bytes of each format."""
        return {f: sum(map(len, t)) // len(t) for f, t in self.templates.items()}
