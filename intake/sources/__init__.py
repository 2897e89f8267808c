"""Mailbox sources: where fiches arrive."""

from __future__ import annotations

from intake.config.settings import Settings
from intake.errors import ConfigError
from intake.sources.base import Source, SourceMessage
from intake.sources.imap_account import IMAP_PASSWORD_ENV, credentials, parse_mailbox

__all__ = ["Source", "SourceMessage", "open_source"]


def open_source(settings: Settings) -> Source:
    url = parse_mailbox(settings.mailbox)
    if url.scheme == "maildir":
        from intake.sources.maildir import MaildirSource

        return MaildirSource(
            settings.path(url.path), settings.processed_folder, settings.quarantine_folder
        )
    if url.scheme in ("imap", "imaps"):
        from intake.sources.imap import ImapSource

        if not url.host or not url.user:
            raise ConfigError(f"mailbox {settings.mailbox!r}: write imap://user@host:port/FOLDER")
        account = credentials(settings.auth, settings.oauth2_token_command)
        if not account.password and account.token is None:
            raise ConfigError(f"{IMAP_PASSWORD_ENV} is not set: export the mailbox password")
        return ImapSource(
            host=url.host,
            port=url.port,
            user=url.user,
            password=account.password,
            folder=url.folder,
            processed_folder=settings.processed_folder,
            quarantine_folder=settings.quarantine_folder,
            token=account.token,
            ssl=url.tls,
            idle=settings.imap_idle,
        )
    raise ConfigError(f"mailbox {settings.mailbox!r}: use imap://, imaps:// or maildir://")
