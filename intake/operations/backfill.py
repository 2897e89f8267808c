"""Read the messages of a mailbox folder since a date, without flagging or moving anything:
what `intake backfill` imports. The store's dedupe (Message-ID + sha256) makes it idempotent."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from email.utils import parsedate_to_datetime
from pathlib import Path

from imap_tools import BaseMailBox
from imap_tools.errors import MailboxFolderSelectError, MailboxLoginError

from intake.config.settings import Settings
from intake.errors import ConfigError, SourceError
from intake.sources.base import SourceMessage
from intake.sources.imap_account import (
    IMAP_PASSWORD_ENV,
    NETWORK_ERRORS,
    connect,
    credentials,
    login,
    logout,
    parse_mailbox,
)

UID_IN_FETCH = re.compile(rb"\bUID (\d+)")
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
BATCH = 200


@dataclass
class Folder:
    """A folder's messages since a date: `count` (for the progress bar), then `messages`."""

    label: str
    count: int
    messages: Iterator[SourceMessage]

    def close(self) -> None:
        close = getattr(self.messages, "close", None)
        if close is not None:
            close()


def open_folder(settings: Settings, folder: str, since: dt.date) -> Folder:
    url = parse_mailbox(settings.mailbox)
    if url.scheme == "maildir":
        return _maildir(settings.path(url.path), folder, since)
    return _imap(settings, folder, since)


def _maildir(root: Path, folder: str, since: dt.date) -> Folder:
    path = root if folder in ("", ".", "INBOX") else root / f".{folder}"
    if not path.is_dir():
        raise ConfigError(f"no Maildir folder {folder!r} ({path} does not exist)")
    files = sorted(
        (p for sub in ("new", "cur") if (path / sub).is_dir() for p in (path / sub).iterdir()),
        key=lambda p: p.name,
    )
    chosen = [p for p in files if p.is_file() and _date_of(p) >= since]

    def read() -> Iterator[SourceMessage]:
        for file in chosen:
            with contextlib.suppress(FileNotFoundError):
                yield SourceMessage(f"{file.parent.name}/{file.name}", file.read_bytes())

    return Folder(f"maildir://{path}", len(chosen), read())


def _date_of(file: Path) -> dt.date:
    """The Date header's day, else the file's modification day."""
    with file.open("rb") as handle:
        headers = BytesHeaderParser().parse(handle)
    with contextlib.suppress(TypeError, ValueError, IndexError):
        return parsedate_to_datetime(str(headers["Date"])).date()
    return dt.date.fromtimestamp(file.stat().st_mtime)


def _imap(settings: Settings, folder: str, since: dt.date) -> Folder:
    url = parse_mailbox(settings.mailbox)
    account = credentials(settings.auth, settings.oauth2_token_command)
    secret = account.secret()
    if not secret:
        raise ConfigError(f"{IMAP_PASSWORD_ENV} is not set: export the mailbox password")
    user, where = url.user, url.where
    try:
        mailbox = connect(url, 30)
    except NETWORK_ERRORS as exc:
        raise SourceError(f"IMAP server unreachable at {where} ({exc}): check 'mailbox'") from exc
    try:
        login(mailbox, user, secret, oauth=account.token is not None)
        mailbox.folder.set(folder, readonly=True)  # EXAMINE: nothing can be flagged
        _, values = mailbox.client.response("UIDVALIDITY")
        validity = int(values[0]) if values and values[0] else None
        criterion = f"{since.day}-{MONTHS[since.month - 1]}-{since.year}"
        typ, data = mailbox.client.uid("SEARCH", "SINCE", criterion)
        if typ != "OK":
            raise SourceError(f"{where} refused the search of {folder!r}: {data!r}")
        uids = sorted(int(uid) for uid in data[0].split())
    except MailboxLoginError as exc:
        logout(mailbox)
        raise SourceError(
            f"IMAP login refused for {user} on {where}: check {IMAP_PASSWORD_ENV}"
        ) from exc
    except MailboxFolderSelectError as exc:
        logout(mailbox)
        raise SourceError(f"no folder {folder!r} for {user} on {where} (the case counts)") from exc
    except NETWORK_ERRORS as exc:
        logout(mailbox)
        raise SourceError(f"cannot read {folder!r} on {where}: {exc}") from exc
    label = f"{url.scheme}://{user}@{where}/{folder}"
    return Folder(label, len(uids), _fetch(mailbox, uids, validity, label))


def _fetch(
    mailbox: BaseMailBox, uids: list[int], validity: int | None, label: str
) -> Iterator[SourceMessage]:
    try:
        for start in range(0, len(uids), BATCH):
            chunk = ",".join(str(u) for u in uids[start : start + BATCH])
            try:
                typ, data = mailbox.client.uid("FETCH", chunk, "(UID BODY.PEEK[])")
            except NETWORK_ERRORS as exc:
                raise SourceError(f"{label}: connection lost ({exc}); run backfill again") from exc
            if typ != "OK":
                raise SourceError(f"{label} refused UID FETCH: {data!r}")
            found = {}
            for item in data:
                if isinstance(item, tuple) and (match := UID_IN_FETCH.search(item[0])):
                    found[int(match.group(1))] = item[1]
            for uid in sorted(found):
                yield SourceMessage(str(uid), found[uid], validity)
    finally:
        logout(mailbox)
