"""Excel 97-2003 (.xls) fiches, read with xlrd: every sheet as a grid, dates the French way.

An .xls stores a date as a number of days counted from the workbook's epoch (1900, or 1904
for files from old Macs): xlrd turns it into a date with the workbook's own datemode.
"""

from __future__ import annotations

import datetime as dt

import xlrd

from parsers.attachments.extent import MAX_COLUMNS, MAX_ROWS
from parsers.attachments.xlsx import cell_str
from parsers.cells import Grid


def _cell(cell: xlrd.sheet.Cell, datemode: int) -> str:
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            parts = xlrd.xldate.xldate_as_tuple(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell_str(cell.value)
        if parts[:3] == (0, 0, 0):  # a time of day alone: a fraction of a day, no date
            return cell_str(dt.time(*parts[3:]))
        return cell_str(dt.datetime(*parts))
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return "VRAI" if cell.value else "FAUX"
    if cell.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    return cell_str(cell.value)


def read_xls(data: bytes) -> tuple[list[Grid], str]:
    book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=_QUIET)
    grids: list[Grid] = []
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            grid: Grid = []
            for row in range(min(sheet.nrows, MAX_ROWS)):
                cells = [_cell(c, book.datemode) for c in sheet.row_slice(row, 0, MAX_COLUMNS)]
                while cells and not cells[-1]:
                    cells.pop()
                grid.append(cells)  # empty rows kept: row numbers match what the agent sees
            while grid and not grid[-1]:
                grid.pop()
            grids.append(grid)
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return grids, ""


class _Quiet:
    """xlrd writes warnings about odd files to a log file object: not ours to report."""

    def write(self, _text: str) -> None:
        pass


_QUIET = _Quiet()
