"""How much of a spreadsheet is read: bounded by what the file holds, never by what it declares.

A sheet may declare `A1:XFD1048576`, repeat an empty cell a million times, or put one cell in
the last column on every row: the readers would build grids of billions of cells. A fiche
fills a few dozen cells, a table of fiches a few thousand. So the cells a file really holds
are counted from its XML before any reader builds a document from it, a file holding more is
answered at once, and the readers see at most `MAX_SHEETS` sheets, `MAX_COLUMNS` columns and
`MAX_ROWS` rows of each.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from parsers.attachments.guard import Unreadable, damaged

MAX_SHEETS = 10
MAX_COLUMNS = 64
MAX_ROWS = 5000
#: Cells written in the file (elements in its XML), all sheets together: a table of a
#: thousand fiches is about 15,000.
MAX_CELLS = 20_000
#: Files of one message opened: fiches, logos and signatures together.
MAX_FILES = 50

_CHUNK = 1 << 16
#: The start tag of a cell with content, whatever the namespace prefix: `<c r="A1">` (xlsx),
#: `<table:table-cell …>` and `<table:covered-table-cell>` (ods). Empty cells are written
#: as `<c r="A1" s="1"/>`: formatting, not content, and not counted.
_XLSX_CELL = re.compile(rb"<(?:[\w.-]+:)?c(?:\s[^>]*)?(?<!/)>")
#: A Word table cell (`<w:tc>`): python-docx repeats a cell as many times as it spans.
_DOCX_CELL = re.compile(rb"<(?:[\w.-]+:)?tc(?:\s[^>]*)?(?<!/)>")
_DOCX_SPAN = re.compile(rb"<(?:[\w.-]+:)?gridSpan\s[^>]*?val=\"(\d+)\"")
_ODS_CELL = re.compile(rb"<(?:[\w.-]+:)?(?:covered-)?table-cell(?:\s[^>]*)?(?<!/)>")
#: Bytes kept between chunks, so that a start tag cut in two is counted once, in the chunk
#: where it ends.
_TAIL = 1024

T = TypeVar("T")


def too_many_cells(name: str, cells: int) -> Unreadable:
    return Unreadable(
        f"Pièce jointe « {name} » non lue : le document contient plus de {_n(cells)} cellules "
        f"remplies, au-delà des {_n(MAX_CELLS)} qu'un tableau de fiches de signalement peut "
        "compter. Envoyez seulement le tableau des fiches, ou une fiche par message."
    )


def too_many_files(count: int) -> Unreadable:
    return Unreadable(
        f"Votre message compte {_n(count)} pièces jointes : seules les {MAX_FILES} premières "
        "ont été ouvertes. Envoyez les autres fiches dans d'autres messages."
    )


def _n(value: int) -> str:
    """A count written the French way: 20 000."""
    return f"{value:,}".replace(",", "\u00a0")


def _count(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, pattern: re.Pattern[bytes], limit: int
) -> int:
    """Cell elements in `member`, counted until there are more than `limit`."""
    found, tail = 0, b""
    with archive.open(member) as stream:
        while found <= limit and (chunk := stream.read(_CHUNK)):
            window = tail + chunk
            # A tag ending within the tail was whole, and counted, in the previous window.
            found += sum(1 for m in pattern.finditer(window) if m.end() > len(tail))
            tail = window[-_TAIL:]
    return found


def check_extent(name: str, data: bytes, source: str) -> None:
    """Refuse an .xlsx, .ods or .docx that holds more cells than a table of fiches can, or a
    .docx cell spanning more columns than Word allows (any other kind passes). Runs after
    `check_zip`, so the archive is sane and its size bounded."""
    if source == "docx":
        _check_spans(name, data)
        pattern, parts = _DOCX_CELL, re.compile(r"^word/document\.xml$")
    elif source == "xlsx":
        pattern, parts = _XLSX_CELL, re.compile(r"^xl/worksheets/[^/]+\.xml$")
    elif source == "ods":
        pattern, parts = _ODS_CELL, re.compile(r"^content\.xml$")
    else:
        return
    cells = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.infolist():
                if parts.match(member.filename):
                    cells += _count(archive, member, pattern, MAX_CELLS - cells)
                    if cells > MAX_CELLS:
                        raise too_many_cells(name, cells)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
        raise damaged(name) from exc


def held_sheets(sheets: Iterable[T]) -> Iterator[T]:
    """The first `MAX_SHEETS` sheets of a workbook; an openpyxl sheet is wrapped so that its
    rows are read as the file holds them, `MAX_COLUMNS` wide and `MAX_ROWS` long at most."""
    for n, sheet in enumerate(sheets):
        if n >= MAX_SHEETS:
            return
        yield _BoundedSheet(sheet) if hasattr(sheet, "iter_rows") else sheet  # type: ignore[misc]


def _check_spans(name: str, data: bytes) -> None:
    """Word tables have at most 63 columns: a cell "spanning" a million is a forgery, which
    python-docx would repeat a million times."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("word/document.xml") as f:
            tail = b""
            while chunk := f.read(_CHUNK):
                window = tail + chunk
                if any(int(m.group(1)) > MAX_COLUMNS for m in _DOCX_SPAN.finditer(window)):
                    raise damaged(name)
                tail = window[-_TAIL:]
    except KeyError:
        return  # not the usual layout: the reader says what it makes of it
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
        raise damaged(name) from exc


class _BoundedSheet:
    """An openpyxl worksheet whose `iter_rows` ignores the declared dimension: openpyxl pads
    every row to the declared width (16,384 columns for `XFD`) and every sheet to the declared
    height. Everything else is the sheet's own."""

    def __init__(self, sheet: Any) -> None:
        if hasattr(sheet, "reset_dimensions"):  # read-only sheets trust <dimension>
            sheet.reset_dimensions()
        self._sheet = sheet

    def iter_rows(self, **options: Any) -> Iterator[tuple[Any, ...]]:
        # A loaded (not read-only) sheet knows its real extent: never pad it beyond that.
        for key, real, bound in (
            ("max_col", self._sheet.max_column, MAX_COLUMNS),
            ("max_row", self._sheet.max_row, MAX_ROWS),
        ):
            options[key] = min(n for n in (options.get(key), real, bound) if n)
        yield from self._sheet.iter_rows(**options)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sheet, name)


def held_grids(grids: list[list[list[str]]]) -> list[list[list[str]]]:
    """The grids a reader made, cut to `MAX_COLUMNS` columns and `MAX_CELLS` filled cells in
    all: repeated cells (.ods) and readers of other formats are bounded here too."""
    held: list[list[list[str]]] = []
    budget = MAX_CELLS
    for grid in grids[:MAX_SHEETS]:
        rows: list[list[str]] = []
        for row in grid[:MAX_ROWS]:
            cells = row[:MAX_COLUMNS]
            budget -= sum(1 for c in cells if c)
            if budget < 0:
                break
            rows.append(cells)
        held.append(rows)
        if budget < 0:
            break
    return held
