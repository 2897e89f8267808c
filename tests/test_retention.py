"""Retention: personal data of closed tickets erased after the delay, the facts kept; checked on
the database rows and on the bytes of the SQLite file itself."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from harness import Harness, reply
from helpers import FICHE_TEXT, fiche_email
from servers import MailUser, RecordingSMTP

from intake.cli.main import main
from intake.operations.retention import plan_purge, purge
from intake.privacy.policy import PERSONAL_TICKET_FIELDS

CHEF = "chef.accueil.m12@paris.fr"
GONE = (b"Karim B.", b"sophie.martin", b"Sophie Martin", "précis".encode())


@pytest.fixture
def h(tmp_path: Path, mailbox_user: MailUser, smtp_server: RecordingSMTP) -> Iterator[Harness]:
    harness = Harness(tmp_path, mailbox_user, smtp_server)
    yield harness
    harness.close()


def other_fiche() -> bytes:
    body = FICHE_TEXT.format(service="Mairie du 12e", description="Autre transfert.")
    body = body.replace("Karim B.", "Léa R.").replace("Sophie Martin", "Paul Durand")
    return fiche_email(sender="Paul Durand <paul.durand@paris.fr>", body=body)


def closed_ticket_with_a_comment(h: Harness) -> str:
    report = h.send(fiche_email())
    (ref,) = report.outcomes[0].refs
    request = next(m for m in h.new_mails() if str(m["To"]) == CHEF)
    h.send(reply(request, sender=CHEF, body="Approuvé : précis et utile."))
    ack = h.rt.store.mail_for_ticket(h.ticket(ref).id)[0]
    from email import message_from_bytes
    from email.policy import default

    original = message_from_bytes(ack.raw, policy=default)
    h.send(reply(original, sender="sophie.martin@paris.fr", body="Merci, précis noté."))  # type: ignore[arg-type]
    assert h.ticket(ref).status == "forwarded"
    return ref


def database_bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_purge_erases_exactly_the_personal_data(h: Harness) -> None:
    ref = closed_ticket_with_a_comment(h)
    h.advance(days=200)
    (waiting,) = h.send(other_fiche()).outcomes[0].refs  # still waiting for a decision
    store = h.rt.store
    before = h.ticket(ref)
    h.advance(days=170)  # 370 days after the first ticket, 170 after the second

    plan = plan_purge(store, h.now, 365)
    assert list(plan.tickets.values()) == [ref]
    assert plan.waiting == []  # the second one is not past the delay yet
    counts = plan.counts()
    assert counts["messages"] == 3  # the fiche, the decision, the comment
    assert counts["mails"] == len(store.mail_for_ticket(before.id))

    purge(store, plan, now=h.now.isoformat(), actor="tester", outbox_dir=None)

    after = h.ticket(ref)
    for name in PERSONAL_TICKET_FIELDS:
        assert getattr(after, name) is None, name
    facts = (
        "service",
        "service_id",
        "category",
        "call_date",
        "call_time",
        "expected_service",
        "caller_request",
        "status",
        "created_at",
        "decided_at",
    )
    assert {k: getattr(after, k) for k in facts} == {k: getattr(before, k) for k in facts}
    assert after.purged_at == h.now.isoformat()
    marks = ",".join("?" * len(plan.messages))
    erased = store.db.execute(
        f"select raw, sender, subject, purged_at from messages where id in ({marks})",
        plan.messages,
    )
    for row in erased:
        assert row[:3] == (None, None, None) and row[3]
    for mail in store.mail_for_ticket(after.id):
        assert mail.raw == b"" and mail.recipients == [] and mail.purged_at
    events = store.events(after.id)
    dumped = json.dumps([{**e, "detail": e["detail"]} for e in events], ensure_ascii=False)
    assert "Karim" not in dumped and "sophie" not in dumped.lower() and "précis" not in dumped
    assert [e["kind"] for e in events][-1] == "personal_data_erased"
    assert events[-1]["actor"] == "tester"
    # The approver's decision and when it happened stay in the audit trail.
    assert any(e["kind"] == "approved" and e["actor"] == CHEF for e in events)

    # The other ticket is untouched.
    assert h.ticket(waiting).agent_3975 == "Léa R."
    # Nothing of the erased data is left anywhere in the database files.
    raw = database_bytes(Path(store.path))
    for needle in GONE:
        assert needle not in raw, needle
    assert "Léa R.".encode() in raw

    # A second purge finds nothing more.
    assert plan_purge(store, h.now, 365).counts()["tickets"] == 0


def test_a_ticket_still_waiting_is_kept_and_said(h: Harness) -> None:
    (ref,) = h.send(fiche_email()).outcomes[0].refs
    h.advance(days=400)
    plan = plan_purge(h.rt.store, h.now, 365)
    assert plan.tickets == {} and plan.waiting == [ref]


def test_purge_command_dry_run_then_erase_with_the_dir_outbox(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    assert CliRunner().invoke(main, ["demo", "--dir", str(folder)]).exit_code == 0
    config = folder / "intake.yaml"
    db = sqlite3.connect(folder / "intake.db")
    old = (dt.datetime.now(dt.UTC) - dt.timedelta(days=400)).isoformat()
    db.execute("update tickets set created_at = ?, updated_at = ?", [old, old])
    db.execute("update messages set received_at = ?", [old])
    db.commit()
    (invalid_ref,) = [r for (r,) in db.execute("select ref from tickets where status='invalid'")]
    files = sorted((folder / "outbox").glob("*.eml"))

    dry = CliRunner().invoke(main, ["--config", str(config), "purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would erase: personal data of 1 ticket(s)" in dry.output
    assert invalid_ref in dry.output and "kept, still waiting" in dry.output
    assert sorted((folder / "outbox").glob("*.eml")) == files

    done = CliRunner().invoke(main, ["--config", str(config), "purge"])
    assert done.exit_code == 0, done.output
    assert "erased: personal data of 1 ticket(s)" in done.output
    assert len(list((folder / "outbox").glob("*.eml"))) == len(files) - 1
    (event,) = db.execute("select actor, detail from events where kind = 'purge'").fetchall()
    assert json.loads(event[1])["refs"] == [invalid_ref] and event[0]
