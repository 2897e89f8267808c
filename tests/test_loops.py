"""No mail loops: what we never answer, whom we never write to, and how much at most."""

from __future__ import annotations

from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import pytest
from harness import Harness
from helpers import SENDER, fiche_email
from servers import MailUser, RecordingSMTP

AGENT = "sophie.martin@paris.fr"


@pytest.fixture
def h(tmp_path: Path, mailbox_user: MailUser, smtp_server: RecordingSMTP) -> Iterator[Harness]:
    harness = Harness(tmp_path, mailbox_user, smtp_server, max_mails_per_recipient_per_day=3)
    yield harness
    harness.close()


def bounce_for(address: str, ref: str, message_id: str) -> bytes:
    """A report returning the headers of our mail `message_id`, as a real MTA writes it."""
    return (
        "From: Mail Delivery System <MAILER-DAEMON@paris.fr>\r\n"
        f"To: {SENDER}\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        f"Message-ID: {make_msgid(domain='paris.fr')}\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.paris.fr\r\n"
        f"\r\nFinal-Recipient: rfc822; {address}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"From: {SENDER}\r\nTo: {address}\r\nMessage-ID: {message_id}\r\n"
        f"X-Intake-3975: {ref}\r\n--B--\r\n"
    ).encode()


def test_a_bounced_address_is_not_written_to_again_for_a_while(h: Harness) -> None:
    (ref,) = h.send(fiche_email()).outcomes[0].refs
    ack = next(m for m in h.new_mails() if m["To"] == AGENT)
    h.send(bounce_for(AGENT, ref, str(ack["Message-ID"])))
    assert "mail_bounced" in h.events(ref)
    assert h.new_mails() == []  # a bounce is never answered
    (second,) = h.send(fiche_email(description="Deuxième fiche")).outcomes[0].refs
    sent = [str(m["To"]) for m in h.new_mails()]
    assert AGENT not in sent and "chef.accueil.m12@paris.fr" in sent
    assert "mail_held" in h.events(second)
    assert h.rt.store.mail_for_ticket(h.ticket(second).id)[0].status == "held"
    h.advance(days=8)
    (third,) = h.send(fiche_email(description="Troisième fiche")).outcomes[0].refs
    # The held acknowledgement goes once the suppression ends, with the new one.
    assert [str(m["To"]) for m in h.new_mails()].count(AGENT) == 2


def test_at_most_the_daily_cap_per_recipient_the_rest_waits(h: Harness) -> None:
    for n in range(5):
        h.user.append(fiche_email(description=f"Fiche numéro {n}"))
    h.run()
    to_agent = [m for m in h.new_mails() if m["To"] == AGENT]
    assert len(to_agent) == 3
    h.advance(hours=25)
    h.run()
    assert len([m for m in h.new_mails() if m["To"] == AGENT]) == 2


def test_we_never_write_to_our_own_address(h: Harness) -> None:
    body = (
        fiche_email()
        .decode()
        .replace(
            "Agent déclarant : Sophie Martin",
            "Agent déclarant : Sophie Martin\nCourriel de l'agent déclarant : "
            "signalements-3975+test@paris.fr",
        )
    )
    (ref,) = h.send(body.encode()).outcomes[0].refs
    envelopes = sorted(r for _, rcpts, _ in h.smtp.messages for r in rcpts)
    # The acknowledgement goes to the agent who sent the mail, never to our own address,
    # which is not even queued: an address written in a fiche is never written to.
    assert envelopes == ["chef.accueil.m12@paris.fr", AGENT]
    queued = [r for m in h.rt.store.mails(None) for r in m.recipients]
    assert "signalements-3975+test@paris.fr" not in queued
    assert h.ticket(ref).reporter_email == AGENT


def auto_reply_to(mail: EmailMessage, *, polite: bool) -> bytes:
    """An out-of-office answer; a `polite` one says so in its headers (RFC 3834)."""
    reply = EmailMessage()
    reply["From"] = str(mail["To"])
    reply["To"] = SENDER
    reply["Subject"] = "Absent" if not polite else f"Réponse automatique : {mail['Subject']}"
    reply["Message-ID"] = make_msgid(domain="paris.fr")
    if polite:
        reply["Auto-Submitted"] = "auto-replied"
        reply["In-Reply-To"] = mail["Message-ID"]
    reply.set_content("Je suis absent jusqu'à lundi.")
    return reply.as_bytes()


@pytest.mark.parametrize("polite", [True, False])
def test_an_auto_responder_answering_everything_cannot_start_a_loop(
    h: Harness, polite: bool
) -> None:
    h.send(fiche_email())
    total, rounds = 0, 0
    while mails := h.new_mails():
        rounds += 1
        assert rounds < 12, "still mailing after 12 rounds: a loop"
        total += len(mails)
        for mail in mails:
            h.user.append(auto_reply_to(mail, polite=polite))
        h.run()
    if polite:
        assert total == 2  # the acknowledgement and the request, nothing in answer to robots
    else:
        # No header and no reference to recognise: each gets our "no fiche found" answer,
        # until the daily cap of 3 answers per address (agent and supervisor) stops it. The
        # approval request is mail of the procedure: neither counted nor held by the cap.
        assert total == 2 * 3 + 1


def test_an_oversized_message_is_kept_and_its_sender_told_in_french(
    tmp_path: Path, mailbox_user: MailUser, smtp_server: RecordingSMTP
) -> None:
    h = Harness(tmp_path, mailbox_user, smtp_server, max_message_mb=1)
    try:
        raw = fiche_email(body="Voir pièce jointe.\n" + "x" * 80 * 20_000)
        (ref,) = h.send(raw).outcomes[0].refs
        (answer,) = h.new_mails()
        assert answer["To"] == AGENT and "au-delà de la limite de 1 Mo" in answer.get_content()
        assert h.ticket(ref).status == "invalid"
        (message,) = h.rt.store.db.table("messages").rows
        assert len(message["raw"]) > 1024 * 1024
    finally:
        h.close()


@pytest.mark.parametrize(
    "subject",
    [
        "Absence",
        "Absent : RE: [3975-2026-00042] Validation requise",
        "Absente : [3975-2026-00042] Validation requise",
        "Réponse automatique : [3975-2026-00042] Validation requise",
        "RE: Automatic reply: [3975-2026-00042] Validation requise",
        "Out of Office: [3975-2026-00042] Validation requise",
        "Automatische Antwort: [3975-2026-00042] Validation requise",
    ],
)
def test_auto_reply_subjects(subject: str) -> None:
    from parsers.loops import auto_reply_subject

    assert auto_reply_subject(subject)


@pytest.mark.parametrize(
    "subject", ["RE: [3975-2026-00042] Validation requise", "Absence de réponse du 39 75"]
)
def test_subjects_that_are_not_auto_replies(subject: str) -> None:
    from parsers.loops import auto_reply_subject

    assert not auto_reply_subject(subject)
