"""The reads and writes of a purge (intake/operations/retention.py says what is due and why)."""

from __future__ import annotations

import json
from typing import Any

from intake.store.database import Store
from intake.store.records import TicketStatus


def _ids(store: Store, sql: str, args: list[Any]) -> list[int]:
    return [int(r[0]) for r in store.db.execute(sql, args).fetchall()]


def _marks(n: int) -> str:
    return ",".join("?" * n)


def untouched_tickets(store: Store, cutoff: str) -> list[tuple[int, str, TicketStatus]]:
    """(id, reference, status) of the tickets not yet purged to which nothing happened
    since `cutoff`."""
    rows = store.db.execute(
        "select id, ref, status from tickets where purged_at is null and max(created_at,"
        " coalesce(updated_at, created_at), coalesce(decided_at, created_at)) < ?",
        [cutoff],
    ).fetchall()
    return [(int(i), str(ref), TicketStatus(status)) for i, ref, status in rows]


def unpurged_tickets(store: Store) -> set[int]:
    return set(_ids(store, "select id from tickets where purged_at is null", []))


def tickets_of_messages(store: Store) -> dict[int, set[int]]:
    """Message row -> the tickets it made or answered."""
    links: dict[int, set[int]] = {}
    for message, ticket in store.db.execute(
        "select message_row, id from tickets union "
        "select message_row, ticket_id from events where message_row is not null"
        " and ticket_id is not null"
    ).fetchall():
        links.setdefault(int(message), set()).add(int(ticket))
    return links


def messages_received_before(store: Store, cutoff: str) -> list[int]:
    return _ids(
        store, "select id from messages where purged_at is null and received_at < ?", [cutoff]
    )


def mails_of(store: Store, tickets: list[int], messages: list[int]) -> list[int]:
    """Outbox rows not yet purged nor waiting, about these tickets or caused by these messages."""
    return _ids(
        store,
        f"select id from outbox where purged_at is null and status != 'pending' and"
        f" (ticket_id in ({_marks(len(tickets))}) or message_row in ({_marks(len(messages))}))",
        [*tickets, *messages],
    )


def events_of(store: Store, tickets: list[int], messages: list[int]) -> list[int]:
    """Events not yet purged of these tickets, or of these messages when about no ticket."""
    return _ids(
        store,
        f"select id from events where purged_at is null and (ticket_id in ({_marks(len(tickets))})"
        f" or (ticket_id is null and message_row in ({_marks(len(messages))})))",
        [*tickets, *messages],
    )


def approvals_of(store: Store, tickets: list[int]) -> list[int]:
    return _ids(
        store,
        f"select id from approvals where purged_at is null and ticket_id in"
        f" ({_marks(len(tickets))})",
        tickets,
    )


def approvers_of(store: Store, tickets: list[int]) -> list[str]:
    """Everyone asked to approve one of these tickets, in any round."""
    rows = store.db.execute(
        f"select approver from approvals where ticket_id in ({_marks(len(tickets))})", tickets
    ).fetchall()
    return [str(a) for (a,) in rows]


def senders_of(store: Store, messages: list[int]) -> list[tuple[str | None, int | None]]:
    """(From, the ticket it made or None) of each of these messages."""
    rows = store.db.execute(
        f"select m.id, m.sender, t.id from messages m left join tickets t on t.message_row = m.id"
        f" where m.id in ({_marks(len(messages))})",
        messages,
    ).fetchall()
    return [(sender, ticket_id) for _, sender, ticket_id in rows]


def agents_of(store: Store, tickets: list[int]) -> dict[int, str]:
    """The 39 75 agent each of these tickets names, when it names one."""
    rows = store.db.execute(
        f"select id, agent_3975 from tickets where agent_3975 is not null and id in"
        f" ({_marks(len(tickets))})",
        tickets,
    ).fetchall()
    return {int(ticket_id): str(name) for ticket_id, name in rows}


def delivered_to(store: Store, mail_id: int) -> str | None:
    """Where a mail was handed over (a file of the dir:// outbox, or the SMTP server)."""
    row = store.db.execute("select delivered_to from outbox where id = ?", [mail_id])
    return row.fetchone()[0]


def event(store: Store, event_id: int) -> tuple[int | None, str, dict[str, Any]]:
    """An event's ticket, actor and detail."""
    ticket_id, actor, detail = store.db.execute(
        "select ticket_id, actor, detail from events where id = ?", [event_id]
    ).fetchone()
    return ticket_id, actor, json.loads(detail or "{}")


def rewrite_event(
    store: Store, event_id: int, *, actor: str, detail: dict[str, Any], purged_at: str
) -> None:
    store.db.table("events").update(
        event_id,
        {
            "actor": actor,
            "detail": json.dumps(detail, ensure_ascii=False),
            "purged_at": purged_at,
        },
    )


def overwrite_freed_space(store: Store) -> None:
    """From now on, what SQLite frees is overwritten with zeros."""
    store.db.execute("PRAGMA secure_delete=ON")


def truncate_log(store: Store) -> None:
    """Write the write-ahead log back and empty it: it keeps no copy of what was erased."""
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
