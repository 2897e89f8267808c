"""The real-server fixtures themselves: what other tests rely on."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

import pytest
from servers import Dovecot, MailUser, RecordingSMTP


def _mail(subject: str, to: str = "dest@example.test") -> bytes:
    return (
        f"From: agent@example.test\r\nTo: {to}\r\nSubject: {subject}\r\n"
        f"Message-ID: <{subject.replace(' ', '-')}@example.test>\r\n\r\nCorps : {subject}\r\n"
    ).encode()


def test_append_and_read_back_over_imap(mailbox_user: MailUser) -> None:
    first, second = _mail("un"), _mail("deux")
    mailbox_user.append(first)
    mailbox_user.append(second)
    mailbox_user.append(_mail("archive"), folder="Archives")

    assert mailbox_user.messages() == [first, second]
    assert mailbox_user.messages("Archives") == [_mail("archive")]
    assert mailbox_user.folders() == ["Archives", "INBOX"]
    assert [flags for _, _, flags in mailbox_user.contents()] == [set(), set()]


def test_each_user_has_an_empty_mailbox_of_its_own(dovecot: Dovecot) -> None:
    alice, bob = dovecot.add_user(), dovecot.add_user()
    alice.append(_mail("pour alice"))
    assert bob.messages() == []
    assert alice.messages() == [_mail("pour alice")]


def test_named_user_added_while_running_can_log_in(dovecot: Dovecot) -> None:
    carol = dovecot.add_user("carol", "s3cret")
    assert carol.folders() == ["INBOX"]


def test_smtp_records_what_smtplib_sends(smtp_server: RecordingSMTP) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@example.test", "b@example.test", "Fiche"
    message.set_content("Bonjour")
    with smtplib.SMTP(smtp_server.host, smtp_server.port) as client:
        client.send_message(message)

    [(mail_from, rcpt_tos, raw)] = smtp_server.wait_for(1, timeout=5)
    assert (mail_from, rcpt_tos) == ("a@example.test", ["b@example.test"])
    assert b"Subject: Fiche" in raw and b"Bonjour" in raw
    smtp_server.clear()
    assert smtp_server.messages == []


def test_smtp_refuses_a_recipient_with_550(smtp_server: RecordingSMTP) -> None:
    smtp_server.refuse("Inconnu@example.test")
    with smtplib.SMTP(smtp_server.host, smtp_server.port) as client:
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            client.sendmail("a@example.test", ["inconnu@example.test"], _mail("x"))
        refusals = client.sendmail(
            "a@example.test", ["inconnu@example.test", "ok@example.test"], _mail("y")
        )
    assert refused.value.recipients["inconnu@example.test"][0] == 550
    assert refusals["inconnu@example.test"][0] == 550
    assert [rcpt for _, rcpt, _ in smtp_server.messages] == [["ok@example.test"]]


def test_smtp_defers_with_451_then_accepts(smtp_server: RecordingSMTP) -> None:
    smtp_server.defer(1)
    with smtplib.SMTP(smtp_server.host, smtp_server.port) as client:
        with pytest.raises(smtplib.SMTPDataError) as deferred:
            client.sendmail("a@example.test", ["b@example.test"], _mail("x"))
        client.sendmail("a@example.test", ["b@example.test"], _mail("x"))
    assert deferred.value.smtp_code == 451
    assert len(smtp_server.wait_for(1, timeout=5)) == 1


def test_wait_for_times_out_with_a_clear_error(smtp_server: RecordingSMTP) -> None:
    with pytest.raises(TimeoutError, match="0 message"):
        smtp_server.wait_for(1, timeout=0.05)


def test_smtp_relays_into_dovecot_by_lmtp(mailbox_user: MailUser) -> None:
    relay = RecordingSMTP(relay_to=(mailbox_user.host, mailbox_user.lmtp_port))
    with relay, smtplib.SMTP(relay.host, relay.port) as client:
        client.sendmail("a@example.test", [mailbox_user.address], _mail("relayed"))
        with pytest.raises(smtplib.SMTPDataError) as unknown:
            client.sendmail("a@example.test", ["nobody-here@example.test"], _mail("lost"))
    [stored] = mailbox_user.messages()
    assert stored.endswith(_mail("relayed"))  # after the Return-Path/Received headers LMTP adds
    assert unknown.value.smtp_code == 550


def test_restart_keeps_mail_and_ports() -> None:
    with Dovecot() as server:
        server.append(_mail("avant"))
        port = server.imap_port
        server.restart()
        assert server.imap_port == port
        assert server.messages() == [_mail("avant")]
