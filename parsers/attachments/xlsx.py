"""Excel (.xlsx) fiches: every sheet as a grid, merged cells read once; dates and times
written the French way."""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from typing import Any

import openpyxl

from parsers.attachments.extent import MAX_COLUMNS, MAX_ROWS, held_sheets
from parsers.cells import COVERED_ABOVE, COVERED_LEFT


def cell_str(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return f"{value:%d/%m/%Y}"
        if value.date() == dt.date(1899, 12, 30):
            return f"{value:%H:%M}"
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)"')


def _column(letters: bytes) -> int:
    return functools.reduce(lambda n, ch: n * 26 + ch - 64, letters, 0)


def _merged(sheet: Any) -> list[tuple[int, int, int, int]]:
    """(first row, first column, last row, last column), from 0, of each merged range. The
    read-only reader streams the cells and skips these, which come after them in the part."""
    with sheet._get_source() as source:
        xml = source.read()
    return [
        (int(r1) - 1, _column(c1) - 1, min(int(r2), MAX_ROWS) - 1,
         min(_column(c2), MAX_COLUMNS) - 1)
        for c1, r1, c2, r2 in _MERGE.findall(xml)
    ]


def _cover(grid: list[list[str]], ranges: list[tuple[int, int, int, int]]) -> None:
    """Marks the places each merged range hides: the value stays in its first cell only."""
    for top, left, bottom, right in ranges:
        for r in range(top, bottom + 1):
            while len(grid) <= r:
                grid.append([])
            row = grid[r]
            row += [""] * (right + 1 - len(row))
            for c in range(left, right + 1):
                if r > top:
                    row[c] = COVERED_ABOVE
                elif c > left:
                    row[c] = COVERED_LEFT


def read_xlsx(data: bytes) -> tuple[list[list[list[str]]], str]:
    # Read-only mode streams a sheet and stops at MAX_ROWS. The full model gives the merged
    # ranges too, for about the same time on a one-page fiche, but holds every cell of a
    # large sheet in memory first.
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    grids: list[list[list[str]]] = []
    try:
        for sheet in held_sheets(workbook.worksheets):
            grid: list[list[str]] = []
            for n, row in enumerate(sheet.iter_rows(values_only=True)):
                if n >= MAX_ROWS:
                    break
                cells = [cell_str(v) for v in row]
                while cells and not cells[-1]:
                    cells.pop()
                grid.append(cells)  # empty rows kept: row numbers match what the agent sees
            _cover(grid, _merged(sheet))
            while grid and not any(grid[-1]):
                grid.pop()
            grids.append(grid)
    finally:
        workbook.close()
    return grids, ""
