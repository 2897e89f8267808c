"""Supervisors approve or reject by replying: each story of the approval process, end to end on
Dovecot and a real SMTP server, with a clock the test moves."""

from __future__ import annotations

from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from harness import Harness, reply
from helpers import fiche_email, shipped_rules_with, text_of
from servers import MailUser, RecordingSMTP

CHEF = "chef.accueil.m12@paris.fr"
AGENT = "sophie.martin@paris.fr"


@pytest.fixture
def h(tmp_path: Path, mailbox_user: MailUser, smtp_server: RecordingSMTP) -> Iterator[Harness]:
    harness = Harness(tmp_path, mailbox_user, smtp_server)
    yield harness
    harness.close()


def submit(h: Harness) -> tuple[str, EmailMessage]:
    """A mairie du 12e fiche: returns its reference and the approval request sent."""
    report = h.send(fiche_email())
    (ref,) = report.outcomes[0].refs
    mails = {m["To"]: m for m in h.new_mails()}
    assert set(mails) == {AGENT, CHEF}
    return ref, mails[CHEF]


def by_recipient(mails: list[EmailMessage]) -> dict[str, EmailMessage]:
    return {str(m["To"]): m for m in mails}


def test_the_request_carries_a_token_in_message_id_and_reply_to(h: Harness) -> None:
    ref, request = submit(h)
    assert f"[{ref}]" in request["Subject"]
    assert "APPROUVER" in text_of(request) and "REFUSER" in text_of(request)
    reply_to = str(request["Reply-To"])
    tag = reply_to.split("+", 1)[1].split("@", 1)[0]
    assert tag in request["Message-ID"]
    assert h.ticket(ref).status == "pending_approval"


def test_approve_forwards_per_recipient_and_tells_the_agent(h: Harness) -> None:
    ref, request = submit(h)
    h.send(reply(request, sender=f"Chef <{CHEF}>", body="Approuvé."))
    ticket = h.ticket(ref)
    assert ticket.status == "forwarded"
    mails = by_recipient(h.new_mails())
    assert set(mails) == {"responsables-3975@paris.fr", "accueil.m12@paris.fr", AGENT}
    # The 39 75 managers see the agent's name; the mairie's copy does not.
    assert "Karim B." in text_of(mails["responsables-3975@paris.fr"])
    assert "Karim" not in text_of(mails["accueil.m12@paris.fr"])
    assert "validée" in mails[AGENT]["Subject"]
    # acknowledgement, request, two forwards, the agent told: each an audit event
    assert h.events(ref).count("mail_queued") == 5
    assert "approved" in h.events(ref) and "forwarded" in h.events(ref)


def test_reject_keeps_the_reason_and_tells_the_agent(h: Harness) -> None:
    ref, request = submit(h)
    h.send(
        reply(request, sender=CHEF, body="Refusé : les horaires ont changé la semaine dernière.")
    )
    ticket = h.ticket(ref)
    assert ticket.status == "rejected"
    assert "les horaires ont changé" in ticket.decision_reason
    (to_agent,) = h.new_mails()
    assert to_agent["To"] == AGENT
    assert "les horaires ont changé" in text_of(to_agent)


def test_a_negation_is_never_an_approval(h: Harness) -> None:
    ref, request = submit(h)
    h.send(reply(request, sender=CHEF, body="Je ne valide pas, l'usager s'est trompé de numéro."))
    assert h.ticket(ref).status == "rejected"


def test_an_unclear_answer_changes_nothing_and_asks_again_once(h: Harness) -> None:
    ref, request = submit(h)
    h.send(reply(request, sender=CHEF, body="Je regarde ça demain."))
    assert h.ticket(ref).status == "pending_approval"
    (question,) = h.new_mails()
    assert question["To"] == CHEF and "préciser" in question["Subject"]
    h.send(reply(request, sender=CHEF, body="Toujours en cours d'examen."))
    assert h.new_mails() == []  # asked once, not twice
    # The question itself can be answered: it carries the same round's token.
    h.send(reply(question, sender=CHEF, body="Validé"))
    assert h.ticket(ref).status == "forwarded"


def test_a_forged_from_without_the_token_changes_nothing(h: Harness) -> None:
    ref, request = submit(h)
    forged = fiche_email(
        sender=f"Chef <{CHEF}>", subject=f"RE: [{ref}] Validation requise", body="Approuvé."
    )
    h.send(forged)
    assert h.ticket(ref).status == "pending_approval"
    assert "decision_refused" in h.events(ref)
    # The real approver learns that a reply in their name could not be taken into account.
    (notice,) = h.new_mails()
    assert notice["To"] == CHEF and "pas pu être prise en compte" in notice["Subject"]


