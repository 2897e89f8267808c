"""The shape every mailbox source has: yield raw messages, acknowledge each after commit."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class SourceMessage:
    """One message as the source holds it; `uid` is what `ack` needs to move it."""

    uid: str
    raw: bytes
    #: IMAP UIDVALIDITY of the folder (None for Maildir): a uid means nothing without it.
    uidvalidity: int | None = None


class Source(Protocol):
    """A mailbox. Nothing is flagged, moved or deleted until `ack` is called."""

    #: A short description without secrets, for logs and the demo table.
    label: str

    def fetch(self) -> Iterator[SourceMessage]:
        """Every message waiting in the inbox, oldest first."""
        ...

    def ack(self, uid: str) -> None:
        """Move a committed message to the processed folder (idempotent)."""
        ...

    def ack_all(self, uids: list[str]) -> None:
        """`ack` several messages at once (one command where the source allows it)."""
        ...

    def set_aside(self, uid: str) -> None:
        """Move a message that could not be processed to the quarantine folder (idempotent)."""
        ...

    def wait(self, timeout: float) -> bool:
        """Block up to `timeout` seconds; True when new mail may have arrived."""
        ...

    def close(self) -> None: ...
