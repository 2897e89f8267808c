"""Word (.docx) fiches: tables as grids (merged cells read once), paragraphs, check boxes."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

import docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml

from parsers.cells import COVERED_ABOVE, COVERED_LEFT, Grid, cell_lines

_T, _TAB, _BR = qn("w:t"), qn("w:tab"), qn("w:br")
_CHECKBOX, _CHECKED, _DEFAULT = qn("w:checkBox"), qn("w:checked"), qn("w:default")
_VAL = qn("w:val")
_TAGS = (_T, _TAB, _BR, _CHECKBOX)
_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_TRPR, _TCPR, _GRID_BEFORE = qn("w:trPr"), qn("w:tcPr"), qn("w:gridBefore")
_GRID_SPAN, _VMERGE = qn("w:gridSpan"), qn("w:vMerge")
_WRAPPERS = frozenset({qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")})
_MAX_SPAN = 64  # a grid is at most 63 columns wide in Word


def _on(element: Any) -> bool:
    return element is not None and element.get(_VAL) not in ("0", "false", "off")


def paragraph_text(p: Any) -> str:
    """A paragraph's text, reading what python-docx's `.text` skips: runs inside content
    controls (Word's check boxes show ☒/☐ there) and legacy check box form fields."""
    out: list[str] = []
    for element in p.iter(*_TAGS):
        if element.tag == _T:
            out.append(element.text or "")
        elif element.tag == _CHECKBOX:
            checked = element.find(_CHECKED)
            ticked = _on(checked) if checked is not None else _on(element.find(_DEFAULT))
            out.append("☒" if ticked else "☐")
        else:
            out.append("\t" if element.tag == _TAB else "\n")
    return "".join(out)


_MAIN = re.compile(rb'Type="[^"]*/officeDocument"[^>]*Target="/?([^"]+)"'
                   rb'|Target="/?([^"]+)"[^>]*Type="[^"]*/officeDocument"')


def _main_part(data: bytes) -> Document:
    """python-docx's document model on the main part only. `docx.Document()` also parses the
    styles, numbering and settings parts, which is four fifths of the time for a one-page
    fiche and tells nothing about its text; any package it cannot place goes the full way."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        m = _MAIN.search(archive.read("_rels/.rels"))
        if m is None:
            return docx.Document(io.BytesIO(data))
        element = parse_xml(archive.read((m[1] or m[2]).decode()))
    if element.tag != qn("w:document"):
        return docx.Document(io.BytesIO(data))
    return Document(element, None)  # type: ignore[arg-type]  # no package part: text only


def _children(element: Any, tag: str) -> Iterator[Any]:
    """`element`'s children with `tag`, through content controls and custom XML around them."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _number(props: Any, tag: str, default: int) -> int:
    element = props.find(tag) if props is not None else None
    value = element.get(_VAL) if element is not None else None
    return min(int(value), _MAX_SPAN) if value and value.isdigit() else default


def _cell_text(tc: Any) -> str:
    return cell_lines(paragraph_text(p) for p in _children(tc, _P))


def _tables(tbl: Any, grids: list[Grid]) -> None:
    """The grid of `tbl`, then those of the tables inside its cells, into `grids`.

    A merged cell is read once: the places it covers are `COVERED_LEFT` (w:gridSpan) or
    `COVERED_ABOVE` (w:vMerge continued), where python-docx repeats the cell's text."""
    grid: Grid = []
    inner: list[Any] = []
    grids.append(grid)
    for tr in _children(tbl, _TR):
        props = tr.find(_TRPR)
        cells: list[str] = [""] * _number(props, _GRID_BEFORE, 0)
        for tc in _children(tr, _TC):
            props = tc.find(_TCPR)
            span = _number(props, _GRID_SPAN, 1)
            merge = props.find(_VMERGE) if props is not None else None
            if merge is not None and merge.get(_VAL) in (None, "continue"):
                cells += [COVERED_ABOVE] * span
                continue
            cells += [_cell_text(tc), *[COVERED_LEFT] * (span - 1)]
            inner += _children(tc, _TBL)
        grid.append(cells)
    for table in inner:
        _tables(table, grids)


def read_docx(data: bytes) -> tuple[list[Grid], str]:
    body = _main_part(data).element.body
    grids: list[Grid] = []
    for tbl in _children(body, _TBL):
        _tables(tbl, grids)
    text = "\n".join(paragraph_text(p) for p in _children(body, _P))
    return grids, text
