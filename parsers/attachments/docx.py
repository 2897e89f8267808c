"""Word (.docx) fiches: table rows and paragraphs, check boxes included."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml

from parsers.fold import clean_spaces

_T, _TAB, _BR = qn("w:t"), qn("w:tab"), qn("w:br")
_CHECKBOX, _CHECKED, _DEFAULT = qn("w:checkBox"), qn("w:checked"), qn("w:default")
_VAL = qn("w:val")
_TAGS = (_T, _TAB, _BR, _CHECKBOX)


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


def read_docx(data: bytes) -> tuple[list[list[list[str]]], str]:
    document = _main_part(data)
    grids: list[list[list[str]]] = []
    for table in document.tables:
        grid: list[list[str]] = []
        for row in table.rows:
            cells: list[str] = []
            previous = None
            for cell in row.cells:
                if cell._tc is previous:  # merged cells repeat: keep one
                    continue
                previous = cell._tc
                texts = [clean_spaces(paragraph_text(p._p)) for p in cell.paragraphs]
                cells.append("\n".join(t for t in texts if t))  # lines kept: check boxes
            grid.append(cells)
        grids.append(grid)
    text = "\n".join(paragraph_text(p._p) for p in document.paragraphs)
    return grids, text
