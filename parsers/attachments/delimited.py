"""CSV fiches (semicolons, as French Excel writes them, commas or tabs)."""

from __future__ import annotations

import contextlib
import csv
import io

from parsers.mime import decode_bytes

Grid = list[list[str]]
MAX_ROWS = 5000


def read_csv(data: bytes) -> tuple[list[Grid], str]:
    text = decode_bytes(data).lstrip("\ufeff")
    dialect: type[csv.Dialect] | csv.Dialect = csv.excel
    with contextlib.suppress(csv.Error):
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    grid: Grid = []
    for n, row in enumerate(csv.reader(io.StringIO(text), dialect)):
        if n >= MAX_ROWS:
            break
        grid.append([cell.strip() for cell in row])
    return [grid], ""
