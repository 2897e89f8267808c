"""Grids of cells (HTML tables, Word tables, spreadsheets) to label/value pairs or records."""

from __future__ import annotations

from dataclasses import dataclass

from parsers.form import FormDefinition, default_form
from parsers.pairs import Pair


@dataclass
class Record:
    """The (field, value, label) pairs of one fiche; `line` is its row in a table of several."""

    pairs: list[Pair]
    line: int | None = None


def _label(cell: str, form: FormDefinition) -> str | None:
    return form.match_label(cell.strip().rstrip(" :："))


def row_pairs(rows: list[list[str]], form: FormDefinition | None = None) -> list[Pair]:
    """(field, value, label) from label/value rows: 2 columns, 4 columns, or "Label : value"
    cells; the label is the cell's text."""
    form = form or default_form()
    pairs: list[Pair] = []
    for cells in rows:
        cells = [c for c in cells if c.strip()] if len(cells) > 4 else cells
        first = _label(cells[0], form) if cells else None
        if len(cells) == 4 and first and _label(cells[2], form):
            second = _label(cells[2], form) or ""
            pairs.append(Pair(first, cells[1], cells[0].strip()))
            pairs.append(Pair(second, cells[3], cells[2].strip()))
        elif first and len(cells) >= 2:
            value = " ".join(c for c in cells[1:] if c.strip())
            pairs.append(Pair(first, value, cells[0].strip()))
        elif first:
            # A label with its value cell left empty (trailing empty cells are not kept):
            # a check box line not ticked, or a rubrique to report as missing.
            pairs.append(Pair(first, "", cells[0].strip()))
        else:
            for cell in cells:
                if ":" in cell:
                    head, value = cell.split(":", 1)
                    field = form.match_label(head)
                    if field:
                        pairs.append(Pair(field, value.strip(), head.strip()))
    return pairs


def header_records(rows: list[list[str]], form: FormDefinition | None = None) -> list[Record]:
    """A table with a header row of labels and one fiche per following row (row numbers from 1:
    readers keep empty rows so that they match what the agent sees)."""
    form = form or default_form()
    for h, header in enumerate(rows):
        fields = [_label(c, form) for c in header]
        real = [f for f in fields if f and not f.startswith("cat:")]
        if len(set(real)) < 3 or len(header) < 3:
            continue
        records: list[Record] = []
        for n, row in enumerate(rows[h + 1 :], h + 2):
            if not any(c.strip() for c in row):
                continue
            record = [
                Pair(f, v, label.strip())
                for f, v, label in zip(fields, row, header, strict=False)
                if f
            ]
            if record:
                records.append(Record(record, n))
        return records
    return []
