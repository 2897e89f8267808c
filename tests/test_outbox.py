"""Composing mails and handing them to a real SMTP server or a folder."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from servers import RecordingSMTP

from intake.store.database import Store
from outbox.background import BackgroundCourier
from outbox.compose import LOOP_HEADER, compose
from outbox.deliver import Courier, Limits
from outbox.errors import SendError
from outbox.senders import DirSender, SmtpSender, open_sender

NOW = dt.datetime(2026, 3, 12, 15, 0, tzinfo=dt.UTC)


def mail(subject: str = "Accusé de réception", ref: str | None = "3975-2026-00001") -> bytes:
    return compose(
        sender="Signalements 39 75 <signalements-3975@paris.fr>",
        recipients=["sophie.martin@paris.fr"],
        subject=subject,
        body="Bonjour,\nVotre fiche est enregistrée.\n",
        message_id="<ack.3975-2026-00001.abc@paris.fr>",
        ref=ref,
        now=NOW,
        in_reply_to="<orig@mail.paris.fr>",
        references=["<orig@mail.paris.fr>"],
    )


def test_every_mail_carries_reference_threading_and_loop_headers() -> None:
    msg = message_from_bytes(mail(), policy=default)
    assert msg["Subject"] == "[3975-2026-00001] Accusé de réception"
    assert msg["Message-ID"] == "<ack.3975-2026-00001.abc@paris.fr>"
    assert msg["In-Reply-To"] == "<orig@mail.paris.fr>"
    assert msg["References"] == "<orig@mail.paris.fr>"
    assert msg["Auto-Submitted"] == "auto-replied"
    assert msg[LOOP_HEADER] == "3975-2026-00001"
    assert "Votre fiche est enregistrée." in msg.get_content()


def test_line_breaks_from_a_fiche_never_reach_a_header() -> None:
    raw = mail(subject="Mairie du 12e\r\nBcc: victime@example.com")
    msg = message_from_bytes(raw, policy=default)
    assert msg["Bcc"] is None
    assert msg["Subject"] == "[3975-2026-00001] Mairie du 12e Bcc: victime@example.com"


def test_headers_are_encoded_and_folded_within_78_characters() -> None:
    long_subject = "Accusé de réception de votre fiche de signalement du 12 mars 2026 " * 2 + "😀"
    raw = compose(
        sender="Signalements 39 75 <signalements-3975@paris.fr>",
        recipients=["Hélène Dupont <helene.dupont@paris.fr>"]
        + [f"agent{n}@paris.fr" for n in range(12)],
        cc=['"Mairie du 12e, accueil" <accueil.m12@paris.fr>'],
        subject=long_subject,
        body="Ligne " * 40 + "\n.\nFrom ici\n= égal",
        message_id="<ack.x@paris.fr>",
        ref="3975-2026-00001",
        now=NOW,
    )
    lines = raw.split(b"\r\n")
    assert max(len(line) for line in lines) <= 78
    assert b"\n" not in raw.replace(b"\r\n", b"") and raw.isascii()
    msg = message_from_bytes(raw, policy=default)
    assert msg["Subject"] == "[3975-2026-00001] " + " ".join(long_subject.split())
    assert msg["To"].addresses[0].display_name == "Hélène Dupont"
    assert len(msg["To"].addresses) == 13
    assert msg["Cc"].addresses[0].display_name == "Mairie du 12e, accueil"
    assert msg.get_content().replace("\r\n", "\n") == "Ligne " * 40 + "\n.\nFrom ici\n= égal\n"


def test_html_mail_is_an_alternative_with_inline_images() -> None:
    png = b"\x89PNG\r\n" + bytes(range(256)) * 3
    raw = compose(
        sender="signalements-3975@paris.fr",
        recipients=["chef@paris.fr"],
        subject="Semaine",
        body="Texte",
        html='<p>Graphique é</p><img src="cid:chart">',
        images={"chart": png},
        message_id="<digest.x@paris.fr>",
        ref=None,
        now=NOW,
    )
    msg = message_from_bytes(raw, policy=default)
    assert [p.get_content_type() for p in msg.walk()] == [
        "multipart/alternative",
        "text/plain",
        "multipart/related",
        "text/html",
        "image/png",
    ]
    assert msg.get_body(("plain",)).get_content() == "Texte\r\n"
    assert msg.get_body(("html",)).get_content() == '<p>Graphique é</p><img src="cid:chart">\r\n'
    (image,) = [p for p in msg.walk() if p.get_content_type() == "image/png"]
    assert image["Content-ID"] == "<chart>" and image.get_content() == png
    assert max(len(line) for line in raw.split(b"\r\n")) <= 78


def test_smtp_sender_delivers_to_a_real_server(smtp_server: RecordingSMTP) -> None:
    sender = SmtpSender(smtp_server.host, smtp_server.port, user=None, tls=False)
    where = sender.send(
        mail_id=1,
        envelope_from="signalements-3975@paris.fr",
        recipients=["sophie.martin@paris.fr"],
        raw=mail(),
    )
    sender.close()
    ((mail_from, rcpts, raw),) = smtp_server.wait_for(1)
    assert (mail_from, rcpts) == ("signalements-3975@paris.fr", ["sophie.martin@paris.fr"])
    assert b"Message-ID: <ack.3975-2026-00001.abc@paris.fr>" in raw
    assert where == f"smtp://{smtp_server.host}:{smtp_server.port}"


def test_refused_recipient_is_a_permanent_failure(smtp_server: RecordingSMTP) -> None:
    smtp_server.refuse("inconnu@paris.fr")
    sender = SmtpSender(smtp_server.host, smtp_server.port, user=None, tls=False)
    with pytest.raises(SendError) as caught:
        sender.send(
            mail_id=1, envelope_from="a@paris.fr", recipients=["inconnu@paris.fr"], raw=mail()
        )
    assert caught.value.permanent


def test_unreachable_server_is_a_temporary_failure() -> None:
    from servers.dovecot import free_port

    sender = SmtpSender("127.0.0.1", free_port(), user=None, tls=False, timeout=2)
    with pytest.raises(SendError) as caught:
        sender.send(mail_id=1, envelope_from="a@paris.fr", recipients=["b@paris.fr"], raw=mail())
    assert not caught.value.permanent


def test_dir_sender_writes_one_file_per_mail(tmp_path: Path) -> None:
    sender = open_sender("dir://out", tmp_path)
    assert isinstance(sender, DirSender)
    where = sender.send(
        mail_id=7, envelope_from="a@paris.fr", recipients=["b@paris.fr"], raw=mail()
    )
    assert Path(where) == tmp_path / "out" / "000007.eml"
    assert Path(where).read_bytes() == mail()
    assert not list((tmp_path / "out").glob("*.tmp"))


def queue_one(store: Store, recipients: list[str], n: int = 1) -> int:
    with store.transaction():
        return store.enqueue(
            {
                "ticket_id": None,
                "message_row": None,
                "template": "accuse-reception",
                "recipients": recipients,
                "subject": "s",
                "message_id": f"<m{n}@paris.fr>",
                "raw": mail(),
                "created_at": NOW.isoformat(),
            }
        )


def test_temporary_failure_is_retried_later_then_sent(
    tmp_path: Path, smtp_server: RecordingSMTP
) -> None:
    store = Store(tmp_path / "intake.db")
    mail_id = queue_one(store, ["sophie.martin@paris.fr"])
    sender = SmtpSender(smtp_server.host, smtp_server.port, user=None, tls=False)
    smtp_server.defer(1)
    clock = {"now": NOW}
    first = Courier(store, sender, "signalements-3975@paris.fr", lambda: clock["now"]).finish()
    assert first[0].error and "451" in first[0].error
    row = store.db.table("outbox").get(mail_id)
    assert (row["status"], row["attempts"]) == ("pending", 1)
    # Not due yet: nothing is tried again before the backoff.
    assert Courier(store, sender, "x@paris.fr", lambda: clock["now"]).finish() == []
    clock["now"] = NOW + dt.timedelta(minutes=5)
    second = Courier(store, sender, "signalements-3975@paris.fr", lambda: clock["now"]).finish()
    assert second[0].error is None
    assert store.db.table("outbox").get(mail_id)["status"] == "sent"
    assert len(smtp_server.wait_for(1)) == 1


def test_permanent_failure_is_recorded_not_retried(
    tmp_path: Path, smtp_server: RecordingSMTP
) -> None:
    store = Store(tmp_path / "intake.db")
    smtp_server.refuse("parti@paris.fr")
    mail_id = queue_one(store, ["parti@paris.fr"])
    sender = SmtpSender(smtp_server.host, smtp_server.port, user=None, tls=False)
    Courier(store, sender, "signalements-3975@paris.fr", lambda: NOW).finish()
    row = store.db.table("outbox").get(mail_id)
    assert row["status"] == "failed"
    assert "550" in row["last_error"]
    later = NOW + dt.timedelta(days=1)
    assert Courier(store, sender, "signalements-3975@paris.fr", lambda: later).finish() == []


def delivery_thread(database: Path, smtp_server: RecordingSMTP) -> BackgroundCourier:
    return BackgroundCourier(
        lambda: Store(database),
        SmtpSender(smtp_server.host, smtp_server.port, user=None, tls=False),
        "signalements-3975@paris.fr",
        lambda: NOW,
        Limits("signalements-3975@paris.fr"),
    )


def test_the_delivery_thread_sends_only_what_was_released(
    tmp_path: Path, smtp_server: RecordingSMTP
) -> None:
    store = Store(tmp_path / "intake.db")
    first = [queue_one(store, [f"agent{n}@paris.fr"], n) for n in range(3)]
    later = queue_one(store, ["agent9@paris.fr"], 9)
    courier = delivery_thread(tmp_path / "intake.db", smtp_server)
    courier.release(first[-1])
    assert len(smtp_server.wait_for(3)) == 3
    done = courier.finish(everything=False)  # the mail past the release stays queued
    assert sorted(d.mail_id for d in done) == first
    statuses = {r["id"]: r["status"] for r in store.db.table("outbox").rows}
    assert statuses == {**{i: "sent" for i in first}, later: "pending"}
    assert [rcpts for _, rcpts, _ in smtp_server.messages] == [
        [f"agent{n}@paris.fr"] for n in range(3)
    ]


def test_the_delivery_thread_sends_everything_when_the_round_ends(
    tmp_path: Path, smtp_server: RecordingSMTP
) -> None:
    store = Store(tmp_path / "intake.db")
    courier = delivery_thread(tmp_path / "intake.db", smtp_server)
    ids = [queue_one(store, ["agent@paris.fr"], n) for n in range(2)]  # queued while it waits
    assert [d.mail_id for d in courier.finish()] == ids
    assert store.count("outbox", "status = 'sent'") == 2


def test_a_broken_message_id_from_the_sender_is_not_repeated() -> None:
    raw = compose(
        sender="signalements-3975@paris.fr",
        recipients=["agent@paris.fr"],
        subject="Fiche incomplète",
        body="Bonjour",
        message_id="<invalid.x@paris.fr>",
        ref=None,
        now=NOW,
        in_reply_to="\x80",
        references=["\x80", "<bon@paris.fr>"],
    )
    msg = message_from_bytes(raw, policy=default)
    assert msg["In-Reply-To"] is None and msg["References"] == "<bon@paris.fr>"
