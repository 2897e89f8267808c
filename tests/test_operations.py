"""`intake status`, `intake backfill`, `intake reprocess` on real servers and stored mail."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from helpers import SHIPPED, fiche_email, write_config
from servers import MailUser, RecordingSMTP

from intake.cli.main import main
from intake.sources.maildir import deliver_to_maildir
from intake.store.database import Store

SECRET = "s" * 32


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTAKE_SECRET", SECRET)


def invoke(config: Path, *args: str, password: str | None = None) -> Result:
    env = {"INTAKE_IMAP_PASSWORD": password} if password else None
    return CliRunner().invoke(main, ["--config", str(config), *args], env=env)


def imap_config(tmp_path: Path, user: MailUser, smtp: RecordingSMTP) -> Path:
    return write_config(
        tmp_path,
        mailbox=f"imap://{user.user}@{user.host}:{user.imap_port}/INBOX",
        outbox=f"smtp://{smtp.host}:{smtp.port}",
    )


# -- status ------------------------------------------------------------------------------------


def test_status_shows_the_last_poll_and_the_queues(
    tmp_path: Path, mailbox_user: MailUser, smtp_server: RecordingSMTP
) -> None:
    config = imap_config(tmp_path, mailbox_user, smtp_server)
    mailbox_user.append(fiche_email())
    assert invoke(config, "run", "--once", password=mailbox_user.password).exit_code == 0
    ref = Store(tmp_path / "intake.db").tickets()[0].ref

    result = invoke(config, "status")
    assert result.exit_code == 0, result.output
    assert "last poll" in result.output and "1 message(s) read, 2 mail(s)" in result.output
    rows = {line.split("  ")[0]: line for line in result.output.splitlines()}
    assert ref in rows["pending approvals"] and " 1 " in rows["pending approvals"]
    assert rows["outbox failed"].split()[2] == "0"
    data = json.loads(invoke(config, "status", "--json").output)
    queues = {q["name"]: q for q in data["queues"]}
    assert queues["pending approvals"]["oldest"] == ref
    assert queues["outbox pending"]["count"] == 0
    assert data["worker"]["last_poll_result"].startswith("1 message(s)")


def test_status_without_a_database_says_the_worker_never_ran(tmp_path: Path) -> None:
    config = write_config(tmp_path, mailbox="maildir://in", outbox="dir://out")
    result = invoke(config, "status")
    assert result.exit_code == 2
    assert "no database" in result.output and "intake run" in result.output
    assert not (tmp_path / "intake.db").exists()


# -- backfill ----------------------------------------------------------------------------------


def test_backfill_imports_a_folder_since_a_date_once_and_moves_nothing(
    tmp_path: Path, mailbox_user: MailUser, smtp_server: RecordingSMTP
) -> None:
    config = imap_config(tmp_path, mailbox_user, smtp_server)
    with mailbox_user.connect(folder=None) as mailbox:
        mailbox.folder.create("Fiches 2025")
        old = dt.datetime(2025, 6, 1, 10, 0, tzinfo=dt.UTC)
        mailbox.append(fiche_email(description="Avant la date."), "Fiches 2025", dt=old)
    mailbox_user.append(fiche_email(), "Fiches 2025")
    mailbox_user.append(fiche_email(body="Bonjour, rien ici.\n"), "Fiches 2025")
    args = ("backfill", "--folder", "Fiches 2025", "--since", "2026-01-01")

    result = invoke(config, *args, password=mailbox_user.password)
    assert result.exit_code == 0, result.output
    assert "2 message(s) in imap://" in result.output
    store = Store(tmp_path / "intake.db")
    (ticket,) = [t for t in store.tickets() if t.status != "invalid"]
    assert ticket.ref in result.output
    assert "Nothing was moved" in result.output and "mail(s) queued" in result.output
    assert len(mailbox_user.messages("Fiches 2025")) == 3  # all still there, none flagged
    assert smtp_server.messages == []  # the worker sends, not backfill

    again = invoke(config, *args, password=mailbox_user.password)
    assert again.exit_code == 0, again.output
    assert "duplicate  2" in again.output
    assert len(store.tickets()) == len(Store(tmp_path / "intake.db").tickets())
    assert "0 mail(s) queued" in again.output


def test_backfill_with_a_wrong_password_or_folder_says_so(
    tmp_path: Path, mailbox_user: MailUser, smtp_server: RecordingSMTP
) -> None:
    config = imap_config(tmp_path, mailbox_user, smtp_server)
    args = ("backfill", "--folder", "Archives", "--since", "2026-01-01")
    wrong = invoke(config, *args, password="wrong")
    assert wrong.exit_code == 2
    assert "login refused" in wrong.output and "Traceback" not in wrong.output
    missing = invoke(config, *args, password=mailbox_user.password)
    assert missing.exit_code == 2
    assert "no folder 'Archives'" in missing.output


def test_backfill_reads_a_maildir_subfolder(tmp_path: Path) -> None:
    config = write_config(tmp_path, mailbox="maildir://mail", outbox="dir://out")
    deliver_to_maildir(tmp_path / "mail" / ".Archives", fiche_email(), "1.a.host")
    result = invoke(config, "backfill", "--folder", "Archives", "--since", "2026-03-01")
    assert result.exit_code == 0, result.output
    assert "fiche" in result.output and "3975-" in result.output
    assert (tmp_path / "mail" / ".Archives" / "new" / "1.a.host").exists()


# -- reprocess ---------------------------------------------------------------------------------

UNKNOWN_LABEL = """Service / mairie déclarant : Mairie du 12e arrondissement
Agent déclarant : Sophie Martin
Date de l'appel : 12/03/2026
Type de dysfonctionnement : Erreur de transfert d'appel
Service qui aurait dû répondre : Mairie du 11e
Description : Transfert vers l'accueil du 12e au lieu du 11e.
"""


def test_reprocess_shows_then_applies_what_a_better_form_reads(tmp_path: Path) -> None:
    form = tmp_path / "form.yaml"
    form.write_text((SHIPPED / "form.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    config = write_config(tmp_path, mailbox="maildir://in", outbox="dir://out")
    config.write_text(config.read_text(encoding="utf-8") + "form: form.yaml\n", encoding="utf-8")
    deliver_to_maildir(tmp_path / "in", fiche_email(body=UNKNOWN_LABEL), "1.a.host")
    assert invoke(config, "run", "--once").exit_code == 0
    store = Store(tmp_path / "intake.db")
    (ticket,) = store.tickets()
    assert ticket.expected_service is None
    mails = store.count("outbox")

    # The form learns the wording: the stored message now gives one more field.
    text = form.read_text(encoding="utf-8").replace(
        "      - Service attendu\n",
        "      - Service attendu\n      - Service qui aurait dû répondre\n",
    )
    form.write_text(text, encoding="utf-8")
    shown = invoke(config, "reprocess", ticket.ref)
    assert shown.exit_code == 0, shown.output
    assert "expected_service  (empty) -> 'Mairie du 11e'" in shown.output
    assert "--apply" in shown.output
    assert store.ticket(ticket.id).expected_service is None

    applied = invoke(config, "reprocess", "--since", "2020-01-01", "--apply")
    assert applied.exit_code == 0, applied.output
    assert "1 updated" in applied.output
    assert store.ticket(ticket.id).expected_service == "Mairie du 11e"
    (event,) = [e for e in store.events(ticket.id) if e["kind"] == "reparsed"]
    assert event["detail"]["fields"] == ["expected_service"]
    assert store.count("outbox") == mails  # no mail
    assert "unchanged" in invoke(config, "reprocess", ticket.ref).output


def test_reprocess_an_unknown_reference(tmp_path: Path) -> None:
    config = write_config(tmp_path, mailbox="maildir://in", outbox="dir://out")
    result = invoke(config, "reprocess", "3975-2026-99999")
    assert result.exit_code == 2
    assert "no ticket 3975-2026-99999" in result.output
    usage = invoke(config, "reprocess")
    assert usage.exit_code == 2 and "REF or --since" in usage.output
