"""The SQLite store: raw messages, tickets, the audit trail and the outbox, in one file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from sqlite_utils.db import NotFoundError, Table

from intake.errors import IntakeError
from intake.store.migrations import migrations
from intake.store.records import (
    AnonymousTicket,
    Approval,
    ApprovalStatus,
    SentMail,
    Ticket,
    TicketStatus,
)
from outbox.queue import QueuedMail

Row = dict[str, Any]


class Store:
    """Typed access to the database. Writes that belong together go in `transaction()`."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = Database(path)
            self.db.enable_wal()
            # FULL: once a commit returns, the source message may be moved; it must be durable.
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA busy_timeout=10000")
            migrations.apply(self.db)
        except Exception as exc:  # sqlite3 raises several unrelated types here
            raise IntakeError(
                f"cannot open the database {path}: {exc}; check the path and its permissions"
            ) from exc
        self.path = path

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Writes that commit together; nested, a savepoint. The outermost takes the write lock
        first (BEGIN IMMEDIATE): a transaction that read before writing could otherwise be
        refused at once, without waiting, if the delivery thread's connection wrote meanwhile."""
        if self.db.conn.in_transaction:
            with self.db.atomic():
                yield
            return
        self.db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.rollback()
            raise
        try:
            self.db.conn.execute("COMMIT")
        except BaseException:
            self.db.rollback()
            raise

    def _table(self, name: str) -> Table:
        return self.db.table(name)

    # Hot paths in plain SQL: sqlite-utils' Table.insert/update/get read the table's schema on
    # every call (several statements each), which cost more than the writes themselves.
    def _insert(self, table: str, record: Row) -> int:
        columns = ", ".join(f"[{c}]" for c in record)
        marks = ", ".join("?" for _ in record)
        cursor = self.db.execute(
            f"insert into [{table}] ({columns}) values ({marks})",
            [_jsonify(v) for v in record.values()],
        )
        return _pk(cursor.lastrowid)

    def _update(self, table: str, row_id: int, fields: Row) -> None:
        if not fields:
            return
        assignments = ", ".join(f"[{c}] = ?" for c in fields)
        cursor = self.db.execute(
            f"update [{table}] set {assignments} where id = ?",
            [*(_jsonify(v) for v in fields.values()), row_id],
        )
        if cursor.rowcount == 0:
            raise NotFoundError(f"no row {row_id} in {table}")

    def _get(self, table: str, row_id: int) -> Row:
        cursor = self.db.execute(f"select * from [{table}] where id = ?", [row_id])
        row = cursor.fetchone()
        if row is None:
            raise NotFoundError(f"no row {row_id} in {table}")
        return dict(zip((d[0] for d in cursor.description), row, strict=True))

    def _select(self, sql: str, args: list[Any]) -> list[Row]:
        cursor = self.db.execute(sql, args)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # -- raw messages -------------------------------------------------------------------

    def save_raw(self, record: Row) -> tuple[int, str]:
        """Store a received message unless the same one (Message-ID + sha256) is there.

        Returns the row id and its status (`received` for a new one).
        """
        existing = self.db.execute(
            "select id, status from messages where message_id = ? and sha256 = ?",
            [record["message_id"], record["sha256"]],
        ).fetchone()
        if existing:
            return int(existing[0]), str(existing[1])
        with self.transaction():
            row_id = self._insert("messages", {**record, "status": "received"})
        return row_id, "received"

    def message(self, row_id: int) -> Row:
        return self._get("messages", row_id)

    def quarantined(self) -> list[Row]:
        return list(self._table("messages").rows_where("status = 'quarantined'", order_by="id"))

    def mark_message(self, row_id: int, **fields: Any) -> None:
        self._update("messages", row_id, fields)

    # -- tickets ------------------------------------------------------------------------

    def next_sequence(self, year: int) -> int:
        """The next ticket number of `year`; call inside the transaction that inserts it."""
        row = self.db.execute("select max(seq) from tickets where year = ?", [year]).fetchone()
        return int(row[0] or 0) + 1

    def insert_ticket(self, record: Row) -> int:
        return self._insert("tickets", _encode(record))

    def ticket_for_fiche(self, message_row: int, fiche_index: int) -> Ticket | None:
        rows = self._select(
            "select * from tickets where message_row = ? and fiche_index = ? limit 1",
            [message_row, fiche_index],
        )
        return _ticket(rows[0]) if rows else None

    def ticket_by_ref(self, ref: str) -> Ticket | None:
        rows = self._table("tickets").rows_where("ref = ?", [ref])
        return next((_ticket(r) for r in rows), None)

    def ticket(self, ticket_id: int) -> Ticket:
        try:
            return _ticket(self._get("tickets", ticket_id))
        except NotFoundError as exc:
            raise IntakeError(f"no ticket with id {ticket_id}") from exc

    def tickets(
        self, *, status: TicketStatus | None = None, limit: int | None = None
    ) -> list[Ticket]:
        where, args = ("status = ?", [status.value]) if status else (None, [])
        rows = self._table("tickets").rows_where(where, args, order_by="id", limit=limit)
        return [_ticket(r) for r in rows]

    def anonymous_tickets(self, since: str | None, until: str | None) -> list[AnonymousTicket]:
        """Tickets received from day `since` to day `until` (ISO dates, both included), from
        the `tickets_anonymous` view: no personal column."""
        where, args = ["1 = 1"], []
        if since:
            where.append("substr(created_at, 1, 10) >= ?")
            args.append(since)
        if until:
            where.append("substr(created_at, 1, 10) <= ?")
            args.append(until)
        rows = self._select(
            f"select * from tickets_anonymous where {' and '.join(where)} order by id", args
        )
        return [AnonymousTicket(**{**r, "status": TicketStatus(r["status"])}) for r in rows]

    def update_ticket(self, ticket_id: int, **fields: Any) -> None:
        self._update("tickets", ticket_id, _encode(fields))

    # -- approvals ------------------------------------------------------------------------

    def add_approval(self, record: Row) -> int:
        """A new approval, `open`."""
        return self._insert("approvals", {**record, "status": ApprovalStatus.OPEN.value})

    def approvals(self, ticket_id: int, round_: int | None = None) -> list[Approval]:
        where, args = "ticket_id = ?", [ticket_id]
        if round_ is not None:
            where, args = where + " and round = ?", [ticket_id, round_]
        rows = self._table("approvals").rows_where(where, args, order_by="id")
        return [_approval(r) for r in rows]

    def overdue_approvals(self, now: str, page: int = 500) -> Iterator[Approval]:
        """Open rounds of tickets still waiting that have waited at least their ticket's
        reminder or escalation delay (the caller decides which applies), a page at a time:
        after a backlog thousands wait, and each poll must neither load nor scan them all."""
        after = 0
        while rows := self._select(
            "select a.* from approvals a join tickets t on t.id = a.ticket_id "
            "where a.status = 'open' and a.id > ? and t.status = 'pending_approval' "
            "and a.round = t.approval_round and (julianday(a.requested_at) is null "
            "or julianday(a.requested_at) <= julianday(?) - min(coalesce(t.reminder_hours, "
            "48), coalesce(t.escalate_hours, 96)) / 24.0) order by a.id limit ?",
            [after, now, page],
        ):
            yield from (_approval(r) for r in rows)
            after = rows[-1]["id"]

    def update_approval(
        self, approval_id: int, *, status: ApprovalStatus | None = None, **fields: Any
    ) -> None:
        changes = {"status": status.value, **fields} if status is not None else fields
        self._update("approvals", approval_id, changes)

    # -- audit trail --------------------------------------------------------------------

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
        self._insert(
            "events",
            {
                "at": at,
                "actor": actor,
                "kind": kind,
                "ticket_id": ticket_id,
                "message_row": message_row,
                "detail": json.dumps(detail, ensure_ascii=False, default=str),
            },
        )

    def events(self, ticket_id: int) -> list[Row]:
        rows = self._table("events").rows_where("ticket_id = ?", [ticket_id], order_by="id")
        return [{**r, "detail": json.loads(r["detail"] or "{}")} for r in rows]

    # -- outbox -------------------------------------------------------------------------

    def enqueue(self, record: Row) -> int:
        row = {**record, "recipients": json.dumps(record["recipients"]), "status": "pending"}
        return self._insert("outbox", row)

    def due_mail_page(
        self, now: str, after_id: int, limit: int, up_to: int | None = None
    ) -> list[QueuedMail]:
        """Mails due now, a page at a time (by id), so a long outbox is never all in memory
        (`sending`: a delivery the previous run did not finish; `held` ones once their
        suppression has ended, to be screened again); with `up_to`, none above that id. Each
        mail's `origin` is the sender whose fiche (or invalid fiche) caused it, None for any
        other mail."""
        rows = self._select(
            f"{_MAILS} where o.id > ? and o.id <= ? and (o.status = 'sending' or "
            "(o.status in ('pending', 'held') and (o.next_attempt_at is null or "
            "o.next_attempt_at <= ?))) "
            "order by o.id limit ?",
            [after_id, up_to if up_to is not None else 2**62, now, limit],
        )
        return [_mail(r) for r in rows]

    def ticket_ref(self, ticket_id: int) -> str | None:
        row = self.db.execute("select ref from tickets where id = ?", [ticket_id]).fetchone()
        return str(row[0]) if row else None

    def make_durable(self, at: str) -> None:
        """One FULL commit: it syncs the write-ahead log, and with it every commit made under
        `relaxed_durability` before it. Called before messages leave the inbox."""
        with self.transaction():
            self.db.execute(
                "insert or replace into worker_state (key, value, updated_at) "
                "values ('durable_at', ?, ?)",
                [at, at],
            )

    def pending_mail_count(self) -> int:
        """Mails queued and not yet tried."""
        return self.count("outbox", "status = 'pending'")

    def last_mail_id(self) -> int:
        row = self.db.execute("select max(id) from outbox").fetchone()
        return int(row[0] or 0)

    @contextmanager
    def relaxed_durability(self) -> Iterator[None]:
        """synchronous=NORMAL (WAL): a commit survives a crash of this process but maybe not a
        power cut. Only for writes whose loss costs a resend (the delivery records), never a
        fiche: a message leaves the inbox only after a FULL commit."""
        self.db.execute("PRAGMA synchronous=NORMAL")
        try:
            yield
        finally:
            self.db.execute("PRAGMA synchronous=FULL")

    def sent_counts(self, since: str) -> dict[str, int]:
        """Answers to incoming mail handed over to each address since `since` (what the
        daily cap per recipient counts), in one pass over the outbox."""
        counts: dict[str, int] = {}
        cursor = self.db.execute(
            "select recipients from outbox where status = 'sent' and sent_at > ? "
            "and purpose = 'answer'",
            [since],
        )
        for (recipients,) in cursor:
            for address in json.loads(recipients):
                counts[address] = counts.get(address, 0) + 1
        return counts

    def sent_counts_by_origin(self, since: str) -> dict[str, int]:
        """Mails handed over since `since` that each sender's fiches caused."""
        cursor = self.db.execute(
            f"select {_ORIGIN} as origin, count(*) from outbox o join messages m on "
            "m.id = o.message_row where o.status = 'sent' and o.sent_at > ? and origin is not "
            "null group by origin",
            [since],
        )
        return {str(origin): int(n) for origin, n in cursor}

    def queued_since(self, ticket_id: int, template: str, since: str) -> bool:
        """Whether a mail of `template` about this ticket was queued since `since`."""
        return bool(
            self.count(
                "outbox",
                "ticket_id = ? and template = ? and created_at > ?",
                [ticket_id, template, since],
            )
        )

    def mails(self, status: str | None) -> list[QueuedMail]:
        where, args = ("o.status = ?", [status]) if status else ("1 = 1", [])
        return [_mail(r) for r in self._select(f"{_MAILS} where {where} order by o.id", args)]

    def mail_for_ticket(self, ticket_id: int) -> list[QueuedMail]:
        rows = self._select(f"{_MAILS} where o.ticket_id = ? order by o.id", [ticket_id])
        return [_mail(r) for r in rows]

    def update_mail(self, mail_id: int, **fields: Any) -> None:
        self._update("outbox", mail_id, fields)

    # -- loop protection ------------------------------------------------------------------

    def suppress(self, address: str, *, reason: str, until: str, at: str, row: int | None) -> None:
        self._table("suppressions").upsert(
            {
                "address": address,
                "reason": reason,
                "until": until,
                "created_at": at,
                "message_row": row,
            },
            pk="address",
        )

    def sent_mails(self, message_ids: list[str]) -> list[SentMail]:
        """The mails we handed over with these Message-IDs."""
        if not message_ids:
            return []
        rows = self._select(
            "select id, ticket_id, recipients from outbox where status = 'sent' and "
            f"message_id in ({', '.join('?' for _ in message_ids)})",
            list(message_ids),
        )
        return [
            SentMail(**{**r, "recipients": [a.lower() for a in json.loads(r["recipients"])]})
            for r in rows
        ]

    def suppression(self, address: str, now: str) -> Row | None:
        """The suppression in force for `address`, if any."""
        rows = self._select(
            "select * from suppressions where address = ? and until > ?", [address, now]
        )
        return rows[0] if rows else None

    def lift_suppression(self, address: str) -> bool:
        return self.db.execute("delete from suppressions where address = ?", [address]).rowcount > 0

    def suppressed(self, address: str, now: str) -> bool:
        return bool(self.count("suppressions", "address = ? and until > ?", [address, now]))

    def count(self, table: str, where: str | None = None, args: list[Any] | None = None) -> int:
        return self._table(table).count_where(where, args) if where else self._table(table).count


