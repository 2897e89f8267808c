"""LibreOffice Writer (.odt) fiches: tables as grids (merged cells read once) and paragraphs."""

from __future__ import annotations

import io
from typing import Any

from odf import table, teletype, text
from odf.opendocument import load

from parsers.attachments.odfgrid import paragraphs, read_table
from parsers.cells import Grid, cell_lines


def _cell_text(cell: Any) -> str:
    return cell_lines(teletype.extractText(p) for p in paragraphs(cell))


def read_odt(data: bytes) -> tuple[list[Grid], str]:
    document = load(io.BytesIO(data))
    # Every table, those inside a cell too, each its own grid.
    tables = document.text.getElementsByType(table.Table)
    grids = [read_table(t, _cell_text) for t in tables]
    in_tables = {id(p) for t in tables for p in t.getElementsByType(text.P)}
    # Paragraphs outside tables, in document order: "Label : value" lines.
    lines = [
        teletype.extractText(p)
        for p in document.text.getElementsByType(text.P)
        if id(p) not in in_tables
    ]
    return grids, "\n".join(lines)
