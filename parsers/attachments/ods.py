"""LibreOffice Calc (.ods) fiches: every sheet as a grid."""

from __future__ import annotations

import datetime as dt
import io

from odf import table
from odf.opendocument import load

from parsers.attachments.extent import held_sheets

_MAX_REPEAT = 50


def _cell_text(cell: table.TableCell) -> str:
    kind = cell.getAttribute("valuetype")
    if kind == "date":
        value = cell.getAttribute("datevalue") or ""
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            return str(cell).strip()
        return f"{parsed:%d/%m/%Y}" if len(value) <= 10 else f"{parsed:%d/%m/%Y %H:%M}"
    if kind == "time":
        value = cell.getAttribute("timevalue") or ""  # PT16H40M00S
        if value.startswith("PT") and "H" in value:
            hours, rest = value[2:].split("H", 1)
            minutes = rest.split("M", 1)[0] if "M" in rest else "0"
            return f"{int(hours):02d}:{int(minutes):02d}"
    return str(cell).strip()


def read_ods(data: bytes) -> tuple[list[list[list[str]]], str]:
    document = load(io.BytesIO(data))
    grids: list[list[list[str]]] = []
    for sheet in held_sheets(document.spreadsheet.getElementsByType(table.Table)):
        grid: list[list[str]] = []
        for row in sheet.getElementsByType(table.TableRow)[:5000]:
            cells: list[str] = []
            for cell in row.getElementsByType(table.TableCell):
                repeat = int(cell.getAttribute("numbercolumnsrepeated") or 1)
                cells += [_cell_text(cell)] * min(repeat, _MAX_REPEAT)
            while cells and not cells[-1]:
                cells.pop()
            # Empty rows kept (a run of them is one element): row numbers match the sheet.
            repeat = 1 if cells else int(row.getAttribute("numberrowsrepeated") or 1)
            grid += [cells] * min(repeat, _MAX_REPEAT) if len(grid) < 5000 else []
        while grid and not grid[-1]:
            grid.pop()
        grids.append(grid)
    return grids, ""
