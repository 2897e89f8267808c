"""Mail deferred by an SMTP outage: counted by `run --once` and `status`, sent at once on demand."""

from __future__ import annotations

import json
from email import message_from_bytes
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from helpers import fiche_email, write_config
from servers import RecordingSMTP

from intake.cli.main import main
from intake.sources.maildir import deliver_to_maildir
from intake.store.database import Store
from intake.worker.lock import WorkerLock


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTAKE_SECRET", "s" * 32)


def invoke(config: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(config), *args])


def deferred_run(tmp_path: Path, smtp: RecordingSMTP) -> Path:
    """A fiche read while the SMTP server answers 451: its two mails wait for a retry."""
    config = write_config(
        tmp_path, mailbox="maildir://inbox", outbox=f"smtp://{smtp.host}:{smtp.port}"
    )
    deliver_to_maildir(tmp_path / "inbox", fiche_email(), "1.fiche")
    smtp.defer(2)
    result = invoke(config, "run", "--once")
    assert result.exit_code == 0, result.output
    assert "2 mail(s) wait for a retry, the next at " in result.output
    assert "`intake outbox retry --deferred`" in result.output
    assert smtp.messages == []
    return config


def test_status_says_how_many_mails_wait_and_until_when(
    tmp_path: Path, smtp_server: RecordingSMTP
) -> None:
    config = deferred_run(tmp_path, smtp_server)
    text = invoke(config, "status").output
    assert "2 mail(s) wait for a retry" in text and "the last until " in text
    waiting = json.loads(invoke(config, "status", "--json").output)["deferred"]
    pending = Store(tmp_path / "intake.db").mails("pending")
    assert waiting["count"] == 2
    assert waiting["until"] == max(m.next_attempt_at for m in pending)


def test_retry_deferred_sends_them_now_with_the_same_message_id(
    tmp_path: Path, smtp_server: RecordingSMTP
) -> None:
    config = deferred_run(tmp_path, smtp_server)
    ids = {m.message_id for m in Store(tmp_path / "intake.db").mails("pending")}

    result = invoke(config, "outbox", "retry", "--deferred")
    assert result.exit_code == 0, result.output
    assert "2 mail(s) sent through smtp://" in result.output
    received = smtp_server.wait_for(2)
    assert {message_from_bytes(raw)["Message-ID"] for _, _, raw in received} == ids
    assert "wait for a retry" not in invoke(config, "status").output
    events = Store(tmp_path / "intake.db").events(1)
    assert [e["kind"] for e in events].count("mail_retry") == 2


def test_retry_deferred_leaves_the_sending_to_a_running_worker(
    tmp_path: Path, smtp_server: RecordingSMTP
) -> None:
    config = deferred_run(tmp_path, smtp_server)
    with WorkerLock(tmp_path / "intake.db"):
        result = invoke(config, "outbox", "retry", "--deferred")
    assert result.exit_code == 0, result.output
    assert "the running worker sends them at its next poll (within 1 s)" in result.output
    assert smtp_server.messages == []
    due = Store(tmp_path / "intake.db").mails("pending")
    assert [m.next_attempt_at for m in due] == [None, None]


def test_retry_takes_one_way_of_choosing_mails(tmp_path: Path) -> None:
    config = write_config(tmp_path, mailbox="maildir://inbox", outbox="dir://outbox")
    result = invoke(config, "outbox", "retry", "--all", "--deferred")
    assert result.exit_code == 2
    assert "give mail ids, --all or --deferred" in result.output
