"""LibreOffice Calc (.ods) fiches: every sheet as a grid, merged cells read once."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from odf import table, teletype
from odf.opendocument import load

from parsers.attachments.extent import held_sheets
from parsers.attachments.odfgrid import paragraphs, read_table
from parsers.cells import Grid, cell_lines


def _cell_text(cell: Any) -> str:
    kind = cell.getAttribute("valuetype")
    if kind == "date":
        value = cell.getAttribute("datevalue") or ""
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            return cell_lines(teletype.extractText(p) for p in paragraphs(cell))
        return f"{parsed:%d/%m/%Y}" if len(value) <= 10 else f"{parsed:%d/%m/%Y %H:%M}"
    if kind == "time":
        value = cell.getAttribute("timevalue") or ""  # PT16H40M00S
        if value.startswith("PT") and "H" in value:
            hours, rest = value[2:].split("H", 1)
            minutes = rest.split("M", 1)[0] if "M" in rest else "0"
            return f"{int(hours):02d}:{int(minutes):02d}"
    return cell_lines(teletype.extractText(p) for p in paragraphs(cell))


def read_ods(data: bytes) -> tuple[list[Grid], str]:
    document = load(io.BytesIO(data))
    sheets = held_sheets(document.spreadsheet.getElementsByType(table.Table))
    return [read_table(sheet, _cell_text) for sheet in sheets], ""
