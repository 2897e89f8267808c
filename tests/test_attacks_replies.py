"""Replies that try to take over an incomplete fiche, or to decide with a disguised From
(real Dovecot and SMTP).

References are sequential: anyone can write « RE: [3975-2026-00001] ». Only the reporter,
replying from their address to our « fiche incomplète » answer (its token), may complete the
fiche; anyone else is sent nothing and changes nothing, down to the ticket's bytes. A decision
or a completion needs a From that names one address beyond doubt, and with
`require_authenticated_replies`, a pass of our server for that address's own domain.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import pytest
from harness import Harness, reply
from helpers import SENDER, fiche_email, shipped_rules_with, text_of
from servers import MailUser, RecordingSMTP

AGENT = "sophie.martin@paris.fr"
CHEF = "chef.accueil.m12@paris.fr"
PIRATE = "pirate@evil.example"

INCOMPLETE = (
    "Service / mairie déclarant : Mairie du 12e\nAgent déclarant : Sophie Martin\n"
    "Type de dysfonctionnement : Erreur de transfert d'appel\n"
    "Objet de la demande de l'usager : renouvellement du passeport de M. Ducros\n"
)
#: A complete fiche of another mairie, whose approver would get it.
ELSEWHERE = (
    "Service / mairie déclarant : Mairie du 5e\nDate de l'appel : 12/03/2026\n"
    "Type de dysfonctionnement : Erreur de transfert d'appel\n"
    "Description : Remplacée par un inconnu.\n"
)


@pytest.fixture
def h(tmp_path: Path, mailbox_user: MailUser, smtp_server: RecordingSMTP) -> Iterator[Harness]:
    harness = Harness(tmp_path, mailbox_user, smtp_server)
    yield harness
    harness.close()


def incomplete(h: Harness) -> tuple[str, EmailMessage]:
    """An incomplete fiche of the agent: its reference and our « fiche incomplète » answer."""
    (ref,) = h.send(fiche_email(body=INCOMPLETE)).outcomes[0].refs
    (answer,) = h.new_mails()
    assert answer["To"] == AGENT and "incomplète" in answer["Subject"]
    return ref, answer


def ticket_bytes(h: Harness, ref: str) -> tuple[object, ...]:
    row = h.rt.store.db.execute("select * from tickets where ref = ?", [ref]).fetchone()
    return tuple(row)


def fresh(sender: str, ref: str, body: str, **headers: str) -> bytes:
    """A new mail naming the reference in its subject, as anyone can write one."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = SENDER
    msg["Subject"] = f"RE: [{ref}] Fiche de signalement incomplète"
    msg["Message-ID"] = make_msgid(domain="evil.example")
    for name, value in headers.items():
        msg[name] = value
    msg.set_content(body)
    return msg.as_bytes()


def with_from(raw: bytes, *values: str) -> bytes:
    """`raw` with its From header(s) replaced by `values`, written as they are."""
    head, _, body = raw.partition(b"\n\n")
    lines = [line for line in head.split(b"\n") if not line.lower().startswith(b"from:")]
    froms = [f"From: {v}".encode() for v in values]
    return b"\n".join(froms + lines) + b"\n\n" + body


def refusals(h: Harness, ref: str, kind: str) -> list[dict]:
    events = h.rt.store.events(h.ticket(ref).id)
    return [e["detail"] for e in events if e["kind"] == kind]


@pytest.mark.parametrize("body", [ELSEWHERE, INCOMPLETE], ids=["complete", "incomplete"])
@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(
            lambda ref, answer, body: fresh(PIRATE, ref, body), id="stranger-guessing-ref"
        ),
        pytest.param(
            lambda ref, answer, body: fresh(PIRATE, ref, body, **{"Reply-To": AGENT}),
            id="stranger-reply-to-reporter",
        ),
        pytest.param(
            lambda ref, answer, body: reply(answer, sender="accueil.m12@paris.fr", body=body),
            id="colleague-with-forwarded-token",
        ),
        pytest.param(
            lambda ref, answer, body: with_from(
                reply(answer, sender=AGENT, body=body), f"{AGENT} <{PIRATE}>"
            ),
            id="token-with-reporter-as-display-name",
        ),
        pytest.param(
            lambda ref, answer, body: with_from(
                reply(answer, sender=AGENT, body=body), AGENT, PIRATE
            ),
            id="token-with-two-from-headers",
        ),
        pytest.param(
            lambda ref, answer, body: with_from(
                reply(answer, sender=AGENT, body=body), f"{PIRATE}, {AGENT}"
            ),
            id="token-with-two-addresses",
        ),
    ],
)
def test_nobody_but_the_reporter_reads_or_completes_an_incomplete_fiche(
    h: Harness, forge, body: str
) -> None:
    ref, answer = incomplete(h)
    before = ticket_bytes(h, ref)
    h.send(forge(ref, answer, body))
    assert h.new_mails() == []  # no fiche sent back, no request to the 5e's approver
    assert h.rt.store.count("outbox") == 1  # nothing queued either, held or not
    assert ticket_bytes(h, ref) == before
    assert h.rt.store.count("tickets") == 1
    assert refusals(h, ref, "completion_refused")


