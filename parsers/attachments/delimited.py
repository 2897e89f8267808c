"""CSV fiches (semicolons, as French Excel writes them, commas or tabs)."""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Iterator

from parsers.attachments.extent import MAX_COLUMNS
from parsers.mime import decode_bytes

Grid = list[list[str]]
MAX_ROWS = 5000


def read_csv(data: bytes) -> tuple[list[Grid], str]:
    text = decode_bytes(data).lstrip("\ufeff")
    dialect: type[csv.Dialect] | csv.Dialect = csv.excel
    with contextlib.suppress(csv.Error):
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    grid: Grid = []
    for n, row in enumerate(csv.reader(_held_lines(text, dialect.delimiter), dialect)):
        if n >= MAX_ROWS:
            break
        grid.append([cell.strip() for cell in row])
    return [grid], ""


def _held_lines(text: str, delimiter: str) -> Iterator[str]:
    """The file's lines, each cut after `MAX_COLUMNS` fields: a line of millions of separators
    would otherwise become a row of millions of cells."""
    for line in io.StringIO(text):
        if line.count(delimiter) > MAX_COLUMNS:
            line = delimiter.join(line.split(delimiter, MAX_COLUMNS)[:MAX_COLUMNS]) + "\n"
        yield line
