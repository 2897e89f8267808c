"""CSV fiches as Excel (French locale), LibreOffice and Google Sheets save them.

The text is decoded by its byte order mark (UTF-8 from LibreOffice and Excel's "CSV UTF-8",
UTF-16 from Excel's "Texte Unicode"), else as UTF-8, else as cp1252 (Excel's "CSV
(séparateur : point-virgule)"). The delimiter is the one of ; tab , | that cuts the rows to
one same width with quotes respected: a comma inside a quoted cell, or a line break in a
description, does not mislead it as it does `csv.Sniffer`. Excel's first line "sep=;" says
it outright. Cells lose what spreadsheets wrap around text: the apostrophe that keeps
"=…", "+…", "-…" from becoming a formula, Excel's ="…".

A file is read up to MAX_ROWS rows of MAX_COLUMNS cells, and for at most MAX_SECONDS.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections import Counter
from collections.abc import Iterator

from parsers.attachments.extent import MAX_COLUMNS, MAX_ROWS
from parsers.cells import Grid
from parsers.mime import decode_bytes

MAX_SECONDS = 2.0
#: In order of preference when two cut the rows equally well: French Excel's first.
DELIMITERS = (";", "\t", ",", "|")
#: The delimiter is measured on the start of the file: a fiche fits in it many times.
SAMPLE_CHARS, SAMPLE_ROWS = 65536, 200
#: A delimiter must cut at least this share of the rows into cells of one width; below it,
#: the file is lines of text ("Label : valeur"), one cell each.
MIN_SHARE = 0.5
#: Never in a text file: each line one cell, quotes still respected.
_NO_DELIMITER = "\x1f"
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
#: Excel's "sep=;" line; re-saved by a spreadsheet, it comes back quoted and padded.
_SEP_LINE = re.compile(r'"?sep=([^"\r\n])"?[;,|\t ]*(?:\r\n|\r|\n|$)', re.IGNORECASE)
#: Spreadsheets and exports put an apostrophe before a cell that would start a formula.
_FORMULA_GUARD = re.compile(r"'(?=[=+\-@\t\r])")
_EXCEL_TEXT = re.compile(r'="(.*)"', re.DOTALL)


def decode(data: bytes) -> str:
    """The file's text: its byte order mark decides, then UTF-8, then cp1252. UTF-16 without
    a mark is recognised by its zero bytes; other binary data is not a CSV file."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    head = data[:4096]
    if b"\0" in head:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd > len(head) // 4 and even == 0:
            return data.decode("utf-16-le", errors="replace")
        if even > len(head) // 4 and odd == 0:
            return data.decode("utf-16-be", errors="replace")
        raise ValueError("binary data, not text")
    return decode_bytes(data)


def _cut(text: str, delimiter: str, strict: bool) -> Iterator[list[str]]:
    """Rows as csv reads them: quoted cells may hold the delimiter and line breaks."""
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=strict)


def _fit(sample: str, delimiter: str, whole: bool) -> tuple[float, bool, int]:
    """How well `delimiter` cuts the sample: the share of its non-empty rows cut into cells
    of the most common width (two or more), whether the cut broke a quoted cell (a quote
    left open, a cell going on after its closing quote), and that width. Rows are counted
    with and without their trailing empty cells (a sheet's used range, a last rubrique left
    blank)."""
    widths: list[tuple[int, int]] = []
    broken = False
    try:
        for row in _cut(sample, delimiter, strict=True):
            filled = len(row)
            while filled and not row[filled - 1].strip():
                filled -= 1
            if filled:
                widths.append((len(row), filled))
            if len(widths) >= SAMPLE_ROWS:
                whole = True
                break
    except csv.Error:
        broken = True
    if not whole and widths:
        widths.pop()  # the sample may end inside the last row
    best, width = 0, 0
    for counts in (Counter(w[0] for w in widths), Counter(w[1] for w in widths)):
        for w, n in counts.items():
            if w > 1 and (n, w) > (best, width):
                best, width = n, w
    return best / max(len(widths), 1), broken, width


def sniff(text: str) -> str:
    """The delimiter of `text`, or `_NO_DELIMITER` when none cuts it into columns. A cut that
    breaks a quoted cell counts half (a stray quote typed in a cell breaks the right one
    too); between two that cut as many rows evenly, the one making more columns wins: a
    header row of labels holds a comma or two, never as many as its cells."""
    sample = text[:SAMPLE_CHARS]
    whole = len(text) <= SAMPLE_CHARS
    best, best_rank = _NO_DELIMITER, (0.0, 0)
    for delimiter in DELIMITERS:
        if delimiter not in sample:
            continue
        share, broken, width = _fit(sample, delimiter, whole)
        rank = (share / 2 if broken else share, width)
        if share >= MIN_SHARE and rank > best_rank:
            best, best_rank = delimiter, rank
    return best


def _declared(text: str) -> tuple[str | None, str]:
    """Excel's "sep=;" first line: the delimiter it names, and the text after it."""
    found = _SEP_LINE.match(text)
    if found:
        return found.group(1), text[found.end() :]
    return None, text


def clean_cell(cell: str) -> str:
    """A cell as typed: spaces around it and Windows line ends dropped, Excel's ="…" and the
    apostrophe guarding a formula-like start undone."""
    text = cell.replace("\r\n", "\n").replace("\r", "\n").strip()
    excel = _EXCEL_TEXT.fullmatch(text)
    if excel:
        text = excel.group(1).replace('""', '"')
    return _FORMULA_GUARD.sub("", text, count=1).strip() if text.startswith("'") else text


def read_rows(text: str, delimiter: str) -> Grid:
    """The rows of `text` (empty ones kept, so row numbers match the spreadsheet's), within
    the bounds of rows, columns and time. A quote never closed runs to the end of the file,
    as it does in Excel."""
    deadline = time.monotonic() + MAX_SECONDS
    grid: Grid = []
    try:
        for row in _cut(text, delimiter, strict=False):
            cells = [clean_cell(cell) for cell in row[:MAX_COLUMNS]]
            while cells and not cells[-1]:
                cells.pop()
            grid.append(cells)
            if len(grid) >= MAX_ROWS or (len(grid) % 256 == 0 and time.monotonic() > deadline):
                break
    except csv.Error:  # a cell beyond csv's size limit: what came before it is kept
        pass
    while grid and not grid[-1]:
        grid.pop()
    return grid


def read_csv(data: bytes) -> tuple[list[Grid], str]:
    delimiter, text = _declared(decode(data))
    return [read_rows(text, delimiter or sniff(text))], ""
