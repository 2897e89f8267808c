"""Hot reload: the worker picks up an edited rules file, refuses a broken one and says so once."""

from __future__ import annotations

import email
from collections.abc import Iterator
from email.policy import default
from pathlib import Path

import pytest
from helpers import SHIPPED, fiche_email, write_config

from intake.config.settings import load_settings
from intake.runtime import Runtime, build_runtime
from intake.sources import open_source
from intake.sources.maildir import deliver_to_maildir
from intake.store.records import Ticket
from intake.worker.loop import Worker
from outbox.senders import open_sender


@pytest.fixture
def worker(tmp_path: Path) -> Iterator[Worker]:
    rules = tmp_path / "rules.yaml"
    rules.write_bytes((SHIPPED / "rules.yaml").read_bytes())
    settings = load_settings(
        write_config(tmp_path, mailbox="maildir://inbox", outbox="dir://outbox", rules=rules)
    )
    rt = build_runtime(settings)
    source = open_source(settings)
    yield Worker(rt, source, open_sender(settings.outbox, settings.base_dir))
    source.close()
    rt.close()


def edit(rt: Runtime, old: str, new: str) -> None:
    path = rt.rules.path
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def send_fiche(worker: Worker, name: str) -> Ticket:
    inbox = worker.rt.settings.path("inbox")
    deliver_to_maildir(inbox, fiche_email(), name)
    worker.poll()
    return worker.rt.store.tickets()[-1]


def refusals(rt: Runtime) -> list[dict]:
    rows = rt.store.db.execute(
        "select template, recipients, subject, raw from outbox where template = 'regles-invalides'"
    ).fetchall()
    return [dict(zip(("template", "recipients", "subject", "raw"), r, strict=True)) for r in rows]


def test_a_good_edit_takes_effect_and_tickets_record_the_version(worker: Worker) -> None:
    rt = worker.rt
    before = worker.rt.rules.version
    assert send_fiche(worker, "1").rules_version == before
    # Mairie fiches now go out without approval.
    edit(rt, "    approvers: [service.supervisors]\n", "    approval: none\n")
    ticket = send_fiche(worker, "2")
    assert worker.rt.rules.version != before
    assert ticket.rules_version == worker.rt.rules.version
    assert ticket.rule_id == "mairies" and ticket.status == "forwarded"
    assert refusals(rt) == []


def test_a_broken_edit_keeps_the_last_good_rules_and_mails_the_admins_once(
    worker: Worker,
) -> None:
    rt = worker.rt
    good = worker.rt.rules.version
    edit(rt, "    approvers: [service.supervisors]\n", "    approver: [service.supervisors]\n")
    worker.poll()
    worker.poll()  # a second poll on the same broken file says nothing new
    assert worker.rt.rules.version == good
    (mail,) = refusals(rt)
    assert mail["recipients"] == '["admin-3975@paris.fr"]'
    assert mail["subject"].startswith("Règles de routage refusées")
    body = email.message_from_bytes(mail["raw"], policy=default).get_body().get_content()
    assert "clé « approver » inconnue : vouliez-vous dire « approvers » ?" in body
    assert f"{rt.rules.path}:" in body and good in body
    # Fiches keep being routed with the good rules meanwhile.
    ticket = send_fiche(worker, "1")
    assert ticket.rules_version == good and ticket.status == "pending_approval"
    events = rt.store.db.execute("select count(*) from events where kind = 'rules_refused'")
    assert events.fetchone()[0] == 1


def test_a_fix_takes_effect(worker: Worker) -> None:
    rt = worker.rt
    good = worker.rt.rules.version
    edit(rt, "queue: file-attente-3975@paris.fr", "queue: file-attente-3975")
    worker.poll()
    assert worker.rt.rules.version == good and len(refusals(rt)) == 1
    edit(rt, "queue: file-attente-3975\n", "queue: nouvelle-file@paris.fr\n")
    worker.poll()
    assert worker.rt.rules.version != good
    assert worker.rt.rules.rules.queue == "nouvelle-file@paris.fr"
    assert len(refusals(rt)) == 1
