"""LibreOffice tables (Writer tables, Calc sheets) as grids of cell texts, read with odfpy.

A merged cell is read once: the places it covers (`table:covered-table-cell`) are
`COVERED_ABOVE` when the merge starts in a row above, else `COVERED_LEFT`. Repeated cells
and rows (a sheet's empty tail) are capped, so a sheet "used" to its last column stays small.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from odf.namespaces import TABLENS, TEXTNS

from parsers.attachments.extent import MAX_ROWS
from parsers.cells import COVERED_ABOVE, COVERED_LEFT, Covered, Grid

MAX_REPEAT = 50
_ROW_GROUPS = frozenset({"table-header-rows", "table-rows", "table-row-group"})
_CELLS = frozenset({"table-cell", "covered-table-cell"})


def _name(node: Any, ns: str = TABLENS) -> str:
    qname = getattr(node, "qname", None)
    return qname[1] if qname and qname[0] == ns else ""


def _number(node: Any, attribute: str, cap: int) -> int:
    value = node.getAttribute(attribute)
    return max(1, min(int(value), cap)) if value and str(value).isdigit() else 1


def _rows(table: Any) -> Iterator[Any]:
    for child in table.childNodes:
        name = _name(child)
        if name == "table-row":
            yield child
        elif name in _ROW_GROUPS:
            yield from _rows(child)


def paragraphs(node: Any) -> Iterator[Any]:
    """The paragraphs and headings in `node`, in order, but not those of tables inside it."""
    for child in node.childNodes:
        name = _name(child, TEXTNS)
        if name in ("p", "h"):
            yield child
        elif _name(child) != "table":
            yield from paragraphs(child)


def read_table(table: Any, cell_text: Callable[[Any], str]) -> Grid:
    grid: Grid = []
    down: dict[int, int] = {}  # column -> rows below still covered by a cell merged down
    for row in _rows(table):
        if len(grid) >= MAX_ROWS:
            break
        cells: list[str] = []
        starts: dict[int, int] = {}
        for cell in row.childNodes:
            name = _name(cell)
            if name not in _CELLS:
                continue
            for _ in range(_number(cell, "numbercolumnsrepeated", MAX_REPEAT)):
                col = len(cells)
                if name == "covered-table-cell":
                    cells.append(COVERED_ABOVE if down.get(col) else COVERED_LEFT)
                    continue
                cells.append(cell_text(cell))
                rows = _number(cell, "numberrowsspanned", MAX_ROWS)
                if rows > 1:
                    span = _number(cell, "numbercolumnsspanned", MAX_REPEAT)
                    starts.update((c, rows - 1) for c in range(col, col + span))
        down = {c: n - 1 for c, n in down.items() if n > 1} | starts
        while cells and not cells[-1] and not isinstance(cells[-1], Covered):
            cells.pop()
        # Empty rows kept (a run of them is one element): row numbers match the sheet.
        repeat = 1 if cells else _number(row, "numberrowsrepeated", MAX_REPEAT)
        grid += [cells] * repeat
    while grid and not grid[-1]:
        grid.pop()
    return grid
