"""Excel (.xlsx) fiches: every sheet as a grid; dates and times written the French way."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

from parsers.attachments.extent import held_sheets


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


def read_xlsx(data: bytes) -> tuple[list[list[list[str]]], str]:
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    grids: list[list[list[str]]] = []
    try:
        for sheet in held_sheets(workbook.worksheets):
            grid: list[list[str]] = []
            for n, row in enumerate(sheet.iter_rows(values_only=True)):
                if n > 5000:
                    break
                cells = [cell_str(v) for v in row]
                while cells and not cells[-1]:
                    cells.pop()
                grid.append(cells)  # empty rows kept: row numbers match what the agent sees
            while grid and not grid[-1]:
                grid.pop()
            grids.append(grid)
    finally:
        workbook.close()
    return grids, ""
