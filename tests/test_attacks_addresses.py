"""Addresses that once broke the handling, against real Dovecot and SMTP servers.

An accented address (`jérôme.dupont@paris.fr`) never puts a message in quarantine: the mail
leaves over SMTPUTF8 when the server offers it, and is recorded as a failed mail that says
why when it does not. Our own address with any `+tag` is never taken for a sender.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from harness import Harness
from helpers import SHIPPED, fiche_email
from servers import MailUser, RecordingSMTP

ACCENTED = "jérôme.dupont@paris.fr"
CHEF = "chef.accueil.m12@paris.fr"


def from_accented() -> bytes:
    """A fiche whose From is an accented address, in UTF-8 as RFC 6532 mail carries it."""
    raw = fiche_email()
    return raw.replace(
        b"From: Sophie Martin <sophie.martin@paris.fr>",
        f"From: Jérôme Dupont <{ACCENTED}>".encode(),
    )


@pytest.fixture
def plain_smtp() -> Iterator[RecordingSMTP]:
    with RecordingSMTP(smtputf8=False) as server:
        yield server


def no_quarantine(h: Harness) -> None:
    assert h.rt.store.count("messages", "status = 'quarantined'") == 0
    assert h.user.messages("INBOX") == []


def test_an_accented_sender_is_answered_over_smtputf8(
    tmp_path: Path, mailbox_user: MailUser, smtp_server: RecordingSMTP
) -> None:
    h = Harness(tmp_path, mailbox_user, smtp_server)
    try:
        (outcome,) = h.send(from_accented()).outcomes
        assert outcome.kind == "fiche"
        no_quarantine(h)
        assert h.ticket(outcome.refs[0]).status == "pending_approval"
        envelopes = sorted(r for _, rcpts, _ in smtp_server.messages for r in rcpts)
        assert envelopes == [CHEF, ACCENTED]
        ack = next(m for m in h.new_mails() if "Accusé" in str(m["Subject"]))
        assert str(ack["To"]) == ACCENTED
    finally:
        h.close()


def test_without_smtputf8_the_mail_fails_visibly_and_the_rest_goes_on(
    tmp_path: Path, mailbox_user: MailUser, plain_smtp: RecordingSMTP
) -> None:
    h = Harness(tmp_path, mailbox_user, plain_smtp)
    try:
        (outcome,) = h.send(from_accented()).outcomes
        (ref,) = outcome.refs
        no_quarantine(h)
        assert h.ticket(ref).status == "pending_approval"
        assert [r for _, rcpts, _ in plain_smtp.messages for r in rcpts] == [CHEF]
        (failed,) = h.rt.store.mails("failed")
        assert failed.recipients == [ACCENTED] and "SMTPUTF8" in failed.last_error
        assert "mail_failed" in h.events(ref)
    finally:
        h.close()


@pytest.mark.parametrize("utf8", [True, False])
def test_an_accented_address_written_in_the_fiche_is_told_to_the_sender(
    tmp_path: Path, mailbox_user: MailUser, utf8: bool
) -> None:
    body = fiche_email().decode().replace(
        "Agent déclarant : Sophie Martin",
        f"Agent déclarant : Jérôme Dupont\nCourriel de l'agent déclarant : {ACCENTED}",
    )
    with RecordingSMTP(smtputf8=utf8) as smtp:
        h = Harness(tmp_path, mailbox_user, smtp)
        try:
            (ref,) = h.send(body.encode()).outcomes[0].refs
            no_quarantine(h)
            ack = next(m for m in h.new_mails() if "Accusé" in str(m["Subject"]))
            assert str(ack["To"]) == "sophie.martin@paris.fr"
            assert f"« {ACCENTED} »" in ack.get_content()
            assert h.ticket(ref).reporter_email == "sophie.martin@paris.fr"
        finally:
            h.close()


def test_an_accented_approver_from_the_directory_gets_the_request(
    tmp_path: Path, mailbox_user: MailUser, smtp_server: RecordingSMTP
) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        (SHIPPED / "rules.yaml").read_text(encoding="utf-8").replace(CHEF, "chef.élodie@paris.fr"),
        encoding="utf-8",
    )
    h = Harness(tmp_path, mailbox_user, smtp_server, rules=rules)
    try:
        (ref,) = h.send(fiche_email()).outcomes[0].refs
        no_quarantine(h)
        assert "chef.élodie@paris.fr" in [r for _, rcpts, _ in smtp_server.messages for r in rcpts]
        assert h.rt.store.count("outbox", "status != 'sent'") == 0 and ref
    finally:
        h.close()


@pytest.mark.parametrize(
    "sender",
    [
        "signalements-3975+a42r1tdeadbeef@paris.fr",
        "Signalements 39 75 <Signalements-3975+test@PARIS.FR>",
        "signalements-3975+@paris.fr",
    ],
)
def test_our_own_address_with_a_tag_is_never_a_sender(
    tmp_path: Path, mailbox_user: MailUser, smtp_server: RecordingSMTP, sender: str
) -> None:
    h = Harness(tmp_path, mailbox_user, smtp_server)
    try:
        (outcome,) = h.send(fiche_email(sender=sender)).outcomes
        assert outcome.kind == "ignored" and outcome.refs == []
        assert h.rt.store.count("tickets") == 0 and smtp_server.messages == []
        (reason,) = h.rt.store.db.execute("select error from messages").fetchone()
        assert reason == "own_mail"
    finally:
        h.close()
