"""Word (.docx) fiches: table rows and paragraphs."""

from __future__ import annotations

import io

import docx

from parsers.fold import clean_spaces


def read_docx(data: bytes) -> tuple[list[list[list[str]]], str]:
    document = docx.Document(io.BytesIO(data))
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
                texts = [clean_spaces(p.text) for p in cell.paragraphs if p.text.strip()]
                cells.append(" ".join(texts))
            grid.append(cells)
        grids.append(grid)
    text = "\n".join(p.text for p in document.paragraphs)
    return grids, text
