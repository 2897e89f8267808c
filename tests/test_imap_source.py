"""ImapSource against a real Dovecot: raw bytes in, nothing touched before ack, IDLE wake-ups."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from servers import MailUser
from servers.dovecot import free_port

from intake.errors import SourceError
from intake.sources.imap import ImapSource

PROCESSED = "Traités"  # non-ASCII on purpose: folder names travel in modified UTF-7


def _mail(n: int) -> bytes:
    return (
        f"From: agent{n}@example.test\r\nTo: 3975@example.test\r\nSubject: Fiche {n}\r\n"
        f"Message-ID: <fiche-{n}@example.test>\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"Content-Transfer-Encoding: 8bit\r\n\r\nCommune : Évry-Courcouronnes n°{n}\r\n"
    ).encode()


def _source(account: MailUser, batch: int = 500) -> ImapSource:
    return ImapSource(
        account.host,
        account.imap_port,
        account.user,
        account.password,
        "INBOX",
        PROCESSED,
        batch=batch,
    )


@pytest.fixture
def source(mailbox_user: MailUser) -> Iterator[ImapSource]:
    imap = _source(mailbox_user)
    yield imap
    imap.close()


def test_fetch_yields_exact_raw_bytes_oldest_first(
    mailbox_user: MailUser, source: ImapSource
) -> None:
    sent = [_mail(n) for n in range(3)]
    for raw in sent:
        mailbox_user.append(raw)

    fetched = list(source.fetch())

    assert [m.raw for m in fetched] == sent
    assert [int(m.uid) for m in fetched] == [1, 2, 3]
    assert {m.uidvalidity for m in fetched} == {mailbox_user.uidvalidity("INBOX")}
    assert source.label == f"imap://{mailbox_user.user}@127.0.0.1:{mailbox_user.imap_port}/INBOX"


def test_a_second_fetch_sees_mail_appended_by_another_client(
    mailbox_user: MailUser, source: ImapSource
) -> None:
    mailbox_user.append(_mail(1))
    for message in source.fetch():
        source.ack(message.uid)
    mailbox_user.append(_mail(2))  # from another connection, while ours stays open

    assert [m.raw for m in source.fetch()] == [_mail(2)]


def test_fetch_marks_nothing_and_moves_nothing(mailbox_user: MailUser, source: ImapSource) -> None:
    mailbox_user.append(_mail(1))
    mailbox_user.append(_mail(2), flags=("\\Flagged",))
    before = mailbox_user.contents()

    assert len(list(source.fetch())) == 2
    assert len(list(source.fetch())) == 2  # a second pass sees the same messages

    assert mailbox_user.contents() == before
    assert mailbox_user.messages(PROCESSED) == []


def test_ack_moves_only_that_message_and_expunges_nothing_else(
    mailbox_user: MailUser, source: ImapSource
) -> None:
    mailbox_user.append(_mail(1))
    mailbox_user.append(_mail(2), flags=("\\Deleted",))  # flagged by another client, not expunged
    mailbox_user.append(_mail(3))
    assert PROCESSED not in mailbox_user.folders()

    first = next(source.fetch())
    source.ack(first.uid)

    assert mailbox_user.messages(PROCESSED) == [_mail(1)]
    remaining = mailbox_user.contents()
    assert [raw for _, raw, _ in remaining] == [_mail(2), _mail(3)]
    assert "\\Deleted" in remaining[0][2]
    assert [m.raw for m in source.fetch()] == [_mail(2), _mail(3)]


def test_ack_twice_or_an_unknown_uid_is_harmless(
    mailbox_user: MailUser, source: ImapSource
) -> None:
    mailbox_user.append(_mail(1))
    mailbox_user.append(_mail(2))
    [first, _] = source.fetch()

    source.ack(first.uid)
    source.ack(first.uid)
    source.ack("999")

    assert mailbox_user.messages(PROCESSED) == [_mail(1)]
    assert mailbox_user.messages() == [_mail(2)]


def test_more_messages_than_a_batch_all_come_through_in_order(mailbox_user: MailUser) -> None:
    sent = [_mail(n) for n in range(7)]
    for raw in sent:
        mailbox_user.append(raw)
    imap = _source(mailbox_user, batch=3)
    try:
        assert [m.raw for m in imap.fetch()] == sent
    finally:
        imap.close()


def test_acks_between_batches_do_not_lose_messages(mailbox_user: MailUser) -> None:
    for n in range(7):
        mailbox_user.append(_mail(n))
    imap = _source(mailbox_user, batch=3)
    try:
        for message in imap.fetch():  # the worker's loop: ack each one after its commit
            imap.ack(message.uid)
    finally:
        imap.close()
    assert mailbox_user.messages(PROCESSED) == [_mail(n) for n in range(7)]
    assert mailbox_user.messages() == []


def _append_later(account: MailUser, raw: bytes, delay: float) -> threading.Timer:
    timer = threading.Timer(delay, account.append, (raw,))
    timer.start()
    return timer


def test_wait_wakes_up_soon_after_new_mail(mailbox_user: MailUser, source: ImapSource) -> None:
    assert list(source.fetch()) == []
    timer = _append_later(mailbox_user, _mail(1), delay=0.3)
    started = time.monotonic()

    assert source.wait(10) is True
    timer.join()

    assert time.monotonic() - started < 2.0  # Dovecot notifies IDLE ~0.5 s after delivery
    assert [m.raw for m in source.fetch()] == [_mail(1)]


def test_wait_times_out_quietly_without_mail(source: ImapSource) -> None:
    list(source.fetch())
    started = time.monotonic()
    assert source.wait(0.5) is False
    assert 0.4 < time.monotonic() - started < 1.5


def test_wait_reports_mail_announced_during_acks(
    mailbox_user: MailUser, source: ImapSource
) -> None:
    mailbox_user.append(_mail(1))
    messages = source.fetch()
    first = next(messages)
    mailbox_user.append(_mail(2))  # after the search: the server tells us in the ack's answer
    source.ack(first.uid)
    assert list(messages) == []

    started = time.monotonic()
    assert source.wait(10) is True
    assert time.monotonic() - started < 0.5


def test_reconnects_after_the_server_drops_the_connection(
    mailbox_user: MailUser, source: ImapSource
) -> None:
    mailbox_user.append(_mail(1))
    [first] = source.fetch()
    mailbox_user.server.kick(mailbox_user.user)

    source.ack(first.uid)  # the dead connection is noticed and replaced
    mailbox_user.server.kick(mailbox_user.user)
    assert source.wait(5) is True  # a drop while idling: go and fetch
    mailbox_user.append(_mail(2))

    assert [m.raw for m in source.fetch()] == [_mail(2)]
    assert mailbox_user.messages(PROCESSED) == [_mail(1)]


def test_wrong_password_raises_a_clear_source_error(mailbox_user: MailUser) -> None:
    imap = ImapSource(mailbox_user.host, mailbox_user.imap_port, mailbox_user.user, "faux", "INBOX")
    with pytest.raises(SourceError, match="INTAKE_IMAP_PASSWORD") as refused:
        list(imap.fetch())
    assert "faux" not in str(refused.value)


def test_unreachable_server_raises_a_clear_source_error() -> None:
    imap = ImapSource("127.0.0.1", free_port(), "intake", "secret", "INBOX")
    with pytest.raises(SourceError, match="injoignable.*port"):
        list(imap.fetch())


def test_missing_folder_raises_a_clear_source_error(mailbox_user: MailUser) -> None:
    imap = ImapSource(
        mailbox_user.host,
        mailbox_user.imap_port,
        mailbox_user.user,
        mailbox_user.password,
        "Fiches",
        PROCESSED,
    )
    with pytest.raises(SourceError, match="Fiches.*introuvable|introuvable.*Fiches"):
        list(imap.fetch())
