"""Forged delivery reports cannot silence anyone (real Dovecot and SMTP).

A report is believed for a recipient only when it quotes the Message-ID of a mail we sent to
that recipient. A believed one holds the mail to that address (never drops it), shows in
`intake status` and `intake outbox list --status held`, and `intake outbox retry` lifts it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import pytest
from click.testing import CliRunner
from harness import Harness, reply
from helpers import SENDER, fiche_email
from servers import MailUser, RecordingSMTP

from intake.cli.main import main

AGENT = "sophie.martin@paris.fr"
CHEF = "chef.accueil.m12@paris.fr"
MANAGERS = "responsables-3975@paris.fr"
MAIRIE = "accueil.m12@paris.fr"


@pytest.fixture
def h(tmp_path: Path, mailbox_user: MailUser, smtp_server: RecordingSMTP) -> Iterator[Harness]:
    harness = Harness(tmp_path, mailbox_user, smtp_server)
    yield harness
    harness.close()


def report(
    addresses: list[str], returned: str, *, postmaster: str = "postmaster@evil.example"
) -> bytes:
    """A delivery failure report naming `addresses`, with `returned` as the returned headers."""
    blocks = "".join(
        f"\r\nFinal-Recipient: rfc822; {a}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        for a in addresses
    )
    return (
        f"From: Mail Delivery System <{postmaster}>\r\nTo: {SENDER}\r\n"
        f"Subject: Undelivered Mail Returned to Sender\r\n"
        f"Message-ID: {make_msgid(domain='evil.example')}\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.evil.example\r\n"
        f"{blocks}--B\r\nContent-Type: text/rfc822-headers\r\n\r\n{returned}\r\n--B--\r\n"
    ).encode()


def headers_of(mail: EmailMessage, to: str) -> str:
    return f"From: {SENDER}\r\nTo: {to}\r\nMessage-ID:\r\n {mail['Message-ID']}\r\nX-Intake-3975: x"


def approve(h: Harness, ref: str, request: EmailMessage) -> list[EmailMessage]:
    h.send(reply(request, sender=CHEF, body="Approuvé."))
    assert h.ticket(ref).status == "forwarded"
    return h.new_mails()


def cli(h: Harness, *args: str) -> str:
    config = h.rt.settings.base_dir / "intake.yaml"
    result = CliRunner().invoke(main, ["--config", str(config), *args])
    assert result.exit_code == 0, result.output
    return result.output


def suppressions(h: Harness) -> list[str]:
    return [r["address"] for r in h.rt.store.db.table("suppressions").rows]


@pytest.mark.parametrize(
    "returned",
    [
        pytest.param("From: x@y\r\nSubject: hello", id="no-message-id"),
        pytest.param("Message-ID: <guessed.3975-2026-00001.0000@paris.fr>", id="guessed-id"),
        pytest.param("X-Intake-3975: 3975-2026-00001", id="our-loop-header-only"),
    ],
)
def test_a_report_that_returns_no_mail_of_ours_silences_nobody(h: Harness, returned: str) -> None:
    (ref,) = h.send(fiche_email()).outcomes[0].refs
    request = next(m for m in h.new_mails() if m["To"] == CHEF)
    h.send(report([MANAGERS, MAIRIE, CHEF, AGENT], returned))
    assert h.new_mails() == []  # never answered
    assert suppressions(h) == []
    ignored = h.rt.store.db.execute(
        "select count(*) from events where kind = 'bounce_ignored'"
    ).fetchone()[0]
    assert ignored == 4
    sent = approve(h, ref, request)
    assert {str(m["To"]) for m in sent} == {MANAGERS, MAIRIE, AGENT}
    assert h.rt.store.count("outbox", "status != 'sent'") == 0


def test_a_real_message_id_counts_only_for_that_mails_own_recipients(h: Harness) -> None:
    (ref,) = h.send(fiche_email()).outcomes[0].refs
    mails = h.new_mails()
    ack = next(m for m in mails if m["To"] == AGENT)
    request = next(m for m in mails if m["To"] == CHEF)
    # Whoever holds the acknowledgement (its Message-ID) names other addresses as failed.
    h.send(report([MANAGERS, MAIRIE, CHEF], headers_of(ack, AGENT)))
    assert suppressions(h) == []
    assert {str(m["To"]) for m in approve(h, ref, request)} == {MANAGERS, MAIRIE, AGENT}


def test_a_genuine_bounce_holds_the_mail_visibly_and_retry_sends_it(h: Harness) -> None:
    (ref,) = h.send(fiche_email()).outcomes[0].refs
    mails = h.new_mails()
    ack = next(m for m in mails if m["To"] == AGENT)
    request = next(m for m in mails if m["To"] == CHEF)
    h.send(report([AGENT], headers_of(ack, AGENT), postmaster="MAILER-DAEMON@paris.fr"))
    assert suppressions(h) == [AGENT] and "mail_bounced" in h.events(ref)
    # The decision notice to the agent waits; the transmissions go.
    assert {str(m["To"]) for m in approve(h, ref, request)} == {MANAGERS, MAIRIE}
    (held,) = h.rt.store.mails("held")
    assert held.recipients == [AGENT] and "intake outbox retry" in held.last_error
    status = json.loads(cli(h, "status", "--json"))
    queue = next(q for q in status["queues"] if q["name"] == "outbox held")
    assert queue["count"] == 1 and queue["see"] == "intake outbox list --status held"
    listed = cli(h, "outbox", "list", "--status", "held").splitlines()[2]
    assert listed.startswith(f"{held.id} ") and "held until 2026-03-19T15:00" in listed
    cli(h, "outbox", "retry", str(held.id))
    assert suppressions(h) == []
    h.run()
    (notice,) = h.new_mails()
    assert notice["To"] == AGENT and notice["Message-ID"] is not None
    kinds = h.events(ref)
    assert "suppression_lifted" in kinds and kinds[-1] == "mail_sent"


def test_a_held_recipient_of_a_shared_mail_gets_it_when_the_suppression_ends(
    h: Harness,
) -> None:
    # A fiche forwarded for a colleague: one acknowledgement to the colleague, copied to the
    # forwarder; the forwarder's address bounced before.
    forwarder = "assistant.m12@paris.fr"
    first = fiche_email(sender=f"Accueil <{forwarder}>")
    (ref,) = h.send(first).outcomes[0].refs
    ack = next(m for m in h.new_mails() if forwarder in str(m["To"]))
    h.send(report([forwarder], headers_of(ack, forwarder)))
    body = fiche_email(sender=f"Accueil <{forwarder}>").decode().replace(
        "Agent déclarant : Sophie Martin",
        f"Agent déclarant : Accueil\nCourriel de l'agent déclarant : {MAIRIE}",
    )
    (second,) = h.send(body.encode()).outcomes[0].refs
    to_colleague = [m for m in h.new_mails() if "Accusé" in str(m["Subject"])]
    assert [str(m["To"]) for m in to_colleague] == [MAIRIE]
    (held,) = h.rt.store.mails("held")
    assert held.recipients == [forwarder]
    h.advance(days=8)
    h.run()
    (later,) = [m for m in h.new_mails() if m["To"] == MAIRIE]  # beside reminders
    # The same mail, late, under a Message-ID of its own, to the forwarder alone.
    assert later.get_content() == to_colleague[0].get_content()
    assert later["Message-ID"] != to_colleague[0]["Message-ID"]
    envelopes = [rcpts for _, rcpts, raw in h.smtp.messages if later["Message-ID"].encode() in raw]
    assert envelopes == [[forwarder]] and second != ref


def test_the_agent_is_told_truthfully_which_transmission_waits(h: Harness) -> None:
    (first,) = h.send(fiche_email()).outcomes[0].refs
    request = next(m for m in h.new_mails() if m["To"] == CHEF)
    copy = next(m for m in approve(h, first, request) if m["To"] == MAIRIE)
    h.send(report([MAIRIE], headers_of(copy, MAIRIE), postmaster="MAILER-DAEMON@paris.fr"))
    (second,) = h.send(fiche_email(description="Deuxième fiche")).outcomes[0].refs
    request = next(m for m in h.new_mails() if m["To"] == CHEF)
    sent = {str(m["To"]): m for m in approve(h, second, request)}
    assert set(sent) == {MANAGERS, AGENT}
    notice = sent[AGENT].get_content()
    assert f"transmise à {MANAGERS}." in notice
    assert f"La copie destinée à {MAIRIE} est en attente" in notice
    assert "et transmise" not in notice
    (held,) = h.rt.store.mails("held")
    assert held.recipients == [MAIRIE]
    # Without a suppression in force, the usual wording.
    mails = h.rt.store.mail_for_ticket(h.ticket(first).id)
    first_notice = next(m for m in mails if m.template == "fiche-validee")
    assert b"en attente" not in first_notice.raw