def test_a_token_forwarded_to_a_colleague_does_not_let_them_decide(h: Harness) -> None:
    ref, request = submit(h)
    h.send(reply(request, sender="accueil.m12@paris.fr", body="OK pour moi"))
    assert h.ticket(ref).status == "pending_approval"
    events = h.rt.store.events(h.ticket(ref).id)
    refused = [e for e in events if e["kind"] == "decision_refused"]
    assert refused[-1]["detail"]["reason"] == "token_other_address"
    (notice,) = h.new_mails()
    assert notice["To"] == "accueil.m12@paris.fr"
    assert "autre personne" in text_of(notice)


def test_a_stranger_replaying_a_token_gets_no_mail(h: Harness) -> None:
    ref, request = submit(h)
    h.send(reply(request, sender="pirate@example.com", body="Approuvé"))
    assert h.ticket(ref).status == "pending_approval"
    assert "decision_refused" in h.events(ref)
    assert h.new_mails() == []


def test_a_second_decision_is_only_a_comment(h: Harness) -> None:
    ref, request = submit(h)
    h.send(reply(request, sender=CHEF, body="Approuvé"))
    h.new_mails()
    h.send(reply(request, sender=CHEF, body="Finalement refusé : doublon."))
    assert h.ticket(ref).status == "forwarded"
    assert h.events(ref)[-1] == "comment"
    assert h.new_mails() == []


def test_reminder_then_escalation_to_the_queue(h: Harness) -> None:
    ref, request = submit(h)
    h.advance(hours=47)
    h.run()
    assert h.new_mails() == []
    h.advance(hours=2)
    h.run()
    (reminder,) = h.new_mails()
    assert reminder["To"] == CHEF and "Rappel" in reminder["Subject"]
    h.advance(hours=10)
    h.run()
    assert h.new_mails() == []  # one reminder per round
    h.advance(hours=40)  # 99 h after the request: past the 96 h escalation delay
    h.run()
    (escalated,) = h.new_mails()
    assert escalated["To"] == "file-attente-3975@paris.fr"
    assert h.ticket(ref).approval_round == 2
    # The first approver's token is now stale: nothing changes, they are told why.
    h.send(reply(request, sender=CHEF, body="Approuvé"))
    assert h.ticket(ref).status == "pending_approval"
    (notice,) = h.new_mails()
    assert "transmise à un autre" in text_of(notice)
    h.send(reply(escalated, sender="file-attente-3975@paris.fr", body="Approuvé"))
    assert h.ticket(ref).status == "forwarded"
    story = ["reminder_sent", "escalated", "decision_refused", "approved"]
    assert [e for e in h.events(ref) if e in story] == story


def test_a_follow_up_from_the_agent_is_threaded_as_a_comment(h: Harness) -> None:
    ref, _ = submit(h)
    ack = h.rt.store.mail_for_ticket(h.ticket(ref).id)[0]
    from email import message_from_bytes
    from email.policy import default

    original = message_from_bytes(ack.raw, policy=default)
    h.send(reply(original, sender=AGENT, body="Précision : l'usager a rappelé deux fois."))  # type: ignore[arg-type]
    assert h.rt.store.count("tickets") == 1
    events = h.rt.store.events(h.ticket(ref).id)
    assert events[-1]["kind"] == "comment"
    assert "deux fois" in events[-1]["detail"]["comment"]
    assert h.new_mails() == []


def test_an_invalid_fiche_corrected_by_reply_becomes_the_same_ticket(h: Harness) -> None:
    incomplete = fiche_email(
        body="Service / mairie déclarant : Mairie du 12e\n"
        "Type de dysfonctionnement : Erreur de transfert d'appel\n"
    )
    report = h.send(incomplete)
    (ref,) = report.outcomes[0].refs
    (answer,) = h.new_mails()
    assert h.ticket(ref).status == "invalid"
    fixed = (
        "Service / mairie déclarant : Mairie du 12e\nDate de l'appel : 12/03/2026\n"
        "Type de dysfonctionnement : Erreur de transfert d'appel\n"
        "Description : Transfert vers le mauvais service.\n"
    )
    h.send(reply(answer, sender=AGENT, body=fixed))
    ticket = h.ticket(ref)
    assert ticket.status == "pending_approval"
    assert ticket.call_date == "2026-03-12"
    assert h.rt.store.count("tickets") == 1
    assert {str(m["To"]) for m in h.new_mails()} == {AGENT, CHEF}


