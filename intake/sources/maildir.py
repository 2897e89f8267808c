"""A local Maildir as the mailbox: the embedded default, no server needed."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from intake.errors import SourceError
from intake.sources.base import SourceMessage


class MaildirSource:
    """Reads `new/` and `cur/`; `ack` renames the file into the processed Maildir++ folder."""

    def __init__(self, path: Path, processed_folder: str, quarantine_folder: str) -> None:
        self.path = path
        self.processed = path / f".{processed_folder}"
        self.quarantine = path / f".{quarantine_folder}"
        self.label = f"maildir://{path}"
        for folder in (path, self.processed, self.quarantine):
            for sub in ("new", "cur", "tmp"):
                try:
                    (folder / sub).mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise SourceError(
                        f"cannot use the Maildir {folder}: {exc.strerror}; check 'mailbox'"
                    ) from exc

    def _files(self) -> list[Path]:
        files = [p for sub in ("new", "cur") for p in (self.path / sub).iterdir() if p.is_file()]
        # Maildir names start with the delivery time: sorting by name keeps arrival order.
        return sorted(files, key=lambda p: (p.name.split(".", 1)[0], p.name))

    def fetch(self) -> Iterator[SourceMessage]:
        for file in self._files():
            try:
                raw = file.read_bytes()
            except FileNotFoundError:
                continue  # moved by someone else meanwhile
            yield SourceMessage(uid=f"{file.parent.name}/{file.name}", raw=raw)

    def ack(self, uid: str) -> None:
        self._move(uid, self.processed)

    def ack_all(self, uids: list[str]) -> None:
        for uid in uids:
            self.ack(uid)

    def set_aside(self, uid: str) -> None:
        self._move(uid, self.quarantine)

    def _move(self, uid: str, folder: Path) -> None:
        sub, _, name = uid.partition("/")
        source = self.path / sub / name
        base = name.split(":", 1)[0]
        # A rename within one file system is atomic: the message is in one folder or the other.
        # Not found: already moved by an earlier run.
        with contextlib.suppress(FileNotFoundError):
            os.replace(source, folder / "cur" / f"{base}:2,S")

    def wait(self, timeout: float) -> bool:
        time.sleep(timeout)
        return True

    def close(self) -> None:
        return None


def deliver_to_maildir(path: Path, raw: bytes, name: str) -> Path:
    """Put a message into a Maildir's `new/` the way a delivery agent does (tmp, then rename)."""
    for sub in ("new", "cur", "tmp"):
        (path / sub).mkdir(parents=True, exist_ok=True)
    tmp = path / "tmp" / name
    tmp.write_bytes(raw)
    target = path / "new" / name
    os.replace(tmp, target)
    return target