@pytest.mark.parametrize(
    "tag",
    [
        pytest.param(lambda t: "a1r0t" + "0" * 20, id="guessed-token"),
        pytest.param(lambda t: t.replace("r0t", "r1t"), id="round-of-an-approval"),
        pytest.param(lambda t: t.replace("a1r", "a2r"), id="another-tickets-number"),
    ],
)
def test_a_forged_token_from_the_reporters_address_completes_nothing(h: Harness, tag) -> None:
    ref, answer = incomplete(h)
    token = re.search(r"a\d+r\d+t[0-9a-f]{20}", str(answer["Reply-To"]))
    assert token is not None and token[0].startswith("a1r0t")
    forged = fresh(AGENT, ref, ELSEWHERE, **{"In-Reply-To": f"<x.{tag(token[0])}@paris.fr>"})
    before = ticket_bytes(h, ref)
    h.send(forged)
    assert ticket_bytes(h, ref) == before
    # The address is the reporter's: they alone are told how to complete it, and not shown it.
    (notice,) = h.new_mails()
    assert notice["To"] == AGENT and "pas pu être prise en compte" in notice["Subject"]
    text = text_of(notice)
    assert "Fiche de signalement" in text and "nouveau" in text
    assert "Ducros" not in text and "Sophie Martin" not in text


def test_forged_replies_in_the_reporters_name_get_one_notice_a_day(h: Harness) -> None:
    ref, _ = incomplete(h)
    for n in range(30):
        h.user.append(fresh(AGENT, ref, f"{ELSEWHERE}\nTentative {n}"))
    h.run()
    assert [m["To"] for m in h.new_mails()] == [AGENT]
    assert len(refusals(h, ref, "completion_refused")) == 30
    assert h.ticket(ref).status == "invalid"
    h.advance(hours=25)
    h.send(fresh(AGENT, ref, ELSEWHERE))
    assert [m["To"] for m in h.new_mails()] == [AGENT]


def test_the_reporter_completes_in_two_answers_each_with_its_own_token(h: Harness) -> None:
    ref, answer = incomplete(h)
    assert answer["Reply-To"] is not None and "+a1r0t" in str(answer["Reply-To"])
    still = INCOMPLETE + "Date de l'appel : 12/03/2026\n"
    h.send(reply(answer, sender=f"Sophie Martin <{AGENT}>", body=still))
    (again,) = h.new_mails()
    assert again["To"] == AGENT and "Description" in text_of(again)
    # What they wrote comes back to them, and only to them.
    assert "Ducros" in text_of(again)
    # Addresses are compared whatever their case.
    shouting = AGENT.upper()
    h.send(reply(again, sender=shouting, body=still + "Description : Transfert au 11e.\n"))
    ticket = h.ticket(ref)
    assert (ticket.status, ticket.call_date) == ("pending_approval", "2026-03-12")
    assert {str(m["To"]) for m in h.new_mails()} == {AGENT, CHEF}
    # Answering the old « fiche incomplète » once more is only a comment now.
    h.send(reply(answer, sender=AGENT, body=ELSEWHERE))
    assert h.ticket(ref).service_id == "mairie-12" and h.new_mails() == []


def test_a_complete_fiche_from_the_reporter_without_the_token_makes_no_change(
    h: Harness,
) -> None:
    # The same forged mail passes when it carries the token: the reply proves it, not the From.
    ref, answer = incomplete(h)
    h.send(fresh(AGENT, ref, ELSEWHERE))
    h.new_mails()
    assert h.ticket(ref).status == "invalid"
    h.send(reply(answer, sender=AGENT, body=ELSEWHERE))
    assert h.ticket(ref).service_id == "mairie-05"


# -- decisions: a disguised From, and a pass for someone else's domain -----------------------


def request_of(h: Harness) -> tuple[str, EmailMessage]:
    (ref,) = h.send(fiche_email()).outcomes[0].refs
    request = next(m for m in h.new_mails() if m["To"] == CHEF)
    return ref, request


@pytest.mark.parametrize(
    ("froms", "problem"),
    [
        ([f"{CHEF} <{PIRATE}>"], "address_as_name"),
        ([f"=?utf-8?q?{CHEF}?= <{PIRATE}>"], "address_as_name"),
        ([CHEF, PIRATE], "from_headers"),
        ([f"{CHEF}, {PIRATE}"], "several_addresses"),
        ([f"<{CHEF}>, <{PIRATE}>"], "several_addresses"),
        ([f"chefs: {CHEF};"], "several_addresses"),
    ],
)
def test_a_disguised_from_never_decides_even_with_the_token(
    h: Harness, froms: list[str], problem: str
) -> None:
    ref, request = request_of(h)
    h.send(with_from(reply(request, sender=CHEF, body="Approuvé."), *froms))
    assert h.ticket(ref).status == "pending_approval"
    (refused,) = refusals(h, ref, "decision_refused")
    assert (refused["reason"], refused["problem"]) == ("ambiguous_from", problem)
    assert h.new_mails() == []  # who wrote it is in doubt: nobody to tell