@pytest.mark.parametrize(
    ("header", "counts"),
    [
        ("mx.paris.fr; dmarc=pass header.from=paris.fr", True),
        ("mx.paris.fr; dkim=pass header.d=paris.fr; spf=fail", True),
        ("mx.paris.fr; dkim=pass header.d=example.com; spf=pass smtp.mailfrom=example.com", False),
        ("mx.paris.fr; dmarc=fail header.from=paris.fr", False),
        ("evil.example; dmarc=pass header.from=paris.fr", False),
        ("", False),
    ],
)
def test_authentication_results_checked_when_configured(
    tmp_path: Path, mailbox_user: MailUser, smtp_server: RecordingSMTP, header: str, counts: bool
) -> None:
    h = Harness(tmp_path, mailbox_user, smtp_server, require_authenticated_replies="mx.paris.fr")
    try:
        ref, request = submit(h)
        raw = reply(request, sender=CHEF, body="Approuvé")
        if header:
            raw = f"Authentication-Results: {header}\r\n".encode() + raw
        h.send(raw)
        assert h.ticket(ref).status == ("forwarded" if counts else "pending_approval")
        if not counts:
            events = h.rt.store.events(h.ticket(ref).id)
            assert events[-3]["detail"]["reason"] == "unauthenticated"
    finally:
        h.close()


def test_a_rule_can_choose_the_templates_of_its_mails(
    tmp_path: Path, mailbox_user: MailUser, smtp_server: RecordingSMTP
) -> None:
    import shutil

    from helpers import SHIPPED

    templates = tmp_path / "templates"
    shutil.copytree(SHIPPED / "templates" / "fr", templates)
    (templates / "demande-validation-dpe.txt.j2").write_text(
        "{% block subject %}[{{ ticket.ref }}] Validation DPE{% endblock %}\n"
        "{% block body %}Répondez APPROUVER ou REFUSER.{% endblock %}\n",
        encoding="utf-8",
    )
    own = {"demande-validation": "demande-validation-dpe"}
    rules_path = shipped_rules_with(tmp_path, templates=own)
    h = Harness(tmp_path / "w", mailbox_user, smtp_server, rules=rules_path, templates=templates)
    try:
        ref, request = submit(h)
        assert request["Subject"] == f"[{ref}] Validation DPE"
        h.advance(hours=49)
        h.run()
        (reminder,) = h.new_mails()
        assert "Rappel" in reminder["Subject"]  # kinds the rule does not name keep the default
    finally:
        h.close()


def test_comments_are_relayed_where_the_rules_say(
    tmp_path: Path, mailbox_user: MailUser, smtp_server: RecordingSMTP
) -> None:
    relay = ["plateforme-3975", "service.supervisors"]
    rules_path = shipped_rules_with(tmp_path, relay_comments_to=relay)
    h = Harness(tmp_path / "w", mailbox_user, smtp_server, rules=rules_path)
    try:
        ref, request = submit(h)
        h.send(reply(request, sender=CHEF, body="Approuvé"))
        h.new_mails()
        ack = h.rt.store.mail_for_ticket(h.ticket(ref).id)[0]
        from email import message_from_bytes
        from email.policy import default

        original = message_from_bytes(ack.raw, policy=default)
        h.send(reply(original, sender=AGENT, body="L'usager a finalement eu son rendez-vous."))  # type: ignore[arg-type]
        (relayed,) = h.new_mails()
        assert sorted(str(relayed["To"]).split(", ")) == [
            "chef.accueil.m12@paris.fr",
            "responsables-3975@paris.fr",
        ]
        assert "finalement eu son rendez-vous" in text_of(relayed)
        assert "Karim" not in text_of(relayed)  # the supervisor is among the recipients
        # The author is not sent their own comment back.
        h.send(reply(relayed, sender=CHEF, body="Merci pour le retour."))
        (second,) = h.new_mails()
        assert str(second["To"]) == "responsables-3975@paris.fr"
    finally:
        h.close()


# -- one click, absence notices, our request quoted as no client we know does ----------------


def buttons(request: EmailMessage) -> dict[str, str]:
    """The mailto: links of the request's HTML part, by their id."""
    from lxml import html

    part = request.get_body(("html",))
    assert part is not None, "the request has no HTML alternative"
    tree = html.fromstring(str(part.get_content()))
    return {
        a.get("id"): a.get("href")
        for a in tree.iter("a")
        if a.get("href", "").startswith("mailto:")
    }


def from_link(href: str, *, sender: str, fill: str | None = None) -> bytes:
    """The mail a client composes from a mailto: link (RFC 6068), sent as it is, or with the
    "(motif)" of the body replaced by `fill`."""
    from email.utils import make_msgid
    from urllib.parse import parse_qs, unquote, urlsplit

    url = urlsplit(href)
    query = parse_qs(url.query)
    body = query["body"][0]
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = unquote(url.path)
    msg["Subject"] = query["subject"][0]
    msg["Message-ID"] = make_msgid(domain="mail.paris.fr")
    msg.set_content(body.replace("(motif)", fill) if fill else body)
    return msg.as_bytes()


def test_the_request_and_its_reminder_have_two_buttons_to_the_token_address(h: Harness) -> None:
    ref, request = submit(h)
    links = buttons(request)
    assert set(links) == {"approuver", "refuser"}
    reply_to = str(request["Reply-To"]).split("<")[-1].rstrip(">")
    for href in links.values():
        assert href.startswith(f"mailto:{reply_to}?") and f"%5B{ref}%5D" in href
    assert "body=APPROUVER" in links["approuver"]
    assert "body=REFUSER%20%3A%20%28motif%29" in links["refuser"]
    assert "APPROUVER" in text_of(request)  # clients that show only text keep the instructions
    h.advance(hours=49)
    h.run()
    (reminder,) = h.new_mails()
    assert set(buttons(reminder)) == {"approuver", "refuser"}


@pytest.mark.parametrize(
    ("button", "fill", "status"),
    [
        ("approuver", None, "forwarded"),
        ("refuser", "l'usager avait composé le mauvais numéro", "rejected"),
        ("refuser", None, "rejected"),
    ],
)
def test_the_reply_a_client_makes_from_a_button_decides(
    h: Harness, button: str, fill: str | None, status: str
) -> None:
    ref, request = submit(h)
    h.send(from_link(buttons(request)[button], sender=f"Chef <{CHEF}>", fill=fill))
    ticket = h.ticket(ref)
    assert ticket.status == status
    if fill:
        assert fill in ticket.decision_reason
        (to_agent,) = h.new_mails()
        assert fill in text_of(to_agent)


def test_a_button_link_sent_by_someone_else_decides_nothing(h: Harness) -> None:
    ref, request = submit(h)
    h.send(from_link(buttons(request)["approuver"], sender="accueil.m12@paris.fr"))
    assert h.ticket(ref).status == "pending_approval"


@pytest.mark.parametrize(
    "notice",
    [
        "Bonjour,\nJe suis absent jusqu'au 20 mars et non joignable. Pour toute urgence, "
        "contactez l'accueil au 01 44 68 12 12.",
        "I am out of the office with no access to email. I will be back on March 20.",
    ],
)
def test_an_absence_notice_without_rfc3834_headers_never_decides(h: Harness, notice: str) -> None:
    ref, request = submit(h)
    h.send(reply(request, sender=CHEF, body=notice))
    assert h.ticket(ref).status == "pending_approval"
    assert h.new_mails() == []  # nor is an auto-responder asked to say it again


def quoting_as_no_client_we_know(request: EmailMessage, answer: str) -> bytes:
    """A reply whose client pastes our request under a lead-in line no parser knows."""
    from email.utils import make_msgid

    msg = EmailMessage()
    msg["From"] = CHEF
    msg["To"] = str(request["Reply-To"])
    msg["Subject"] = f"Réf : {request['Subject']}"
    msg["Message-ID"] = make_msgid(domain="mail.paris.fr")
    msg["In-Reply-To"] = str(request["Message-ID"])
    msg.set_content(
        f"{answer}\n\nMessage de Signalements 39 75 du 12/03/2026 16:06 :\n{text_of(request)}"
    )
    return msg.as_bytes()


def test_words_of_our_request_never_decide_whatever_quotes_them(h: Harness) -> None:
    ref, request = submit(h)
    h.send(quoting_as_no_client_we_know(request, "Bonjour,"))
    assert h.ticket(ref).status == "pending_approval"
    events = h.rt.store.events(h.ticket(ref).id)
    unclear = [e for e in events if e["kind"] == "decision_unclear"]
    assert unclear and unclear[-1]["detail"]["comment"] == "Bonjour,"
    (question,) = h.new_mails()
    assert "préciser" in question["Subject"]
    h.send(quoting_as_no_client_we_know(request, "Bon pour transmission."))
    ticket = h.ticket(ref)
    assert ticket.status == "forwarded"
    assert ticket.decision_reason == "Bon pour transmission."
    approved = [e for e in h.rt.store.events(ticket.id) if e["kind"] == "approved"]
    assert approved[-1]["detail"]["words"] == ["bon pour transmission"]
