"""The mail queue as the delivery sees it: a queued mail, and the few things it asks of the queue.

The outbox table lives in the worker's database: a mail is queued in the same transaction as
the ticket and the event that cause it, and the queries that screen a mail read the messages
and suppressions beside it. So the store keeps the table's SQL, and the delivery is handed only
the narrow interface below, which intake's Store has (mypy checks it where the worker hands
its store over). A test, or another program, can deliver from anything else with these methods.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, fields
from typing import Any, Protocol


@dataclass(frozen=True)
class QueuedMail:
    """One row of the outbox table, its recipients read from their JSON list."""

    id: int
    ticket_id: int | None
    message_row: int | None
    template: str
    recipients: list[str]
    subject: str
    message_id: str
    #: The bytes handed to the server, fixed (Message-ID included) when the mail was queued.
    raw: bytes
    #: pending -> sending -> sent | failed; `held` while a suppression lasts, `suppressed`
    #: when no recipient is left to write to.
    status: str
    attempts: int | None
    next_attempt_at: str | None
    last_error: str | None
    delivered_to: str | None
    created_at: str
    sent_at: str | None
    purged_at: str | None
    #: `answer` (to incoming mail: the daily cap per recipient holds it) or `procedure`.
    purpose: str
    #: The sender whose fiche (or invalid fiche) caused the mail; None for any other mail.
    origin: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The row as JSON and tables see it: the table's columns in their order, then `origin`."""
        return {name: getattr(self, name) for name in _MAIL_FIELDS}


_MAIL_FIELDS = tuple(f.name for f in fields(QueuedMail))


class MailQueue(Protocol):
    """What one delivery round reads and writes: due mails, counts for the caps, suppressions,
    and the record of each attempt."""

    def due_mail_page(
        self, now: str, after_id: int, limit: int, up_to: int | None = None
    ) -> list[QueuedMail]:
        """Mails due at `now` with an id above `after_id` (and at most `up_to`), in id order."""
        ...

    def sent_counts(self, since: str) -> dict[str, int]:
        """Answers handed over to each address since `since`."""
        ...

    def sent_counts_by_origin(self, since: str) -> dict[str, int]:
        """Mails handed over since `since` that each sender's fiches caused."""
        ...

    def suppressed(self, address: str, now: str) -> bool: ...

    def suppression(self, address: str, now: str) -> Mapping[str, Any] | None:
        """The suppression in force for `address` (its `until`), if any."""
        ...

    def enqueue(self, record: dict[str, Any]) -> int:
        """Queue a new mail (status `pending`); returns its id."""
        ...

    def update_mail(self, mail_id: int, **fields: Any) -> None: ...

    def add_event(
        self,
        *,
        at: str,
        actor: str,
        kind: str,
        ticket_id: int | None = None,
        message_row: int | None = None,
        **detail: Any,
    ) -> None:
        """Record what happened to a mail in the audit trail of its ticket."""
        ...

    def ticket_ref(self, ticket_id: int) -> str | None: ...

    def transaction(self) -> AbstractContextManager[None]:
        """Writes that commit together."""
        ...

    def relaxed_durability(self) -> AbstractContextManager[None]:
        """Commits that may be lost to a power cut (a lost delivery record costs a resend)."""
        ...

    def close(self) -> None: ...
