"""The office-made golden files (tests/office): each FILE has FILE.expected.json beside it
with the fiche it holds, the sender and the date of the email it is attached to."""

from __future__ import annotations

import json
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from .mail import MIME_TYPES, TO

OFFICE = Path(__file__).resolve().parents[1] / "office"


@dataclass
class Case:
    path: Path
    expected: dict[str, Any]

    @property
    def format(self) -> str:
        """"docx", "pdf", "scan-pdf", "jpg"...: what a reader must handle."""
        return str(self.expected.get("format") or self.path.suffix.lstrip("."))


def golden_cases(folder: Path = OFFICE) -> list[Case]:
    cases = []
    for spec in sorted(folder.glob("*.expected.json")):
        path = spec.with_name(spec.name.removesuffix(".expected.json"))
        cases.append(Case(path, json.loads(spec.read_text(encoding="utf-8"))))
    return cases


def golden_mail(case: Case) -> bytes:
    """The email an agent sends with the file attached."""
    msg = EmailMessage()
    msg["From"] = case.expected["sender"]
    msg["To"] = TO
    msg["Subject"] = "Fiche de signalement 39 75"
    msg["Date"] = case.expected["sent"]
    msg["Message-ID"] = f"<{case.path.name}@office.paris.fr>"
    msg.set_content("Bonjour,\n\nCi-joint la fiche de signalement.\n\nCordialement\n")
    maintype, subtype = MIME_TYPES[case.path.suffix.lstrip(".").lower()].split("/")
    msg.add_attachment(case.path.read_bytes(), maintype=maintype, subtype=subtype,
                       filename=case.path.name)
    for n, part in enumerate(msg.walk()):
        if part.is_multipart():
            part.set_boundary(f"=_{case.path.name}_{n}")
    return msg.as_bytes()
