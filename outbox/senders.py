"""Hand finished mails to SMTP or to a folder; say whether a failure is worth retrying."""

from __future__ import annotations

import contextlib
import os
import smtplib
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from outbox.errors import OutboxConfigError, SendError
from outbox.faults import crash_point
from outbox.oauth import TokenProvider, xoauth2_string

SMTP_PASSWORD_ENV = "INTAKE_SMTP_PASSWORD"


class Sender(Protocol):
    label: str

    def send(self, *, mail_id: int, envelope_from: str, recipients: list[str], raw: bytes) -> str:
        """Deliver one mail; return where it went. Raises SendError."""
        ...

    def close(self) -> None: ...


class DirSender:
    """Writes each mail as a .eml file: the embedded default, and a way to see what would go."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.label = f"dir://{folder}"

    def send(self, *, mail_id: int, envelope_from: str, recipients: list[str], raw: bytes) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / f"{mail_id:06d}.eml"
        tmp = target.with_suffix(".tmp")
        try:
            # Written then renamed: a crash never leaves half a mail under the final name.
            tmp.write_bytes(raw)
            os.replace(tmp, target)
        except OSError as exc:
            raise SendError(f"cannot write {target}: {exc.strerror}", permanent=False) from exc
        return str(target)

    def close(self) -> None:
        return None


class SmtpSender:
    """One SMTP connection per delivery round, opened when the first mail needs it."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        user: str | None,
        tls: bool,
        timeout: float = 30,
        token: TokenProvider | None = None,
    ) -> None:
        self.host, self.port, self.user, self.tls, self.timeout = host, port, user, tls, timeout
        self.token = token  # XOAUTH2 instead of a password when set
        self.label = f"{'smtps' if tls else 'smtp'}://{host}:{port}"
        self._conn: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        if self._conn is not None:
            return self._conn
        try:
            cls = smtplib.SMTP_SSL if self.tls else smtplib.SMTP
            conn = cls(self.host, self.port, timeout=self.timeout)
            if self.user and self.token is not None:
                token = self.token()
                conn.ehlo()
                conn.auth(
                    "XOAUTH2",
                    lambda challenge=None: xoauth2_string(self.user or "", token),
                    initial_response_ok=True,
                )
            elif self.user:
                password = os.environ.get(SMTP_PASSWORD_ENV)
                if not password:
                    raise SendError(
                        f"{SMTP_PASSWORD_ENV} is not set: export it to log in as {self.user}",
                        permanent=False,
                        unreachable=True,
                    )
                conn.login(self.user, password)
        except (OSError, smtplib.SMTPException, OutboxConfigError) as exc:
            raise SendError(
                f"cannot reach the SMTP server {self.label}: {exc}; check 'outbox' in intake.yaml",
                permanent=False,
                unreachable=True,
            ) from exc
        self._conn = conn
        return conn

    def send(self, *, mail_id: int, envelope_from: str, recipients: list[str], raw: bytes) -> str:
        conn = self._connect()
        try:
            refused = self._transaction(conn, envelope_from, recipients, raw)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            raise SendError(
                f"recipients refused: {exc.recipients}", permanent=all(c >= 500 for c in codes)
            ) from exc
        except smtplib.SMTPResponseException as exc:
            self.close()
            raise SendError(
                f"{self.label} answered {exc.smtp_code} {exc.smtp_error!r}",
                permanent=exc.smtp_code >= 500,
            ) from exc
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise SendError(f"{self.label}: {exc}", permanent=False) from exc
        if refused:
            accepted = [r for r in recipients if r not in refused]
            return f"{self.label} (refused: {', '.join(refused)}; accepted: {', '.join(accepted)})"
        return self.label

    @staticmethod
    def _transaction(
        conn: smtplib.SMTP, envelope_from: str, recipients: list[str], raw: bytes
    ) -> dict[str, tuple[int, bytes]]:
        """smtplib's sendmail, step by step, so a crash can be injected between the steps."""
        conn.ehlo_or_helo_if_needed()
        code, reply = conn.mail(envelope_from, _mail_options(conn, envelope_from, recipients, raw))
        if code != 250:
            conn.rset()
            raise smtplib.SMTPSenderRefused(code, reply, envelope_from)
        refused: dict[str, tuple[int, bytes]] = {}
        for recipient in recipients:
            code, reply = conn.rcpt(recipient)
            if code not in (250, 251):
                refused[recipient] = (code, reply)
        if len(refused) == len(recipients):
            conn.rset()
            raise smtplib.SMTPRecipientsRefused(refused)
        crash_point("mid_smtp")
        code, reply = conn.data(raw)
        if code != 250:
            conn.rset()
            raise smtplib.SMTPDataError(code, reply)
        return refused

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self._conn.quit()
            self._conn = None


def needs_smtputf8(envelope_from: str, recipients: list[str], raw: bytes) -> bool:
    """An accented address in the envelope or the headers (RFC 6531/6532)."""
    head = raw.split(b"\r\n\r\n", 1)[0]
    return not (envelope_from.isascii() and all(r.isascii() for r in recipients) and head.isascii())


def _mail_options(
    conn: smtplib.SMTP, envelope_from: str, recipients: list[str], raw: bytes
) -> list[str]:
    """SMTPUTF8 when the mail needs it and the server offers it; a permanent failure, said
    in words an admin acts on, when it needs it and the server does not."""
    if not needs_smtputf8(envelope_from, recipients, raw):
        return []
    if not conn.has_extn("smtputf8"):
        raise SendError(
            "an address of this mail has accented characters and the SMTP server does not "
            "offer SMTPUTF8: the mail cannot be sent to it (ask for SMTPUTF8 on the server, "
            "e.g. Postfix smtputf8_enable = yes, then `intake outbox retry`)",
            permanent=True,
        )
    return ["SMTPUTF8", "BODY=8BITMIME"] if conn.has_extn("8bitmime") else ["SMTPUTF8"]


@dataclass(frozen=True)
class OutboxUrl:
    """`outbox` of intake.yaml: dir://PATH, smtp://[USER@]HOST[:PORT] or smtps://..."""

    scheme: str
    #: The folder as written (dir:// only).
    path: str
    host: str | None
    #: The URL's port, else the scheme's usual one.
    port: int
    #: Who logs in to the SMTP server, if anyone.
    user: str | None

    @property
    def tls(self) -> bool:
        return self.scheme == "smtps"

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


def parse_outbox(url: str) -> OutboxUrl:
    parts = urlsplit(url)
    return OutboxUrl(
        scheme=parts.scheme,
        path=unquote(parts.netloc + parts.path),
        host=parts.hostname,
        port=parts.port or (465 if parts.scheme == "smtps" else 25),
        user=unquote(parts.username) if parts.username else None,
    )


def open_sender(url: str, base_dir: Path, token: TokenProvider | None = None) -> Sender:
    outbox = parse_outbox(url)
    if outbox.scheme == "dir":
        return DirSender(base_dir / outbox.path)
    if outbox.scheme in ("smtp", "smtps"):
        if not outbox.host:
            raise OutboxConfigError(f"outbox {url!r}: no host; write smtp://host:port")
        return SmtpSender(outbox.host, outbox.port, user=outbox.user, tls=outbox.tls, token=token)
    raise OutboxConfigError(
        f"outbox {url!r}: use smtp://host:port, smtps://host:port or dir://PATH"
    )


__all__ = ["DirSender", "OutboxUrl", "Sender", "SmtpSender", "open_sender", "parse_outbox"]