@pytest.mark.parametrize(
    "from_value", [f"Chef <{CHEF}>", f'"Chef, accueil" <{CHEF}>', f"{CHEF} <{CHEF}>"]
)
def test_a_plain_from_still_decides(h: Harness, from_value: str) -> None:
    ref, request = request_of(h)
    h.send(with_from(reply(request, sender=CHEF, body="Approuvé."), from_value))
    assert h.ticket(ref).status == "forwarded"


@pytest.mark.parametrize(
    ("froms", "header", "counts"),
    [
        # The attack: the pirate's own domain passes DMARC, our parser reads the display name.
        ([f"{CHEF} <{PIRATE}>"], "mx.paris.fr; dmarc=pass header.from=evil.example", False),
        ([CHEF], "mx.paris.fr; dmarc=pass header.from=evil.example", False),
        ([CHEF], "mx.paris.fr; dmarc=pass", False),
        ([CHEF], "mx.paris.fr; dmarc=pass header.from=paris.fr", True),
        ([CHEF, PIRATE], "mx.paris.fr; dmarc=pass header.from=paris.fr", False),
        (
            [CHEF],
            "mx.paris.fr; spf=pass (mx.paris.fr: domain of header.from=paris.fr@evil.example "
            "designates 192.0.2.1 as permitted sender) smtp.mailfrom=evil.example",
            False,
        ),
        ([CHEF], "mx.paris.fr; spf=pass smtp.mailfrom=bounce@paris.fr", True),
        ([CHEF], "mx.paris.fr; dkim=pass header.d=fr", False),
        ([CHEF], "mx.paris.fr; dkim=pass header.d=evilparis.fr", False),
        ([CHEF], "mx.paris.fr; dkim=pass header.d=paris.fr.evil.example", False),
        ([CHEF], "mx.paris.fr (dmarc=pass header.from=paris.fr); dmarc=fail", False),
        ([CHEF], "mx.paris.fr; x-dmarc=pass header.from=paris.fr", False),
    ],
)
def test_authenticated_replies_need_the_from_domains_own_pass(
    tmp_path: Path,
    mailbox_user: MailUser,
    smtp_server: RecordingSMTP,
    froms: list[str],
    header: str,
    counts: bool,
) -> None:
    h = Harness(tmp_path, mailbox_user, smtp_server, require_authenticated_replies="mx.paris.fr")
    try:
        ref, request = request_of(h)
        raw = with_from(reply(request, sender=CHEF, body="Approuvé."), *froms)
        h.send(f"Authentication-Results: {header}\n".encode() + raw)
        assert h.ticket(ref).status == ("forwarded" if counts else "pending_approval")
    finally:
        h.close()


def test_completing_a_fiche_is_authenticated_as_a_decision_is(
    tmp_path: Path, mailbox_user: MailUser, smtp_server: RecordingSMTP
) -> None:
    h = Harness(tmp_path, mailbox_user, smtp_server, require_authenticated_replies="mx.paris.fr")
    try:
        ref, answer = incomplete(h)
        forged = b"Authentication-Results: mx.paris.fr; dmarc=pass header.from=evil.example\n"
        h.send(forged + reply(answer, sender=AGENT, body=ELSEWHERE))
        assert h.ticket(ref).status == "invalid"
        assert refusals(h, ref, "completion_refused")[-1]["reason"] == "unauthenticated"
        h.new_mails()
        ours = b"Authentication-Results: mx.paris.fr; dkim=pass header.d=paris.fr\n"
        h.send(ours + reply(answer, sender=AGENT, body=ELSEWHERE))
        assert h.ticket(ref).status == "pending_approval"
    finally:
        h.close()


# -- comments: what we relay under our name -------------------------------------------------


def test_only_a_reply_to_our_mail_from_its_recipient_is_relayed(
    tmp_path: Path, mailbox_user: MailUser, smtp_server: RecordingSMTP
) -> None:
    from email import message_from_bytes
    from email.policy import default

    relay = ["plateforme-3975", "service.supervisors"]
    rules_path = shipped_rules_with(tmp_path, relay_comments_to=relay)
    h = Harness(tmp_path / "w", mailbox_user, smtp_server, rules=rules_path)
    try:
        ref, _ = request_of(h)
        ack_row = h.rt.store.mail_for_ticket(h.ticket(ref).id)[0]
        ack = message_from_bytes(ack_row.raw, policy=default)
        phishing = "Urgent : reconnectez-vous sur http://paris-fr.evil.example"
        h.send(fresh(PIRATE, ref, phishing))
        h.send(fresh(AGENT, ref, phishing))  # the reporter's address, written by anyone
        h.send(reply(ack, sender=PIRATE, body=phishing))  # type: ignore[arg-type]
        assert h.new_mails() == []
        assert h.events(ref).count("comment") == 3  # kept on the ticket all the same
        h.send(reply(ack, sender=AGENT, body="L'usager a rappelé."))  # type: ignore[arg-type]
        (relayed,) = h.new_mails()
        assert "L'usager a rappelé." in text_of(relayed)
    finally:
        h.close()
