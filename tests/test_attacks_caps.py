"""Forged mail cannot use our caps to silence anyone (real Dovecot and SMTP).

The daily cap per recipient is against loops with auto-responders: it holds and counts only
answers to incoming mail (acknowledgements, « fiche incomplète », explanations, relayed
comments). Requests, reminders, transmissions and decision notices, which the procedure
needs, are never held by it. An explanation that a reply could not count goes at most once
per ticket and day, however many forged replies arrive. The cap per sender holds what one
sender's fiches cause until someone decides on them; what follows a decision is not theirs.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from harness import Harness, reply
from helpers import SENDER, fiche_email
from servers import MailUser, RecordingSMTP

AGENT = "sophie.martin@paris.fr"
CHEF = "chef.accueil.m12@paris.fr"
MANAGERS = "responsables-3975@paris.fr"
MAIRIE = "accueil.m12@paris.fr"


def forged_decision(ref: str, n: int) -> bytes:
    """A reply in the approver's name, without the token: anyone can write it."""
    msg = EmailMessage()
    msg["From"] = f"Chef <{CHEF}>"
    msg["To"] = SENDER
    msg["Subject"] = f"RE: [{ref}] Validation requise"
    msg["Message-ID"] = make_msgid(domain="evil.example")
    msg.set_content(f"Approuvé ({n}).")
    return msg.as_bytes()


def recipients(h: Harness) -> list[str]:
    return [str(m["To"]) for m in h.new_mails()]


def test_forged_replies_cannot_hold_the_approvers_next_request(
    tmp_path: Path, mailbox_user: MailUser, smtp_server: RecordingSMTP
) -> None:
    h = Harness(tmp_path, mailbox_user, smtp_server)  # the default cap: 50 a day
    try:
        (ref,) = h.send(fiche_email()).outcomes[0].refs
        h.new_mails()
        for n in range(55):
            h.user.append(forged_decision(ref, n))
        h.run()
        # One explanation for the ticket that day, not 55.
        assert recipients(h) == [CHEF]
        assert h.ticket(ref).status == "pending_approval"
        assert h.events(ref).count("decision_refused") == 55
        (second,) = h.send(fiche_email(description="Une vraie fiche")).outcomes[0].refs
        assert sorted(recipients(h)) == sorted([AGENT, CHEF])  # the request was not held
        assert h.rt.store.count("outbox", "status != 'sent'") == 0
        h.advance(hours=25)
        h.send(forged_decision(ref, 56))
        assert recipients(h) == [CHEF]  # the next day, one more
    finally:
        h.close()


def test_mail_of_the_procedure_is_never_held_by_the_cap_per_recipient(
    tmp_path: Path, mailbox_user: MailUser, smtp_server: RecordingSMTP
) -> None:
    h = Harness(tmp_path, mailbox_user, smtp_server, max_mails_per_recipient_per_day=3)
    try:
        for n in range(5):
            h.user.append(fiche_email(description=f"Fiche numéro {n}"))
        refs = [r for o in h.run().outcomes for r in o.refs]
        sent = recipients(h)
        assert sent.count(CHEF) == 5  # five requests
        assert sent.count(AGENT) == 3  # acknowledgements are answers: three, two wait
        h.advance(hours=49)
        h.run()
        sent = recipients(h)
        assert sent.count(CHEF) == 5  # five reminders
        assert sent.count(AGENT) == 2  # the two acknowledgements held the day before
        requests = {
            m.ticket_id: m
            for m in h.rt.store.mails("sent")
            if m.template == "demande-validation"
        }
        from email import message_from_bytes
        from email.policy import default

        for ref in refs:
            request = message_from_bytes(requests[h.ticket(ref).id].raw, policy=default)
            h.user.append(reply(request, sender=CHEF, body="Approuvé."))  # type: ignore[arg-type]
        h.run()
        sent = recipients(h)
        # Each recipient gets all five: transmissions and decision notices.
        assert (sent.count(MANAGERS), sent.count(MAIRIE), sent.count(AGENT)) == (5, 5, 5)
        assert h.rt.store.count("outbox", "status != 'sent'") == 0
    finally:
        h.close()


def test_the_cap_per_sender_holds_undecided_fiches_never_what_a_decision_causes(
    tmp_path: Path, mailbox_user: MailUser, smtp_server: RecordingSMTP
) -> None:
    h = Harness(tmp_path, mailbox_user, smtp_server, max_mails_per_sender_per_day=4)
    try:
        for n in range(3):
            h.user.append(fiche_email(description=f"Fiche numéro {n}"))
        refs = [r for o in h.run().outcomes for r in o.refs]
        sent = recipients(h)
        # A flood's requests are the sender's word only: four of the six mails go today.
        assert len(sent) == 4 and sent.count(CHEF) == 2
        waiting = h.rt.store.mails("pending")
        assert [m.ticket_id for m in waiting] == [h.ticket(refs[2]).id] * 2
        from email import message_from_bytes
        from email.policy import default

        request = next(
            m for m in h.rt.store.mails("sent")
            if m.template == "demande-validation" and m.ticket_id == h.ticket(refs[0]).id
        )
        original = message_from_bytes(request.raw, policy=default)
        h.send(reply(original, sender=CHEF, body="Approuvé."))  # type: ignore[arg-type]
        # Approved by a person: its transmissions and notice go, though the sender is capped.
        assert sorted(recipients(h)) == sorted([MANAGERS, MAIRIE, AGENT])
        h.advance(hours=25)
        h.run()
        assert sorted(recipients(h)) == sorted([AGENT, CHEF])
    finally:
        h.close()
