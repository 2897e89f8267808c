"""`intake doctor`'s checks of the mail servers: IMAP login, folders, IDLE; SMTP; a test mail."""

from __future__ import annotations

import contextlib
import datetime as dt
import imaplib
import os
import smtplib
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import unquote, urlsplit

from imap_tools import BaseMailBox, MailBox, MailBoxUnencrypted
from imap_tools.errors import ImapToolsError, MailboxLoginError

from intake.checks import FAIL, OK, SKIP, WARN, Check
from intake.config import Settings
from intake.errors import ConfigError, IntakeError
from intake.oauth import configured_token
from intake.sources import IMAP_PASSWORD_ENV
from outbox.compose import compose, new_message_id
from outbox.senders import SMTP_PASSWORD_ENV, open_sender

TIMEOUT = 10.0
NETWORK = (OSError, imaplib.IMAP4.error, ImapToolsError)


def mailbox_checks(settings: Settings, *, create_folders: bool) -> list[Check]:
    parts = urlsplit(settings.mailbox)
    if parts.scheme == "maildir":
        return _maildir_checks(settings, settings.path(unquote(parts.netloc + parts.path)))
    where = f"{parts.hostname}:{parts.port or (993 if parts.scheme == 'imaps' else 143)}"
    oauth = settings.auth == "xoauth2"
    try:
        # An OAuth 2 token (fetched as the worker fetches it), or the password.
        provider = configured_token(settings.auth, settings.oauth2_token_command)
        password = provider() if provider else os.environ.get(IMAP_PASSWORD_ENV)
    except ConfigError as exc:
        return [Check(FAIL, "imap login", str(exc))]
    if not password:
        return [
            Check(
                FAIL,
                "imap login",
                f"{IMAP_PASSWORD_ENV} is not set: put the password of {parts.username} in the "
                "environment file (/etc/intake/intake.env)",
            )
        ]
    try:
        cls = MailBox if parts.scheme == "imaps" else MailBoxUnencrypted
        mailbox: BaseMailBox = cls(parts.hostname, parts.port or None, timeout=TIMEOUT)
    except NETWORK as exc:
        tls = "imaps:// for TLS" if parts.scheme == "imaps" else "imap:// without TLS"
        return [
            Check(
                FAIL,
                "imap login",
                f"cannot reach {where} ({exc}): check host, port and {tls} in 'mailbox', "
                "and that the server is running",
            )
        ]
    user = unquote(parts.username or "")
    folder = unquote(parts.path.lstrip("/")) or "INBOX"
    try:
        return _imap_checks(
            settings, mailbox, user, (password, oauth), where, folder, create_folders
        )
    finally:
        with contextlib.suppress(*NETWORK):
            mailbox.logout()


def _imap_checks(
    settings: Settings,
    mailbox: BaseMailBox,
    user: str,
    secret: tuple[str, bool],
    where: str,
    folder: str,
    create_folders: bool,
) -> list[Check]:
    password, oauth = secret
    try:
        if oauth:
            mailbox.xoauth2(user, password, initial_folder=None)
        else:
            mailbox.login(user, password, initial_folder=None)
    except MailboxLoginError:
        return [
            Check(
                FAIL,
                "imap login",
                f"login refused for {user} on {where}: check the user in 'mailbox' and "
                + ("the OAuth 2 token" if oauth else f"the password in {IMAP_PASSWORD_ENV}"),
            )
        ]
    checks = [Check(OK, "imap login", f"logged in as {user} on {where}")]
    try:
        typ, data = mailbox.client.capability()  # after login: imaplib keeps the old ones
        caps = set(data[-1].decode().upper().split()) if typ == "OK" and data else set()
        checks.append(_folders(settings, mailbox, folder, create_folders))
        checks.append(_move(caps))
        if not getattr(settings, "imap_idle", True):
            checks.append(
                Check(SKIP, "idle", f"imap_idle is false: polls every {settings.poll_seconds} s")
            )
        else:
            checks.append(_idle(caps, where, settings.poll_seconds))
    except NETWORK as exc:
        checks.append(Check(FAIL, "imap", f"{where} dropped the connection ({exc})"))
    return checks


def _idle(caps: set[str], where: str, poll_seconds: int) -> Check:
    return (
        Check(OK, "idle", "IDLE available: new mail is picked up as soon as it arrives")
        if "IDLE" in caps
        else Check(
            WARN,
            "idle",
            f"no IDLE on {where}: the worker polls every {poll_seconds} s "
            "(lower poll_seconds for faster pickup)",
        )
    )


