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
from intake.migrations import migrations

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
        with self.db.atomic():
            yield

    def _table(self, name: str) -> Table:
        return self.db.table(name)

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
            row_id = self._table("messages").insert({**record, "status": "received"}).last_pk
        return _pk(row_id), "received"

    def message(self, row_id: int) -> Row:
        return dict(self._table("messages").get(row_id))

    def quarantined(self) -> list[Row]:
        return list(self._table("messages").rows_where("status = 'quarantined'", order_by="id"))

    def mark_message(self, row_id: int, **fields: Any) -> None:
        self._table("messages").update(row_id, fields)

    # -- tickets ------------------------------------------------------------------------

    def next_sequence(self, year: int) -> int:
        """The next ticket number of `year`; call inside the transaction that inserts it."""
        row = self.db.execute("select max(seq) from tickets where year = ?", [year]).fetchone()
        return int(row[0] or 0) + 1

    def insert_ticket(self, record: Row) -> int:
        return _pk(self._table("tickets").insert(_encode(record)).last_pk)

    def ticket_for_fiche(self, message_row: int, fiche_index: int) -> Row | None:
        rows = self._table("tickets").rows_where(
            "message_row = ? and fiche_index = ?", [message_row, fiche_index]
        )
        return next((_decode(r) for r in rows), None)

    def ticket_by_ref(self, ref: str) -> Row | None:
        rows = self._table("tickets").rows_where("ref = ?", [ref])
        return next((_decode(r) for r in rows), None)

    def ticket(self, ticket_id: int) -> Row:
        try:
            return _decode(self._table("tickets").get(ticket_id))
        except NotFoundError as exc:
            raise IntakeError(f"no ticket with id {ticket_id}") from exc

    def tickets(self, *, status: str | None = None, limit: int | None = None) -> list[Row]:
        where, args = ("status = ?", [status]) if status else (None, [])
        rows = self._table("tickets").rows_where(where, args, order_by="id", limit=limit)
        return [_decode(r) for r in rows]

    def update_ticket(self, ticket_id: int, **fields: Any) -> None:
        self._table("tickets").update(ticket_id, _encode(fields))

    # -- approvals ------------------------------------------------------------------------

    def add_approval(self, record: Row) -> int:
        return _pk(self._table("approvals").insert({**record, "status": "open"}).last_pk)

    def approvals(self, ticket_id: int, round_: int | None = None) -> list[Row]:
        where, args = "ticket_id = ?", [ticket_id]
        if round_ is not None:
            where, args = where + " and round = ?", [ticket_id, round_]
        return list(self._table("approvals").rows_where(where, args, order_by="id"))

    def open_approvals(self) -> list[Row]:
        return list(self._table("approvals").rows_where("status = 'open'", order_by="id"))

    def update_approval(self, approval_id: int, **fields: Any) -> None:
        self._table("approvals").update(approval_id, fields)

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
        self._table("events").insert(
            {
                "at": at,
                "actor": actor,
                "kind": kind,
                "ticket_id": ticket_id,
                "message_row": message_row,
                "detail": json.dumps(detail, ensure_ascii=False, default=str),
            }
        )

    def events(self, ticket_id: int) -> list[Row]:
        rows = self._table("events").rows_where("ticket_id = ?", [ticket_id], order_by="id")
        return [{**r, "detail": json.loads(r["detail"] or "{}")} for r in rows]

    # -- outbox -------------------------------------------------------------------------

    def enqueue(self, record: Row) -> int:
        row = {**record, "recipients": json.dumps(record["recipients"]), "status": "pending"}
        return _pk(self._table("outbox").insert(row).last_pk)

    def due_mail(self, now: str) -> list[Row]:
        rows = self._table("outbox").rows_where(
            # `sending`: a delivery the previous run did not finish.
            "status = 'sending' or "
            "(status = 'pending' and (next_attempt_at is null or next_attempt_at <= ?))",
            [now],
            order_by="id",
        )
        return [_decode_mail(r) for r in rows]

    def mails(self, status: str | None) -> list[Row]:
        where, args = ("status = ?", [status]) if status else (None, [])
        rows = self._table("outbox").rows_where(where, args, order_by="id")
        return [_decode_mail(r) for r in rows]

    def mail_for_ticket(self, ticket_id: int) -> list[Row]:
        rows = self._table("outbox").rows_where("ticket_id = ?", [ticket_id], order_by="id")
        return [_decode_mail(r) for r in rows]

    def update_mail(self, mail_id: int, **fields: Any) -> None:
        self._table("outbox").update(mail_id, fields)

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

    def suppressed(self, address: str, now: str) -> bool:
        return bool(self.count("suppressions", "address = ? and until > ?", [address, now]))

    def sent_since(self, address: str, since: str) -> int:
        """Mails handed over to `address` since `since` (recipients are a JSON list)."""
        return self.count(
            "outbox",
            "status = 'sent' and sent_at > ? and recipients like ?",
            [since, f'%"{address}"%'],
        )

    def count(self, table: str, where: str | None = None, args: list[Any] | None = None) -> int:
        return self._table(table).count_where(where, args) if where else self._table(table).count


def _pk(value: Any) -> int:
    if value is None:
        raise IntakeError("the database returned no row id after an insert")
    return int(value)


_JSON_COLUMNS = (
    "errors",
    "warnings",
    "approvers",
    "recipients",
    "redactions",
    "escalate_to",
    "templates",
)


def _encode(record: Row) -> Row:
    return {
        k: json.dumps(v, ensure_ascii=False) if k in _JSON_COLUMNS and v is not None else v
        for k, v in record.items()
    }


def _decode(row: Row) -> Row:
    return {k: json.loads(v) if k in _JSON_COLUMNS and v else v for k, v in row.items()}


def _decode_mail(row: Row) -> Row:
    return {**row, "recipients": json.loads(row["recipients"])}
