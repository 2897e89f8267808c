"""The 39 75 agent's name, mail by mail: only the 39 75 managers and the reporter who wrote it
ever read it, in every template and for every kind of recipient (real Dovecot and SMTP)."""

from __future__ import annotations

from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from harness import Harness, reply
from helpers import FICHE_TEXT, fiche_email
from servers import MailUser, RecordingSMTP

AGENT_NAME = "Karim B."
REPORTER = "sophie.martin@paris.fr"
MANAGERS = "responsables-3975@paris.fr"
ALLOWED = {REPORTER, MANAGERS}
QUEUE = "file-attente-3975@paris.fr"


@pytest.fixture
def h(tmp_path: Path, mailbox_user: MailUser, smtp_server: RecordingSMTP) -> Iterator[Harness]:
    harness = Harness(tmp_path, mailbox_user, smtp_server)
    yield harness
    harness.close()


def template_of(mail: EmailMessage) -> str:
    return str(mail["Message-ID"]).strip("<").split(".", 1)[0]


def recipients(mail: EmailMessage) -> set[str]:
    return {a.strip().lower() for h in ("To", "Cc") for a in str(mail[h] or "").split(",") if a}


def text(mail: EmailMessage) -> str:
    return "\n".join(
        part.get_content() for part in mail.walk() if part.get_content_maintype() == "text"
    )


def shows_name(mail: EmailMessage) -> bool:
    return AGENT_NAME in text(mail)


def check_policy(mails: list[EmailMessage]) -> dict[tuple[str, str], bool]:
    """Every mail obeys the rule; returns (template, recipients) -> whether it shows the name."""
    seen = {}
    for mail in mails:
        to = recipients(mail)
        if shows_name(mail):
            assert to <= ALLOWED, f"{template_of(mail)} to {to} shows the 39 75 agent's name"
        seen[(template_of(mail), ",".join(sorted(to)))] = shows_name(mail)
    return seen


def approve_story(h: Harness, service: str, approver: str, unclear: bool = True) -> list:
    """A fiche, a reminder, an unclear answer, then approval; every mail sent on the way."""
    report = h.send(fiche_email(service=service))
    (ref,) = report.outcomes[0].refs
    mails = h.new_mails()
    request = next(m for m in mails if recipients(m) == {approver})
    h.advance(hours=49)
    h.run()
    mails += h.new_mails()
    if unclear:
        h.send(reply(request, sender=approver, body="Je regarde ça demain."))
        mails += h.new_mails()
    h.send(reply(request, sender=approver, body="Approuvé."))
    mails += h.new_mails()
    assert h.ticket(ref).status == "forwarded"
    return mails


def test_mairie_fiche_every_template_and_recipient(h: Harness) -> None:
    chef = "chef.accueil.m12@paris.fr"
    seen = check_policy(approve_story(h, "Mairie du 12e arrondissement", chef))
    assert seen == {
        ("accuse-reception", REPORTER): True,  # the reporter wrote it
        ("demande-validation", chef): False,
        ("relance-validation", chef): False,
        ("demande-precision", chef): False,
        ("transmission", MANAGERS): True,  # the 39 75 managers
        ("transmission", "accueil.m12@paris.fr"): False,  # the mairie's copy
        ("fiche-validee", REPORTER): False,  # the notice lists no fiche lines
    }


def test_direction_fiche_hides_the_name_from_its_supervisors(h: Harness) -> None:
    chef = "encadrement.dpe@paris.fr"
    seen = check_policy(approve_story(h, "Direction de la propreté et de l'eau", chef, False))
    assert seen[("demande-validation", chef)] is False
    assert seen[("relance-validation", chef)] is False
    assert seen[("transmission", MANAGERS)] is True


def test_default_rule_queue_and_escalation_never_see_the_name(h: Harness) -> None:
    # An unknown service: the rules name the queue as approver and set no redaction at all;
    # the policy still withholds the name.
    report = h.send(fiche_email(service="Bibliothèque Marguerite Duras"))
    (ref,) = report.outcomes[0].refs
    mails = h.new_mails()
    seen = check_policy(mails)
    assert seen[("demande-validation", QUEUE)] is False
    events = h.rt.store.events(h.ticket(ref).id)
    queued = [e["detail"] for e in events if e["kind"] == "mail_queued"]
    assert {tuple(e["to"]): e["hidden_fields"] for e in queued}[(QUEUE,)] == ["agent_3975"]


def test_escalated_request_hides_the_name(h: Harness) -> None:
    h.send(fiche_email())
    h.new_mails()
    h.advance(hours=49)
    h.run()
    h.advance(hours=50)
    h.run()
    mails = h.new_mails()
    seen = check_policy(mails)
    assert seen[("demande-validation", QUEUE)] is False


def test_rejection_notice_goes_to_the_reporter_only(h: Harness) -> None:
    chef = "chef.accueil.m12@paris.fr"
    h.send(fiche_email())
    request = next(m for m in h.new_mails() if recipients(m) == {chef})
    h.send(reply(request, sender=chef, body="Refusé : doublon."))
    (notice,) = h.new_mails()
    assert template_of(notice) == "fiche-refusee" and recipients(notice) == {REPORTER}
    check_policy([notice])


def test_a_forwarded_fiche_acknowledgement_copied_to_the_forwarder_hides_the_name(
    h: Harness,
) -> None:
    # The reporter written in the fiche is a colleague the directory knows: they get the
    # acknowledgement, the assistant who forwarded it is copied and may not read the name.
    colleague = "accueil.m12@paris.fr"
    body = FICHE_TEXT.format(service="Mairie du 12e", description="Mauvais transfert.")
    email_line = f"Courriel de l'agent déclarant : {colleague}\n"
    body = body.replace("Date de l'appel", email_line + "Date de l'appel", 1)
    h.send(fiche_email(sender="Accueil <assistant.m12@paris.fr>", body=body))
    mails = h.new_mails()
    ack = next(m for m in mails if template_of(m) == "accuse-reception")
    assert recipients(ack) == {colleague, "assistant.m12@paris.fr"}
    assert not shows_name(ack)
    check_policy(mails)


def test_an_invalid_fiche_answer_goes_back_to_its_writer(h: Harness) -> None:
    h.send(fiche_email(body=f"Nom de l'agent 39 75 : {AGENT_NAME}\nDescription : incomplet\n"))
    (answer,) = h.new_mails()
    assert template_of(answer) == "fiche-invalide" and recipients(answer) == {REPORTER}
    check_policy([answer])
