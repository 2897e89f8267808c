"""The worker in-process on real servers, with a clock the test moves: for long stories."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from email.utils import format_datetime, make_msgid
from pathlib import Path

from helpers import text_of, write_config
from servers import MailUser, RecordingSMTP

from intake.config.settings import load_settings
from intake.runtime import Runtime, build_runtime
from intake.sources.imap import ImapSource
from intake.store.records import Ticket
from intake.worker.loop import RunReport, run_once
from outbox.senders import SmtpSender

START = dt.datetime(2026, 3, 12, 15, 0, tzinfo=dt.UTC)


class Harness:
    def __init__(
        self, tmp_path: Path, user: MailUser, smtp: RecordingSMTP, **settings: object
    ) -> None:
        config = write_config(
            tmp_path,
            mailbox=f"imap://{user.user}@{user.host}:{user.imap_port}/INBOX",
            outbox=f"smtp://{smtp.host}:{smtp.port}",
            **settings,
        )
        self.now = START
        self.user, self.smtp = user, smtp
        self.rt: Runtime = build_runtime(load_settings(config), clock=lambda: self.now)
        self.source = ImapSource(
            user.host, user.imap_port, user.user, user.password, "INBOX", "Traités"
        )
        self.sender = SmtpSender(smtp.host, smtp.port, user=None, tls=False)
        self.seen = 0

    def close(self) -> None:
        self.source.close()
        self.rt.close()

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)

    def run(self) -> RunReport:
        return run_once(self.rt, self.source, self.sender)

    def send(self, raw: bytes) -> RunReport:
        self.user.append(raw)
        return self.run()

    def new_mails(self) -> list[EmailMessage]:
        """What the SMTP server received since the last call."""
        mails = [m for _, _, m in self.smtp.messages][self.seen :]
        self.seen += len(mails)
        return [message_from_bytes(m, policy=default) for m in mails]  # type: ignore[misc]

    def ticket(self, ref: str) -> Ticket:
        ticket = self.rt.store.ticket_by_ref(ref)
        assert ticket is not None
        return ticket

    def events(self, ref: str) -> list[str]:
        return [e["kind"] for e in self.rt.store.events(self.ticket(ref).id)]


def reply(
    original: EmailMessage,
    *,
    sender: str,
    body: str,
    keep_threading: bool = True,
    subject: str | None = None,
) -> bytes:
    """A reply as a mail client makes it: RE: subject, threading headers, quoted original."""
    # Long Message-IDs stay on one line, as mail clients write them.
    msg = EmailMessage(policy=default.clone(max_line_length=998))
    msg["From"] = sender
    to = original["Reply-To"] or original["From"]
    msg["To"] = str(to)
    msg["Subject"] = subject or f"RE: {original['Subject']}"
    msg["Date"] = format_datetime(START)
    msg["Message-ID"] = make_msgid(domain="mail.paris.fr")
    if keep_threading:
        msg["In-Reply-To"] = original["Message-ID"]
        msg["References"] = original["Message-ID"]
    quoted = "\n".join("> " + line for line in text_of(original).splitlines())
    msg.set_content(
        f"{body}\n\nLe jeu. 12 mars 2026 à 16:06, Signalements 39 75 "
        f"<signalements-3975@paris.fr> a écrit :\n{quoted}\n"
    )
    return msg.as_bytes()
