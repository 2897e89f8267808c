"""Tickets as a table (CSV or XLSX): anonymous columns, personal ones only when asked.

CSV cells that a spreadsheet would run as a formula, whether it splits the file on "," or
";", get an apostrophe (rules/cells.py); XLSX cells are always plain text.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from intake.privacy.policy import PERSONAL_TICKET_FIELDS
from intake.store.database import Store
from rules.cells import inert

ANONYMOUS_COLUMNS: tuple[str, ...] = (
    "ref",
    "status",
    "category",
    "service",
    "service_id",
    "call_date",
    "call_time",
    "caller_request",
    "expected_service",
    "wrong_information",
    "rule_id",
    "approval_round",
    "created_at",
    "decided_at",
    "purged_at",
)


def columns(with_personal: bool) -> tuple[str, ...]:
    return ANONYMOUS_COLUMNS + (PERSONAL_TICKET_FIELDS if with_personal else ())


def rows(store: Store, cols: tuple[str, ...]) -> tuple[list[int], list[list[Any]]]:
    """The ticket ids, and one row of `cols` per ticket."""
    tickets = [t.as_dict() for t in store.tickets()]
    return [t["id"] for t in tickets], [[t[c] for c in cols] for t in tickets]


def to_csv(cols: tuple[str, ...], data: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(cols)
    writer.writerows([[inert(v) for v in row] for row in data])
    # With a BOM, Excel opens the UTF-8 accents right.
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(cols: tuple[str, ...], data: list[list[Any]]) -> bytes:
    from openpyxl import Workbook  # only when a workbook is asked for: it is slow to import

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "fiches"
    sheet.append(list(cols))
    for r, row in enumerate(data, start=2):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
