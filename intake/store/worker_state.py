"""What the worker last did, kept in the database for `intake status` (table worker_state)."""

from __future__ import annotations

import os
import sqlite3

from intake.store.database import Store

#: Keys written by the worker.
STARTED, STOPPED, PID, LAST_POLL, LAST_RESULT, LAST_ERROR = (
    "started_at",
    "stopped_at",
    "pid",
    "last_poll_at",
    "last_poll_result",
    "last_poll_error",
)


def record(store: Store, at: str, **values: str | None) -> None:
    """Set some keys; None clears one. Never raises: the state is a report, not a duty."""
    rows = [{"key": k, "value": v, "updated_at": at} for k, v in values.items()]
    try:
        with store.transaction():
            store.db.table("worker_state").upsert_all(rows, pk="key")
    except sqlite3.Error:
        pass  # a busy or read-only database must not stop the worker


def record_start(store: Store, at: str) -> None:
    record(store, at, **{STARTED: at, STOPPED: None, PID: str(os.getpid())})


def record_stop(store: Store, at: str) -> None:
    record(store, at, **{STOPPED: at})


def record_poll(store: Store, at: str, *, messages: int, mails: int, error: str | None) -> None:
    """One poll: how many messages were read and mails handed over, or why the mailbox failed."""
    result = f"{messages} message(s) read, {mails} mail(s) handed over"
    record(store, at, **{LAST_POLL: at, LAST_RESULT: result, LAST_ERROR: error})


def read(store: Store) -> dict[str, str]:
    if "worker_state" not in store.db.table_names():
        return {}
    return {
        row["key"]: row["value"]
        for row in store.db.table("worker_state").rows
        if row["value"] is not None
    }
