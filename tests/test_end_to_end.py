"""The whole path on real servers: a fiche APPENDed to Dovecot -> `intake run --once` ->
a ticket in SQLite, mails received by the SMTP server, the message in the processed folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from helpers import SHIPPED, fiche_email, text_of, write_config
from servers import MailUser, RecordingSMTP

from intake.store.database import Store

INTAKE = [sys.executable, "-m", "intake"]


def run_intake(config: Path, *args: str, password: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INTAKE_IMAP_PASSWORD": password}
    return subprocess.run(
        [*INTAKE, "--config", str(config), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture
def setup(
    tmp_path: Path, mailbox_user: MailUser, smtp_server: RecordingSMTP
) -> tuple[Path, MailUser, RecordingSMTP]:
    config = write_config(
        tmp_path,
        mailbox=f"imap://{mailbox_user.user}@{mailbox_user.host}:{mailbox_user.imap_port}/INBOX",
        outbox=f"smtp://{smtp_server.host}:{smtp_server.port}",
    )
    return config, mailbox_user, smtp_server


def received(smtp: RecordingSMTP) -> list:
    return [message_from_bytes(raw, policy=default) for _, _, raw in smtp.messages]


def test_a_fiche_becomes_a_ticket_an_acknowledgement_and_an_approval_request(setup) -> None:
    config, user, smtp = setup
    user.append(fiche_email())
    done = run_intake(config, "run", "--once", password=user.password)
    assert done.returncode == 0, done.stderr

    store = Store(config.parent / "intake.db")
    (ticket,) = store.tickets()
    assert ticket.ref.startswith("3975-")
    assert (ticket.status, ticket.service_id, ticket.category) == (
        "pending_approval",
        "mairie-12",
        "transfer_error",
    )

    mails = {m["To"]: m for m in received(smtp)}
    ack = mails["sophie.martin@paris.fr"]
    assert f"[{ticket.ref}]" in ack["Subject"]
    assert "Accusé de réception" in ack["Subject"]
    assert ack["Auto-Submitted"] == "auto-replied"
    request = mails["chef.accueil.m12@paris.fr"]
    assert "Validation requise" in request["Subject"]
    assert "APPROUVER" in text_of(request)
    # The 39 75 agent's name is not shown to the mairie's supervisor.
    assert "Karim" not in text_of(request)
    assert len(smtp.messages) == 2

    assert user.messages("INBOX") == []
    assert len(user.messages("Traités")) == 1

    # Nothing left to do: a second run sends nothing and makes no ticket.
    again = run_intake(config, "run", "--once", password=user.password)
    assert again.returncode == 0, again.stderr
    assert len(store.tickets()) == 1
    assert len(smtp.messages) == 2

    shown = run_intake(config, "tickets", "show", ticket.ref, "--json", password="")
    data = json.loads(shown.stdout)
    assert [m["status"] for m in data["mails"]] == ["sent", "sent"]
    assert {"ticket_created", "routed", "mail_sent"} <= {e["kind"] for e in data["events"]}


def test_an_invalid_fiche_gets_a_french_reply_naming_what_is_missing(setup) -> None:
    config, user, smtp = setup
    body = (
        "Service / mairie déclarant : Mairie du 14e\nAgent déclarant : Marc Petit\n"
        "Type de dysfonctionnement : Erreur de transfert d'appel\nDescription :\n"
    )
    raw = fiche_email(sender="Marc Petit <marc.petit@paris.fr>", body=body)
    user.append(raw)
    done = run_intake(config, "run", "--once", password=user.password)
    assert done.returncode == 0, done.stderr

    (reply,) = received(smtp)
    assert reply["To"] == "marc.petit@paris.fr"
    text = reply.get_content()
    assert "Date de l'appel" in text and "Description" in text
    assert "incomplète" in reply["Subject"]

    store = Store(config.parent / "intake.db")
    (ticket,) = store.tickets()
    assert ticket.status == "invalid"
    assert {e["field"] for e in ticket.errors} >= {"call_date", "description"}
    # The raw message is kept, byte for byte as the server holds it.
    (message,) = store.db.table("messages").rows
    assert message["raw"] == user.messages("Traités")[0]
    assert message["raw"].replace(b"\r\n", b"\n") == raw
    assert message["kind"] == "invalid"


def test_an_auto_reply_is_stored_and_answered_by_nothing(setup) -> None:
    config, user, smtp = setup
    user.append(
        fiche_email(
            subject="Réponse automatique : absent",
            body="Je suis absente jusqu'au 20 mars.\n",
            headers={"Auto-Submitted": "auto-replied"},
        )
    )
    done = run_intake(config, "run", "--once", password=user.password)
    assert done.returncode == 0, done.stderr
    assert smtp.messages == []
    store = Store(config.parent / "intake.db")
    assert store.tickets() == []
    (message,) = store.db.table("messages").rows
    assert (message["kind"], message["status"]) == ("ignored", "processed")
    assert len(user.messages("Traités")) == 1


def test_a_wrong_password_says_what_to_check(setup) -> None:
    config, user, smtp = setup
    done = run_intake(config, "run", "--once", password="wrong")
    assert done.returncode == 2
    assert "erreur :" in done.stderr
    assert "Traceback" not in done.stderr


def test_shipped_example_config_is_valid() -> None:
    from intake.config.settings import load_settings

    settings = load_settings(SHIPPED / "intake.yaml")
    assert settings.path(settings.rules).exists()
    assert settings.path(settings.templates).is_dir()
