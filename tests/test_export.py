"""`intake export`: anonymous by default, personal data only with the flag (audited), and no
cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from intake.cli.main import main
from intake.store.database import Store
from rules.cells import inert


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    folder = tmp_path / "demo"
    assert CliRunner().invoke(main, ["demo", "--dir", str(folder)]).exit_code == 0
    store = Store(folder / "intake.db")
    first = store.tickets()[0]
    store.update_ticket(first.id, caller_request="=HYPERLINK(\"http://x\")", service="+33 1")
    store.close()
    return folder / "intake.yaml"


def export(config: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--config", str(config), "export", *args])
    return result.exit_code, result.output


def exported_events(config: Path) -> list[dict]:
    store = Store(config.parent / "intake.db")
    rows = store.db.execute(
        "select actor, ticket_id, detail from events where kind = 'personal_data_exported'"
    ).fetchall()
    store.close()
    return [{"actor": a, "ticket_id": t, **json.loads(d)} for a, t, d in rows]


def test_default_csv_has_no_personal_field_and_no_formula(demo: Path) -> None:
    code, out = export(demo)
    assert code == 0, out
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert len(rows) == 4
    assert not {"agent_3975", "reporter_name", "reporter_email", "description"} & set(rows[0])
    assert "Karim" not in out and "@" not in out
    assert rows[0]["caller_request"] == "'=HYPERLINK(\"http://x\")"
    assert rows[0]["service"] == "'+33 1"
    assert exported_events(demo) == []


def test_with_personal_data_is_an_audit_event(demo: Path, tmp_path: Path) -> None:
    target = tmp_path / "nominatif.csv"
    code, out = export(demo, "--with-personal-data", "-o", str(target))
    assert code == 0, out
    text = target.read_text(encoding="utf-8-sig")
    assert "agent_3975" in text.splitlines()[0] and "Karim B." in text
    events = exported_events(demo)
    assert len(events) == 4 and all(e["actor"] for e in events)
    assert events[0]["fields"][:3] == ["agent_3975", "reporter_email", "reporter_name"]
    assert events[0]["to"] == str(target) and events[0]["what"] == "tickets csv"
    shown = CliRunner().invoke(
        main, ["--config", str(demo), "tickets", "show", "3975-2026-00001", "--json"]
    )
    kinds = [e["kind"] for e in json.loads(shown.output)["events"]]
    assert "personal_data_exported" in kinds


def test_xlsx_cells_are_text(demo: Path, tmp_path: Path) -> None:
    target = tmp_path / "fiches.xlsx"
    code, out = export(demo, "--format", "xlsx", "-o", str(target))
    assert code == 0, out
    sheet = load_workbook(target).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    assert "agent_3975" not in header
    cell = sheet.cell(row=2, column=header.index("caller_request") + 1)
    assert cell.data_type == "s" and cell.value == "=HYPERLINK(\"http://x\")"


def test_xlsx_needs_a_file(demo: Path) -> None:
    code, out = export(demo, "--format", "xlsx")
    assert code == 2 and "-o FILE.xlsx" in out


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_are_neutralised(value: str) -> None:
    assert inert(value) == "'" + value
    assert inert("Mairie du 12e") == "Mairie du 12e" and inert(3) == 3
