"""The mailbox account of intake.yaml: its URL read once, its secret, a connection, a login.

The worker's IMAP source, `intake backfill` and `intake doctor` all reach the same account;
each says in its own words what went wrong, from the same steps.
"""

from __future__ import annotations

import contextlib
import imaplib
import os
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from imap_tools import BaseMailBox, MailBox, MailBoxUnencrypted
from imap_tools.errors import ImapToolsError, MailboxLoginError

from outbox.oauth import TokenProvider, configured_token

IMAP_PASSWORD_ENV = "INTAKE_IMAP_PASSWORD"
#: What a dropped or refused connection raises, from the socket up to imap-tools.
NETWORK_ERRORS = (OSError, imaplib.IMAP4.error, ImapToolsError)
DEFAULT_PORTS = {"imap": 143, "imaps": 993}


@dataclass(frozen=True)
class MailboxUrl:
    """`mailbox` of intake.yaml: maildir://PATH, imap://USER@HOST:PORT/FOLDER or imaps://..."""

    scheme: str
    #: The Maildir's path as written (maildir:// only).
    path: str
    host: str | None
    #: The URL's port, else the scheme's usual one.
    port: int
    user: str
    #: The folder the URL names, INBOX when it names none.
    folder: str

    @property
    def tls(self) -> bool:
        return self.scheme == "imaps"

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


def parse_mailbox(url: str) -> MailboxUrl:
    parts = urlsplit(url)
    return MailboxUrl(
        scheme=parts.scheme,
        path=unquote(parts.netloc + parts.path),
        host=parts.hostname,
        port=parts.port or DEFAULT_PORTS.get(parts.scheme, 0),
        user=unquote(parts.username or ""),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
    )


@dataclass(frozen=True)
class Credentials:
    """The password of $INTAKE_IMAP_PASSWORD, or an OAuth 2 token provider when `auth: xoauth2`."""

    password: str
    token: TokenProvider | None

    def secret(self) -> str:
        """What the login sends now: a fresh token (tokens expire within the hour), else the
        password."""
        return self.token() if self.token is not None else self.password


def credentials(auth: str, token_command: str | None) -> Credentials:
    return Credentials(os.environ.get(IMAP_PASSWORD_ENV, ""), configured_token(auth, token_command))


def connect(url: MailboxUrl, timeout: float) -> BaseMailBox:
    """An open, not yet logged-in connection; raises one of NETWORK_ERRORS when unreachable."""
    cls = MailBox if url.tls else MailBoxUnencrypted
    return cls(url.host, url.port, timeout=timeout)


def login(mailbox: BaseMailBox, user: str, secret: str, *, oauth: bool) -> None:
    """LOGIN, or AUTHENTICATE XOAUTH2; a refusal raises MailboxLoginError either way."""
    if not oauth:
        mailbox.login(user, secret, initial_folder=None)
        return
    try:
        mailbox.xoauth2(user, secret, initial_folder=None)
    except imaplib.IMAP4.abort:
        raise
    except imaplib.IMAP4.error as exc:
        # imaplib raises on the server's NO to AUTHENTICATE: a refused token, not a network
        # failure (imap-tools would have raised MailboxLoginError on the status it expects).
        raise MailboxLoginError(("NO", [str(exc).encode()]), "OK") from exc


def logout(mailbox: BaseMailBox) -> None:
    """LOGOUT when the connection still answers; a dropped one has nothing left to close."""
    with contextlib.suppress(*NETWORK_ERRORS):
        mailbox.logout()
