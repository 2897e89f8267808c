"""An aiosmtpd server on loopback that records what it receives, with switchable failures."""

from __future__ import annotations

import smtplib
import threading
from types import TracebackType

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from .dovecot import free_port

Received = tuple[str, list[str], bytes]


class RecordingHandler:
    """aiosmtpd hooks: refuse some recipients (550), defer some messages (451), record the rest.

    With `relay_to=(host, lmtp_port)` each accepted message is also delivered to Dovecot by LMTP.
    """

    def __init__(self, relay_to: tuple[str, int] | None = None) -> None:
        self.messages: list[Received] = []
        self.refused: set[str] = set()
        self.deferrals = 0
        self.relay_to = relay_to
        self.changed = threading.Condition()

    async def handle_RCPT(  # aiosmtpd finds hooks by name
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        with self.changed:
            if address.lower() in self.refused:
                return "550 5.1.1 Destinataire inconnu"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        mail_from = envelope.mail_from or ""
        with self.changed:
            if self.deferrals > 0:
                self.deferrals -= 1
                return "451 4.3.0 Erreur temporaire, réessayez plus tard"
        if self.relay_to is not None:
            try:
                with smtplib.LMTP(*self.relay_to) as lmtp:
                    lmtp.sendmail(mail_from, envelope.rcpt_tos, raw)
            except smtplib.SMTPRecipientsRefused as exc:
                code, text = next(iter(exc.recipients.values()))
                return f"{code} {_text(text)}"
            except smtplib.SMTPResponseException as exc:
                return f"{exc.smtp_code} {_text(exc.smtp_error)}"
        with self.changed:
            self.messages.append((mail_from, list(envelope.rcpt_tos), raw))
            self.changed.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float) -> list[Received]:
        with self.changed:
            if not self.changed.wait_for(lambda: len(self.messages) >= count, timeout):
                raise TimeoutError(
                    f"{len(self.messages)} message(s) received in {timeout} s, {count} expected"
                )
            return list(self.messages)


class RecordingSMTP:
    """A real SMTP server in a thread: `host`, `port`, `messages`, `wait_for(n, timeout)`."""

    host = "127.0.0.1"

    def __init__(self, relay_to: tuple[str, int] | None = None, smtputf8: bool = True) -> None:
        """`smtputf8=False`: a server that does not offer SMTPUTF8 (RFC 6531), and so refuses
        accented addresses (aiosmtpd offers it by default)."""
        self.handler = RecordingHandler(relay_to)
        self.port = free_port()
        self._controller = Controller(
            self.handler,
            hostname=self.host,
            port=self.port,
            server_hostname="smtp.test",
            enable_SMTPUTF8=smtputf8,
        )

    @property
    def messages(self) -> list[Received]:
        with self.handler.changed:
            return list(self.handler.messages)

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Received]:
        """Block until `count` messages were accepted in total; TimeoutError otherwise."""
        return self.handler.wait_for(count, timeout)

    def clear(self) -> None:
        with self.handler.changed:
            self.handler.messages.clear()

    def refuse(self, *addresses: str) -> None:
        """Answer 550 at RCPT for these recipients (a permanent failure)."""
        with self.handler.changed:
            self.handler.refused.update(a.lower() for a in addresses)

    def defer(self, count: int = 1) -> None:
        """Answer 451 at DATA to the next `count` messages (a temporary failure)."""
        with self.handler.changed:
            self.handler.deferrals = count

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    def __enter__(self) -> RecordingSMTP:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"RecordingSMTP({self.host}:{self.port}, {len(self.messages)} message(s))"


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply
