"""config/datasette-metadata.yaml hides every personal column the code knows of."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
import yaml
from helpers import SHIPPED

from intake.privacy.policy import PERSONAL_COLUMNS
from intake.store.database import Store

METADATA = yaml.safe_load((SHIPPED / "datasette-metadata.yaml").read_text(encoding="utf-8"))
DATABASE = METADATA["databases"]["intake"]
PERSONAL = {c for cols in PERSONAL_COLUMNS.values() for c in cols}


def test_no_arbitrary_sql() -> None:
    assert METADATA["allow_sql"] is False and DATABASE["allow_sql"] is False


@pytest.mark.parametrize("table", sorted(PERSONAL_COLUMNS))
def test_every_table_with_personal_columns_is_closed(table: str) -> None:
    assert DATABASE["tables"][table]["allow"] is False


def test_every_table_of_the_database_is_closed(tmp_path: Path) -> None:
    Store(tmp_path / "intake.db").close()
    db = sqlite3.connect(tmp_path / "intake.db")
    tables = {n for (n,) in db.execute("select name from sqlite_master where type = 'table'")}
    open_ = {t for t in tables if DATABASE["tables"].get(t, {}).get("allow") is not False}
    assert not open_, f"close these tables in config/datasette-metadata.yaml: {sorted(open_)}"


def test_the_browsable_view_and_the_queries_name_no_personal_column(tmp_path: Path) -> None:
    Store(tmp_path / "intake.db").close()
    db = sqlite3.connect(tmp_path / "intake.db")
    view = [row[1] for row in db.execute("pragma table_info(tickets_anonymous)")]
    assert view and not set(view) & PERSONAL
    for name, query in DATABASE["queries"].items():
        words = set(re.findall(r"[a-z_0-9]+", query["sql"].lower()))
        assert not words & PERSONAL, name
        assert "from tickets_anonymous" in query["sql"], name
        db.execute(query["sql"], {"depuis": "2026-01-01"}).fetchall()  # valid SQL
