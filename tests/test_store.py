"""The SQLite store: migrations, raw messages kept once, one ticket per fiche."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from intake.store.database import Store
from intake.store.migrations import migrations


def raw_record(message_id: str = "<a@x>", sha: str = "s1") -> dict:
    return {
        "message_id": message_id,
        "sha256": sha,
        "received_at": "2026-03-12T10:00:00+00:00",
        "raw": b"Subject: x\r\n\r\nbody",
    }


def test_migrations_are_named_recorded_and_applied_once(tmp_path: Path) -> None:
    Store(tmp_path / "i.db").close()
    store = Store(tmp_path / "i.db")
    applied = [r["name"] for r in store.db.table("_sqlite_migrations").rows]
    # In order; later migrations are appended after these.
    assert applied[:3] == ["0001_initial", "0002_approvals", "0003_privacy"]
    assert applied == sorted(applied)
    assert migrations.pending(store.db) == []
    assert store.db.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_the_same_message_is_stored_once(tmp_path: Path) -> None:
    store = Store(tmp_path / "i.db")
    first = store.save_raw(raw_record())
    assert first[1] == "received"
    store.mark_message(first[0], status="processed")
    assert store.save_raw(raw_record()) == (first[0], "processed")
    # Same Message-ID, different bytes: a different message, kept too.
    assert store.save_raw(raw_record(sha="s2"))[0] != first[0]
    assert store.count("messages") == 2


def test_a_fiche_cannot_become_two_tickets(tmp_path: Path) -> None:
    store = Store(tmp_path / "i.db")
    row, _ = store.save_raw(raw_record())
    ticket = {
        "ref": "3975-2026-00001",
        "year": 2026,
        "seq": 1,
        "status": "invalid",
        "message_row": row,
        "fiche_index": 0,
        "created_at": "now",
    }
    store.insert_ticket(ticket)
    with pytest.raises(sqlite3.IntegrityError):
        store.insert_ticket({**ticket, "ref": "3975-2026-00002", "seq": 2})
    assert store.next_sequence(2026) == 2
    assert store.next_sequence(2027) == 1


def test_a_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "i.db")
    row, _ = store.save_raw(raw_record())
    with pytest.raises(RuntimeError), store.transaction():
        store.insert_ticket(
            {
                "ref": "r",
                "year": 2026,
                "seq": 1,
                "status": "invalid",
                "message_row": row,
                "fiche_index": 0,
                "created_at": "now",
            }
        )
        store.add_event(at="now", actor="system", kind="ticket_invalid")
        raise RuntimeError("crash in the middle")
    assert store.count("tickets") == 0
    assert store.count("events") == 0
