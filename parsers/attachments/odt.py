"""LibreOffice Writer (.odt) fiches: table rows and paragraphs, read with odfpy."""

from __future__ import annotations

import io

from odf import table, teletype, text
from odf.opendocument import load

from parsers.fold import clean_spaces

Grid = list[list[str]]
_MAX_REPEAT = 50


def _cell_text(cell: table.TableCell) -> str:
    lines = [teletype.extractText(p) for p in cell.getElementsByType(text.P)]
    return "\n".join(clean_spaces(line) for line in lines if line.strip())  # lines: check boxes


def _is_nested(element: object, outer: table.Table) -> bool:
    parent = getattr(element, "parentNode", None)
    while parent is not None and parent is not outer:
        if getattr(parent, "qname", None) == table.Table().qname:
            return True
        parent = getattr(parent, "parentNode", None)
    return False


def read_odt(data: bytes) -> tuple[list[Grid], str]:
    document = load(io.BytesIO(data))
    grids: list[Grid] = []
    in_tables: set[int] = set()
    for sheet in document.text.getElementsByType(table.Table):
        grid: Grid = []
        for row in sheet.getElementsByType(table.TableRow):
            if _is_nested(row, sheet):
                continue
            cells: list[str] = []
            for cell in row.getElementsByType(table.TableCell):
                repeat = int(cell.getAttribute("numbercolumnsrepeated") or 1)
                cells += [_cell_text(cell)] * min(repeat, _MAX_REPEAT)
                in_tables.update(id(p) for p in cell.getElementsByType(text.P))
            grid.append(cells)
        grids.append(grid)
    # Paragraphs outside tables, in document order: "Label : value" lines.
    lines = [
        teletype.extractText(p)
        for p in document.text.getElementsByType(text.P)
        if id(p) not in in_tables
    ]
    return grids, "\n".join(lines)
