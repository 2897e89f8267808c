"""What is waiting, and since when: the queues `intake status` shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from intake.store.database import Store


@dataclass(frozen=True)
class Queue:
    name: str
    count: int
    #: When the oldest item entered the queue (ISO 8601), and what it is.
    oldest_at: str | None
    oldest: str | None
    #: The command that lists the queue.
    see: str


#: name, table, condition, time column, label expression, command listing the queue.
QUERIES = (
    (
        "pending approvals",
        "tickets",
        "status = 'pending_approval'",
        "created_at",
        "ref",
        "intake tickets list --status pending_approval",
    ),
    (
        "outbox pending",
        "outbox",
        "status in ('pending', 'sending')",
        "created_at",
        "'mail ' || id || ' (' || template || ')'",
        "intake outbox list --status pending",
    ),
    (
        "outbox held",
        "outbox",
        "status in ('held', 'suppressed')",
        "created_at",
        "'mail ' || id || ' (' || template || ')'",
        "intake outbox list --status held",
    ),
    (
        "outbox failed",
        "outbox",
        "status = 'failed'",
        "created_at",
        "'mail ' || id || ' (' || template || ')'",
        "intake outbox list",
    ),
    (
        "quarantine",
        "messages",
        "status = 'quarantined'",
        "received_at",
        "'message ' || id",
        "intake quarantine list",
    ),
    (
        "not yet processed",
        "messages",
        "status = 'received'",
        "received_at",
        "'message ' || id",
        "intake run --once",
    ),
)


def queues(store: Store) -> list[Queue]:
    found = []
    for name, table, where, at, label, see in QUERIES:
        count = store.db.execute(f"select count(*) from {table} where {where}").fetchone()[0]
        oldest = store.db.execute(
            f"select {at}, {label} from {table} where {where} order by {at}, id limit 1"
        ).fetchone()
        at_, what = oldest if oldest else (None, None)
        found.append(Queue(name, int(count), at_, what, see))
    return found


@dataclass(frozen=True)
class Deferred:
    """Mails that wait for a retry (a temporary failure, or the daily cap per address)."""

    count: int
    #: When the first and the last of them are tried again (ISO 8601).
    next_at: str | None
    until: str | None

    def describe(self) -> str:
        """One line for `intake status` and `intake run --once`; empty when none waits."""
        if not self.count:
            return ""
        return (
            f"{self.count} mail(s) wait for a retry, the next at {_local(self.next_at)}, "
            f"the last until {_local(self.until)}: `intake outbox retry --deferred` sends "
            "them now"
        )


def deferred(store: Store, now: str) -> Deferred:
    count, first, last = store.db.execute(
        "select count(*), min(next_attempt_at), max(next_attempt_at) from outbox"
        " where status = 'pending' and next_attempt_at > ?",
        [now],
    ).fetchone()
    return Deferred(int(count), first, last)


def _local(at: str | None) -> str:
    return dt.datetime.fromisoformat(at).astimezone().strftime("%Y-%m-%d %H:%M") if at else "-"