def _folders(settings: Settings, mailbox: BaseMailBox, inbox: str, create: bool) -> Check:
    if not mailbox.folder.exists(inbox):
        return Check(
            FAIL, "folders", f"folder {inbox!r} not found: fix 'mailbox' (the case counts)"
        )
    processed = settings.processed_folder
    if mailbox.folder.exists(processed):
        return Check(OK, "folders", f"{inbox!r} and {processed!r} exist")
    if create:
        mailbox.folder.create(processed)
        return Check(OK, "folders", f"{inbox!r} exists, {processed!r} created")
    return Check(
        WARN,
        "folders",
        f"{inbox!r} exists, {processed!r} does not: create it with "
        "`intake doctor --create-folders` (or let the worker do it at first start)",
    )


def _move(caps: set[str]) -> Check:
    if "MOVE" in caps or "UIDPLUS" in caps:
        return Check(OK, "imap move", "MOVE" if "MOVE" in caps else "UIDPLUS (copy and expunge)")
    return Check(
        FAIL,
        "imap move",
        "the server has neither MOVE nor UIDPLUS: processed mail cannot be moved safely; "
        "use another server or account",
    )


def _maildir_checks(settings: Settings, path: Path) -> list[Check]:
    if not path.is_dir():
        return [
            Check(
                FAIL, "maildir", f"{path} does not exist: create it or fix 'mailbox' (maildir://)"
            )
        ]
    if not os.access(path, os.W_OK):
        return [Check(FAIL, "maildir", f"{path} is not writable by this user")]
    count = sum(
        len(list((path / sub).iterdir())) for sub in ("new", "cur") if (path / sub).is_dir()
    )
    return [
        Check(OK, "maildir", f"{path}: {count} message(s) waiting"),
        Check(SKIP, "idle", f"Maildir: the worker looks every {settings.poll_seconds} s"),
    ]


def outbox_check(settings: Settings) -> Check:
    parts = urlsplit(settings.outbox)
    if parts.scheme == "dir":
        folder = settings.path(unquote(parts.netloc + parts.path))
        parent = next((p for p in (folder, *folder.parents) if p.exists()), Path("."))
        if not os.access(parent, os.W_OK):
            return Check(FAIL, "smtp", f"{folder} cannot be written: fix 'outbox' or permissions")
        return Check(OK, "smtp", f"no SMTP: mails are written as .eml files to {folder}")
    tls = parts.scheme == "smtps"
    where = f"{parts.hostname}:{parts.port or (465 if tls else 25)}"
    try:
        cls = smtplib.SMTP_SSL if tls else smtplib.SMTP
        with cls(parts.hostname or "", parts.port or (465 if tls else 25), timeout=TIMEOUT) as conn:
            code, banner = conn.ehlo()
            if parts.username:
                password = os.environ.get(SMTP_PASSWORD_ENV)
                if not password:
                    return Check(
                        FAIL,
                        "smtp",
                        f"{SMTP_PASSWORD_ENV} is not set: put the password of {parts.username} "
                        "in the environment file",
                    )
                conn.login(unquote(parts.username), password)
    except smtplib.SMTPAuthenticationError:
        return Check(
            FAIL,
            "smtp",
            f"{where} refused the login of {parts.username}: check {SMTP_PASSWORD_ENV}",
        )
    except (OSError, smtplib.SMTPException) as exc:
        return Check(
            FAIL,
            "smtp",
            f"cannot reach {where} ({exc}): check 'outbox' in intake.yaml and that the "
            "server is running",
        )
    name = banner.decode(errors="replace").splitlines()[0] if banner else "?"
    return Check(OK, "smtp", f"{where} accepts connections (EHLO {code} {name})")


def send_test(settings: Settings, address: str) -> Check:
    if "@" not in parseaddr(address)[1]:
        return Check(FAIL, "test mail", f"{address!r} is not an email address")
    now = dt.datetime.now(dt.UTC)
    sender_address = settings.sender_address
    raw = compose(
        sender=settings.sender,
        recipients=[address],
        subject="intake-3975 : message de test (intake doctor)",
        body=(
            "Ce message de test a été envoyé par `intake doctor --send-test`.\n"
            "S'il vous parvient, l'envoi de courriels fonctionne.\n"
        ),
        message_id=new_message_id("test", None, sender_address.rpartition("@")[2]),
        ref=None,
        now=now,
        auto_submitted="auto-generated",
    )
    try:
        sender = open_sender(settings.outbox, settings.base_dir)
        try:
            where = sender.send(
                mail_id=0, envelope_from=sender_address, recipients=[address], raw=raw
            )
        finally:
            sender.close()
    except IntakeError as exc:
        return Check(FAIL, "test mail", f"not delivered to {address}: {exc}")
    return Check(OK, "test mail", f"accepted for {address} by {where}: check that it arrived")
