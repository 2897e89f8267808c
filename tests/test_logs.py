"""Log lines: one per event with the Message-ID and the ticket reference, text or JSON, and no
personal data at the default level (INFO for the worker)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from helpers import fiche_email, write_config
from servers import MailUser, RecordingSMTP

from intake.config.settings import load_settings
from intake.logs import JsonFormatter
from intake.runtime import build_runtime
from intake.sources import open_source
from intake.worker.loop import run_once
from outbox.deliver import without_addresses
from outbox.senders import open_sender

#: What the fiche says and who is named in it or receives it: never in a log line at INFO.
PERSONAL = (
    "Sophie",
    "Martin",
    "sophie.martin",
    "Karim",
    "accueil du 12e",
    "listes électorales",
    "chef.accueil.m12",
    "@paris.fr",
)


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTAKE_SECRET", "s" * 32)


def test_logs_at_info_name_messages_and_tickets_but_no_person(
    tmp_path: Path,
    mailbox_user: MailUser,
    smtp_server: RecordingSMTP,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = write_config(
        tmp_path,
        mailbox=f"imap://{mailbox_user.user}@{mailbox_user.host}:{mailbox_user.imap_port}/INBOX",
        outbox=f"smtp://{smtp_server.host}:{smtp_server.port}",
    )
    monkeypatch.setenv("INTAKE_IMAP_PASSWORD", mailbox_user.password)
    raw = fiche_email()
    mailbox_user.append(raw)
    mailbox_user.append(
        fiche_email(body="Service : Mairie du 12e\nAgent déclarant : Sophie Martin\n")
    )
    smtp_server.refuse("chef.accueil.m12@paris.fr")  # a refusal quotes the address
    settings = load_settings(config)
    rt = build_runtime(settings)
    source, sender = open_source(settings), open_sender(settings.outbox, settings.base_dir)
    try:
        with caplog.at_level(logging.INFO):
            report = run_once(rt, source, sender)
    finally:
        source.close()
        rt.close()
    ours = [r for r in caplog.records if r.name.split(".")[0] in ("intake", "outbox", "rules")]
    text = "\n".join(r.getMessage() for r in ours if r.levelno >= logging.INFO)
    refs = [ref for o in report.outcomes for ref in o.refs]
    assert len(refs) == 2 and all(ref in text for ref in refs)
    assert all(o.message_id in text for o in report.outcomes)
    assert "not sent" in text and "sent through" in text
    leaks = [word for word in PERSONAL if word in text]
    assert leaks == [], text
    records = [r for r in ours if getattr(r, "ref", None)]
    assert {getattr(r, "ref", None) for r in records} >= set(refs)


def test_json_log_lines_carry_the_message_id_and_reference() -> None:
    record = logging.LogRecord(
        "intake.worker.pipeline", logging.INFO, __file__, 1, "m %s", ("x",), None
    )
    record.message_id, record.ref = "<a@b>", "3975-2026-00001"
    data = json.loads(JsonFormatter().format(record))
    assert data["message"] == "m x" and data["level"] == "info"
    assert (data["message_id"], data["ref"]) == ("<a@b>", "3975-2026-00001")
    assert without_addresses("550 refused: {'jean.dupont@paris.fr': 550}") == (
        "550 refused: {'<adresse>': 550}"
    )