def _pk(value: Any) -> int:
    if value is None:
        raise IntakeError("the database returned no row id after an insert")
    return int(value)


#: The sender whose fiche caused an outbox row `o` (its message `m`), else null.
_ORIGIN = "case when m.kind in ('fiche', 'invalid') then m.sender end"

#: Outbox rows `o` as QueuedMail reads them, their origin beside them.
_MAILS = (
    f"select o.*, {_ORIGIN} as origin from outbox o left join messages m on m.id = o.message_row"
)

_JSON_COLUMNS = (
    "errors",
    "warnings",
    "approvers",
    "recipients",
    "redactions",
    "escalate_to",
    "relay_to",
    "templates",
)


def _jsonify(value: Any) -> Any:
    """What sqlite-utils stores for a value: lists and dicts as JSON text."""
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, default=repr, ensure_ascii=False)
    return value


def _encode(record: Row) -> Row:
    return {
        k: json.dumps(v, ensure_ascii=False) if k in _JSON_COLUMNS and v is not None else v
        for k, v in record.items()
    }


def _decode(row: Row) -> Row:
    return {k: json.loads(v) if k in _JSON_COLUMNS and v else v for k, v in row.items()}


def _ticket(row: Row) -> Ticket:
    return Ticket(**{**_decode(row), "status": TicketStatus(row["status"])})


def _approval(row: Row) -> Approval:
    return Approval(**{**row, "status": ApprovalStatus(row["status"])})


def _mail(row: Row) -> QueuedMail:
    return QueuedMail(**{**row, "recipients": json.loads(row["recipients"])})
