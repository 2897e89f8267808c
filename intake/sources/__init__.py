"""Mailbox sources: where fiches arrive."""

from __future__ import annotations

import os
from urllib.parse import unquote, urlsplit

from intake.config import Settings
from intake.errors import ConfigError
from intake.sources.base import Source, SourceMessage
from outbox.oauth import configured_token

IMAP_PASSWORD_ENV = "INTAKE_IMAP_PASSWORD"

__all__ = ["IMAP_PASSWORD_ENV", "Source", "SourceMessage", "open_source"]


def open_source(settings: Settings) -> Source:
    parts = urlsplit(settings.mailbox)
    if parts.scheme == "maildir":
        from intake.sources.maildir import MaildirSource

        return MaildirSource(
            settings.path(unquote(parts.netloc + parts.path)),
            settings.processed_folder,
            settings.quarantine_folder,
        )
    if parts.scheme in ("imap", "imaps"):
        from intake.sources.imap import ImapSource

        if not parts.hostname or not parts.username:
            raise ConfigError(f"mailbox {settings.mailbox!r}: write imap://user@host:port/FOLDER")
        token = configured_token(settings.auth, settings.oauth2_token_command)
        password = os.environ.get(IMAP_PASSWORD_ENV, "")
        if not password and token is None:
            raise ConfigError(f"{IMAP_PASSWORD_ENV} is not set: export the mailbox password")
        tls = parts.scheme == "imaps"
        return ImapSource(
            host=parts.hostname,
            port=parts.port or (993 if tls else 143),
            user=unquote(parts.username),
            password=password,
            folder=unquote(parts.path.lstrip("/")) or "INBOX",
            processed_folder=settings.processed_folder,
            quarantine_folder=settings.quarantine_folder,
            token=token,
            ssl=tls,
            idle=settings.imap_idle,
        )
    raise ConfigError(f"mailbox {settings.mailbox!r}: use imap://, imaps:// or maildir://")
