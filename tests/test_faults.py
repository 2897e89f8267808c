"""Mail servers misbehaving under a running worker: the worker waits, retries, logs once per
outage, and processes every fiche exactly once. A private Dovecot per test, since they break it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from harness import Harness
from helpers import fiche_email
from servers import Dovecot, RecordingSMTP
from servers.dovecot import free_port

from intake.worker.loop import Worker


@pytest.fixture
def server() -> Iterator[Dovecot]:
    with Dovecot() as dovecot:
        yield dovecot


@pytest.fixture
def h(tmp_path: Path, server: Dovecot, smtp_server: RecordingSMTP) -> Iterator[Harness]:
    harness = Harness(tmp_path, server.default, smtp_server)
    yield harness
    harness.close()


def worker(h: Harness) -> Worker:
    return Worker(h.rt, h.source, h.sender)


def test_imap_server_restarted_between_polls(h: Harness, server: Dovecot) -> None:
    w = worker(h)
    server.append(fiche_email(description="Avant le redémarrage"))
    w.poll()
    server.restart()
    server.append(fiche_email(description="Après le redémarrage"))
    w.poll()
    if w.mailbox.down:  # the first command after a restart may find the connection dead
        w.poll()
    assert not w.mailbox.down
    assert h.rt.store.count("tickets") == 2
    assert server.default.messages("INBOX") == []


def test_imap_outage_is_logged_once_and_retried_with_backoff(
    h: Harness, server: Dovecot, caplog: pytest.LogCaptureFixture
) -> None:
    w = worker(h)
    w.poll()
    server.stop()
    h.source.close()  # the sessions die with the server in real life; here they would linger
    caplog.set_level(logging.INFO)
    delays = []
    for _ in range(4):
        w.poll()
        delays.append(w.retry_in)
    assert w.mailbox.down
    assert delays == [5.0, 10.0, 20.0, 40.0]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "unavailable" in errors[0].getMessage()
    server.start()
    server.append(fiche_email())
    w.poll()
    assert not w.mailbox.down
    assert any("available again" in r.getMessage() for r in caplog.records)
    assert h.rt.store.count("tickets") == 1


def test_committed_mail_still_goes_out_while_the_mailbox_is_down(
    h: Harness, server: Dovecot
) -> None:
    server.append(fiche_email())
    # The message is taken in, then the server goes away before the mails are delivered.
    from intake.worker.pipeline import process_source

    process_source(h.rt, h.source)
    server.stop()
    h.source.close()
    w = worker(h)
    w.poll()
    assert w.mailbox.down
    assert len(h.new_mails()) == 2  # acknowledgement and approval request were delivered


def test_uidvalidity_change_does_not_process_a_message_twice(h: Harness, server: Dovecot) -> None:
    raw = fiche_email()
    server.append(raw)
    # Taken in and committed, then the worker dies before moving it out of the inbox...
    from intake.worker.pipeline import process_message

    (message,) = list(h.source.fetch())
    process_message(h.rt, message, h.source.label)
    h.source.close()
    # ...and the folder is rebuilt (a restore, a migration): same mail, new UIDVALIDITY.
    before = server.default.uidvalidity("INBOX")
    with server.default.connect(folder=None) as box:
        box.folder.create("Fiches")
        box.append(raw, "Fiches")
        box.folder.set("INBOX")
        box.delete([m.uid for m in box.fetch(mark_seen=False) if m.uid])
    h.source.folder = "Fiches"
    h.run()
    assert h.rt.store.count("tickets") == 1
    assert server.default.messages("Fiches") == []
    assert len([m for m in h.new_mails() if "Accusé" in str(m["Subject"])]) == 1
    assert server.default.uidvalidity("Fiches") != before


def test_processed_folder_deleted_while_running(h: Harness, server: Dovecot) -> None:
    w = worker(h)
    w.poll()  # creates the processed folder
    with server.default.connect(folder=None) as box:
        box.folder.delete("Traités")
    server.append(fiche_email())
    w.poll()
    if w.mailbox.down:  # the move failed: reconnecting recreates the folder
        w.poll()
    assert not w.mailbox.down
    assert h.rt.store.count("tickets") == 1
    assert len(server.default.messages("Traités")) == 1
    assert server.default.messages("INBOX") == []


def test_smtp_down_then_back(tmp_path: Path, server: Dovecot) -> None:
    port = free_port()
    smtp = RecordingSMTP()
    smtp.port = port
    smtp._controller = Controller(smtp.handler, hostname=smtp.host, port=port)
    h = Harness(tmp_path, server.default, smtp)
    try:
        server.append(fiche_email())
        report = h.run()
        assert report.deliveries and report.deliveries[0].unreachable
        assert len(report.deliveries) == 1  # the round stops at the first unreachable server
        smtp.start()
        h.run()
        # The mail that met the closed port waits for its backoff; the other one, never
        # tried, goes at once.
        (first,) = smtp.wait_for(1)
        assert b"Validation requise" in first[2]
        h.advance(minutes=2)
        h.run()
        assert len(smtp.wait_for(2)) == 2
        assert h.rt.store.count("outbox", "status = 'sent'") == 2
    finally:
        h.close()
        smtp.stop()


def test_a_stop_request_finishes_the_message_in_hand_and_leaves_the_rest(
    h: Harness, server: Dovecot
) -> None:
    from intake.worker.pipeline import process_source

    for n in range(3):
        server.append(fiche_email(description=f"Fiche {n}"))
    answers = iter([False])  # SIGTERM arrives once the first message is taken
    outcomes = process_source(h.rt, h.source, stop=lambda: next(answers, True))
    assert [o.kind for o in outcomes] == ["fiche"]
    assert len(server.default.messages("INBOX")) == 2  # untouched, for the next start
    assert len(server.default.messages("Traités")) == 1
