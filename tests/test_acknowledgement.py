"""The acknowledgement shows the fiche as it was read: each field as the agent wrote it beside
what was understood, and the fields read with a warning marked (real Dovecot and SMTP)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import pytest
from harness import START, Harness
from helpers import SENDER, fiche_email
from servers import MailUser, RecordingSMTP

from outbox.fiche_view import fiche_lines

REPORTER = "sophie.martin@paris.fr"


@pytest.fixture
def h(tmp_path: Path, mailbox_user: MailUser, smtp_server: RecordingSMTP) -> Iterator[Harness]:
    harness = Harness(tmp_path, mailbox_user, smtp_server)
    yield harness
    harness.close()


def acks(h: Harness) -> list[str]:
    return [m.get_content() for m in h.new_mails() if "Accusé" in str(m["Subject"])]


def line(text: str, label: str) -> str:
    (found,) = [x.strip() for x in text.splitlines() if x.strip().startswith(f"{label} :")]
    return found


BODY = """Service / mairie déclarant : {service}
Agent déclarant : Sophie Martin
Date de l'appel : hier
Heure de l'appel : vers 14h30
Type de dysfonctionnement : ☐ Erreur de transfert   X Information erronée   ☐ Autre
Description : Horaires d'ouverture faux donnés à l'usager.
"""


def test_the_ack_shows_each_field_as_written_and_marks_the_warned_one(h: Harness) -> None:
    h.send(fiche_email(body=BODY.format(service="Mairie de Trifouillis")))
    (text,) = acks(h)
    service = line(text, "Service / mairie déclarant")
    assert service == (
        "Service / mairie déclarant : Mairie de Trifouillis  (à vérifier : remarque 1)")
    remark = re.search(r"^Remarque 1 : (.*)$", text, re.M)
    assert remark and "Mairie de Trifouillis" in remark[1] and "non reconnu" in remark[1]
    # Read without a warning: shown as written beside what was understood, not marked.
    assert line(text, "Date de l'appel") == "Date de l'appel : hier (11/03/2026)"
    assert line(text, "Heure de l'appel") == "Heure de l'appel : vers 14h30 (14:30)"
    category = line(text, "Type de dysfonctionnement")
    assert category.endswith("X Information erronée ☐ Autre (Information erronée)")
    assert line(text, "Agent déclarant") == "Agent déclarant : Sophie Martin"
    assert text.count("à vérifier") == 1
    assert "répondez à ce message en recopiant la rubrique corrigée" in text


def test_an_ack_without_warnings_marks_nothing(h: Harness) -> None:
    h.send(fiche_email(body=BODY.format(service="Mairie du 12")))
    (text,) = acks(h)
    assert "à vérifier" not in text and "Remarque" not in text
    # The service as written, then the directory entry it was read as.
    assert line(text, "Service / mairie déclarant") == (
        "Service / mairie déclarant : Mairie du 12 (Mairie du 12e arrondissement)")
    (ticket,) = h.rt.store.tickets()
    assert ticket.warnings == []


def test_each_fiche_of_a_mail_is_marked_with_its_own_warnings(h: Harness) -> None:
    header = ["Service déclarant", "Date de l'appel", "Type de dysfonctionnement", "Description"]
    rows = [["Mairie du 15e", "04/03/2026", "Autre", "Appel coupé."],
            ["Mairie de Nulle-Part", "05/03/2026", "Autre", "Appel coupé aussi."]]
    cells = "".join(
        "<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in [header, *rows]
    )
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = f"Sophie Martin <{REPORTER}>", SENDER, "Fiches"
    msg["Date"] = format_datetime(START)
    msg["Message-ID"] = make_msgid(domain="mail.paris.fr")
    msg.set_content(f"<table>{cells}</table>", subtype="html")
    h.send(msg.as_bytes())
    texts = acks(h)
    assert len(texts) == 2
    by_service = {line(t, "Service / mairie déclarant").split(" : ", 1)[1]: t for t in texts}
    first = next(t for s, t in by_service.items() if s.startswith("Mairie du 15e"))
    second = next(t for s, t in by_service.items() if s.startswith("Mairie de Nulle-Part"))
    assert "à vérifier" not in first and "Remarque" not in first
    assert "(à vérifier : remarque 1)" in line(second, "Service / mairie déclarant")
    stored = {t.service: t.warnings for t in h.rt.store.tickets()}
    assert stored["Mairie du 15e"] == []
    assert [w["field"] for w in stored["Mairie de Nulle-Part"]] == ["service"]


def test_lines_as_read() -> None:
    record = {"service": "Mairie du 12e", "call_date": "2026-03-11", "call_time": "14:30",
              "category": "wrong_information", "agent_3975": "Karim B.", "description": "d"}
    written = {"call_date": "hier", "call_time": "14:30", "category": "Information erronée",
               "agent_3975": "Karim B."}
    lines = {x["field"]: x for x in fiche_lines(
        record, ["agent_3975"], written=written, warned=["call_date", "service", "call_date"])}
    assert lines["call_date"]["written"] == "hier" and lines["call_date"]["value"] == "11/03/2026"
    assert lines["call_date"]["notes"] == [1, 3] and lines["service"]["notes"] == [2]
    # What reads the same as understood is shown once; a withheld field shows nothing written.
    assert lines["call_time"]["written"] is None and lines["category"]["written"] is None
    assert lines["agent_3975"] == {"field": "agent_3975", "label": "Nom de l'agent 39 75",
                                   "value": "(non communiqué)", "written": None, "notes": []}
    assert lines["description"]["notes"] == []
