"""Cells a spreadsheet shows as text, never runs as a formula (CSV injection).

A cell starting with =, +, -, @, a tab or a carriage return is a formula to Excel and
LibreOffice. A CSV file may be opened with "," or ";" as the separator, whichever the
spreadsheet is set to, so a cell such as `x;=cmd` becomes the formula `=cmd` in the next
column when ";" splits it. Each piece that would start a cell under either separator gets
the apostrophe that tells a spreadsheet "this is text".
"""

from __future__ import annotations

import re
from typing import Any

#: The start of the cell or of what follows a separator (spaces skipped, as spreadsheets
#: do), before a formula character.
_WOULD_RUN = re.compile(r"(^|[;,])( *)(?=[=+\-@\t\r])")


def inert(value: Any) -> Any:
    """`value` with an apostrophe before every would-be formula; other types unchanged."""
    if not isinstance(value, str):
        return value
    return _WOULD_RUN.sub(lambda m: f"{m.group(1)}{m.group(2)}'", value)
