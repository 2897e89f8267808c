"""RTF fiches (Word's and WordPad's "texte enrichi"), read with striprtf, tables as grids.

striprtf writes a table cell as "|" and a row as a line: a "|" typed in a cell, or a cell of
two paragraphs, would then break the row. So before striprtf runs, the table control words
(`\\cell`, `\\row`, and `\\par` inside a cell, known by `\\intbl`) become private-use
characters that striprtf passes through, and the rows are cut on those.
"""

from __future__ import annotations

import re

from striprtf.striprtf import rtf_to_text

from parsers.cells import Grid
from parsers.fold import clean_spaces

_ROW_START, _CELL, _ROW_END, _CELL_BREAK = "\ue000", "\ue001", "\ue002", "\ue003"
_CONTROL = re.compile(rb"\\\\|\\([a-zA-Z]{1,32})(-?\d{1,10})? ?")
_CHARSET = re.compile(rb"\\ansicpg(\d{3,5})")
_ESCAPES = re.compile(rb"\\[\\{}]")
#: Pictures and embedded objects are long runs of hex digits, never text: dropped before
#: striprtf, which would otherwise spend seconds walking a fiche with a logo pasted in.
_HEX_DATA = re.compile(rb"[0-9a-fA-F\r\n]{256,}")


def _mark(char: str) -> bytes:
    return b"\\u%d?" % ord(char)


def _mark_tables(rtf: bytes) -> bytes:
    """The table control words replaced by markers; every other byte left as it was."""
    in_row = in_cell_paragraph = False

    def replace(match: re.Match[bytes]) -> bytes:
        nonlocal in_row, in_cell_paragraph
        word = match.group(1)
        if word == b"pard":
            in_cell_paragraph = False
        elif word == b"intbl":
            in_cell_paragraph = True
            if not in_row:
                in_row = True
                return match.group(0) + _mark(_ROW_START)
        elif word in (b"cell", b"nestcell"):
            return _mark(_CELL)
        elif word in (b"row", b"nestrow"):
            in_row = False
            return _mark(_ROW_END)
        elif word in (b"par", b"line") and in_row and in_cell_paragraph:
            return _mark(_CELL_BREAK)
        return match.group(0)

    return _CONTROL.sub(replace, rtf)


def _split(text: str) -> tuple[list[Grid], str]:
    grids: list[Grid] = []
    lines: list[str] = []
    grid: Grid | None = None
    for chunk in re.split(f"({_ROW_START}[^{_ROW_END}]*{_ROW_END}?)", text):
        if chunk.startswith(_ROW_START):
            cells = chunk.strip(_ROW_START + _ROW_END).split(_CELL)
            if cells and not cells[-1].strip():
                cells.pop()  # the text after the last \cell of a row is the row's end
            row = [clean_spaces(c.replace(_CELL_BREAK, " ")) for c in cells]
            if grid is None:
                grid = []
                grids.append(grid)
            grid.append(row)
        elif chunk:
            if chunk.strip():
                grid = None  # text between two tables ends the first
            lines.append(chunk.replace(_CELL_BREAK, "\n"))
    return grids, "".join(lines)


def read_rtf(data: bytes) -> tuple[list[Grid], str]:
    if not data.lstrip().startswith(b"{\\rtf"):
        raise ValueError("not an RTF file")
    plain = _ESCAPES.sub(b"", data)
    if plain.count(b"{") != plain.count(b"}"):
        raise ValueError("unbalanced groups: the file was cut short")
    found = _CHARSET.search(data[:4096])
    encoding = f"cp{found.group(1).decode()}" if found else "cp1252"
    try:
        "".encode(encoding)
    except LookupError:
        encoding = "cp1252"
    marked = _mark_tables(_HEX_DATA.sub(b"", data))
    text = rtf_to_text(marked.decode("latin-1"), encoding=encoding, errors="replace")
    return _split(text)
