"""Grids of cells (HTML tables, Word and Writer tables, spreadsheets) to label/value pairs.

The layout is read from the cells, not assumed: a label is any cell that names a rubrique
(`form.match_label`), wherever it stands. Its value is what follows it on its row up to the
next label (one cell, a cell merged across, a row of check boxes), else the cell below it
(a row of labels above a row of values, a label merged across the table above its text).
Cells that name no rubrique and hold no value (a title, a section column or row, a number
column) are left out, and a merged cell is read once: its hidden places are empty.

`header_records` reads the other layout, a table of several fiches: one header row of labels,
then one fiche per row.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from parsers.cells import Cell, CoveredAbove, Kind, read_cell
from parsers.form import FormDefinition, default_form
from parsers.pairs import Pair, Pairs
from parsers.text import extract_pairs, is_closing

_NAMES = (Kind.LABEL, Kind.INLINE)  # cells that end the value of the label before them
_BOXES = (Kind.CHOICE, Kind.MARK)
#: One fiche fills a few dozen cells: past this many, a grid is data, not a fiche to read.
MAX_FILLED = 4000
#: A table of fiches has its header row near its top, and a fiche laid out as rows of labels
#: above rows of values is short: past these rows of a table, neither is looked for.
HEADER_WITHIN, LABEL_ROWS_WITHIN = 50, 50


@dataclass
class Record:
    """The (field, value) pairs of one fiche; `line` is its row in a table of several."""

    pairs: list[Pair]
    line: int | None = None


def _ticks(cells: list[Cell]) -> list[tuple[Cell, bool | None]]:
    """Each choice of one row of check boxes, ticked or not (None: nothing says).

    A mark alone in a cell ("X", "☒", an empty box) ticks the choice beside it: the one before
    when the row starts with a choice, else the one after ("X | Autre")."""
    shown = [c for c in cells if not c.covered]
    marks = any(c.kind is Kind.MARK for c in shown)
    after = bool(shown) and shown[0].kind is Kind.CHOICE
    out: list[tuple[Cell, bool | None]] = []
    for i, cell in enumerate(shown):
        if cell.kind is not Kind.CHOICE:
            continue
        if cell.ticked is not None or not marks:
            out.append((cell, cell.ticked))
            continue
        j = i + 1 if after else i - 1
        beside = shown[j] if 0 <= j < len(shown) else None
        out.append((cell, beside is not None and beside.kind is Kind.MARK and bool(beside.ticked)))
    return out


def _render(segments: list[list[Cell]]) -> str:
    """A value from its cells, one list per row. Check boxes are written "☒ choice ☐ choice",
    so that the mark stays with the choice it stands beside."""
    filled = [c for cells in segments for c in cells if not c.empty]
    choices = any(c.kind is Kind.CHOICE for c in filled)
    if choices and all(c.kind in _BOXES for c in filled):
        ticks = [t for cells in segments for t in _ticks(cells)]
        if len(ticks) > 1 or ticks[0][1] is not None:
            return " ".join(("☒ " if ticked else "☐ ") + cell.choice for cell, ticked in ticks)
    return "\n".join(c.text for c in filled)


def _reads_as_prose(text: str) -> bool:
    """A sentence or more, not a heading: five words, or the end of a sentence."""
    return len(text.split()) >= 5 or text.rstrip()[-1:] in ".!?…"


class _Layout:
    """One grid, its cells read once, and the places already taken as values."""

    def __init__(self, rows: list[list[str]], form: FormDefinition) -> None:
        self.form = form
        self.cells: list[list[Cell]] = []
        filled = 0
        for row in rows:
            filled += sum(1 for text in row if text)
            if filled > MAX_FILLED:
                break
            self.cells.append([read_cell(text, form) for text in row])
        self.width = max(
            (max((i + 1 for i, c in enumerate(row) if not c.empty), default=0)
             for row in self.cells),
            default=0,
        )
        self.taken: set[tuple[int, int]] = set()
        self.found: Pairs = []
        self.stacked = False

    def at(self, r: int, c: int) -> Cell | None:
        if 0 <= r < len(self.cells) and 0 <= c < len(self.cells[r]):
            return self.cells[r][c]
        return None

    def add(self, label: Cell, value: str, places: Iterable[tuple[int, int]] = ()) -> None:
        """The one place a pair is made from cells; `places` are taken by it."""
        self.found.append(Pair(label.field, value, label.text.strip().rstrip(" :：")))
        self.taken.update(places)

    # --- where a value is ----------------------------------------------------------------

    def _extent(self, r: int, c: int) -> range:
        """The columns under a label: its own and the empty ones up to the next filled cell."""
        end = c + 1
        while end < self.width and (cell := self.at(r, end)) is not None and cell.empty:
            end += 1
        return range(c, max(end, c + 1))

    def _below(self, r: int, c: int, label: Cell, lone: bool) -> list[tuple[int, int]]:
        """The places holding the value of the label at (r, c) below it, if any: the next
        row's cells under the label, or for a label alone on its row, the next row if it
        holds nothing else (not a row of pairs, no footer), or the check boxes listed under it.
        """
        columns = self._extent(r, c) if not lone else range(c, max(self.width, c + 1))
        allowed = {Kind.TEXT, *_BOXES} if label.field == "category" else {Kind.TEXT}
        found: list[tuple[int, int]] = []
        for n in range(r + 1, len(self.cells)):
            row = self.cells[n]
            places = [(n, i) for i in columns if i < len(row) and not row[i].empty]
            kinds = {row[i].kind for _, i in places}
            if not places or any(p in self.taken for p in places) or not kinds <= allowed:
                break
            if lone and (
                any(not cell.empty and i not in columns for i, cell in enumerate(row))
                or is_closing(row[places[0][1]].text)
            ):
                break
            found += places
            if not lone or not kinds <= set(_BOXES):
                break  # one row, but for a list of check boxes one a row
            allowed = set(_BOXES)
        return found

    def _slot(self, r: int, c: int) -> bool:
        """Whether the label at (r, c) has an empty value cell on its right (not a merged one)."""
        cell = self.at(r, c + 1)
        return c + 1 < self.width and (cell is None or (cell.empty and not cell.covered))

    def _continuation(self, r: int, c: int, label: Cell) -> list[list[tuple[int, int]]]:
        """Next rows that go on with the value of the label at (r, c): the label's cell is
        merged down over them, or they list more check boxes of the category."""
        rows: list[list[tuple[int, int]]] = []
        for n in range(r + 1, len(self.cells)):
            row = self.cells[n]
            head = row[: c + 1]
            rest = [(n, i) for i in range(c + 1, len(row)) if not row[i].empty]
            if any(not cell.empty for cell in head) or not rest:
                break
            kinds = {self.cells[p[0]][p[1]].kind for p in rest}
            merged_down = c < len(row) and row[c].covered_above
            boxes = label.field == "category" and kinds <= set(_BOXES)
            if not (merged_down and kinds <= {Kind.TEXT, *_BOXES}) and not boxes:
                break
            if any(p in self.taken for p in rest):
                break
            rows.append(rest)
        return rows

    def _reads_as_value(self, r: int, c: int) -> bool:
        """Whether the label-like cell at (r, c), last on its row, is the value of the label
        before it ("Nom de l'agent 39 75 | Téléconseiller"): its column holds values."""
        cell = self.cells[r][c]
        if cell.text.endswith((":", "：")) or any(not x.empty for x in self.cells[r][c + 1 :]):
            return False
        values, labels = self._columns
        return values[c] > labels[c] - 1  # the other rows, this label left out

    @functools.cached_property
    def _columns(self) -> tuple[Counter[int], Counter[int]]:
        """How many values, how many labels each column holds."""
        values: Counter[int] = Counter()
        labels: Counter[int] = Counter()
        for row in self.cells:
            for c, cell in enumerate(row):
                values[c] += cell.kind is Kind.TEXT
                labels[c] += cell.kind is Kind.LABEL
        return values, labels

    # --- the layouts -------------------------------------------------------------------------

    def _labels_above(self, r: int) -> bool:
        """Row r is a row of labels whose values are in the row below."""
        row = self.cells[r]
        labels = [
            c for c, cell in enumerate(row) if cell.kind is Kind.LABEL and (r, c) not in self.taken
        ]
        texts = sum(1 for cell in row if cell.kind in (Kind.TEXT, Kind.INLINE))
        if len(labels) < 2 or texts >= len(labels) or r + 1 >= len(self.cells):
            return False
        below = self.cells[r + 1]
        if sum(1 for cell in below if cell.kind in _NAMES) >= 2:
            return False
        hits = sum(1 for c in labels if self._below(r, c, row[c], lone=False))
        if hits >= 2 and 2 * hits >= len(labels):
            return True
        # Some values left blank: the row below is still theirs when it names no rubrique and
        # every value in it stands under one of these labels.
        under = {i for c in labels for i in self._extent(r, c)}
        return hits >= 1 and all(
            cell.empty or (i in under and cell.kind not in _NAMES) for i, cell in enumerate(below)
        )

    def _values_under_labels(self) -> bool:
        """Whether this grid writes values under their labels, so that a label alone on its
        row, with empty cells on its right, has its value in the row below: some row of
        labels stands above a row of values, or most labels stand alone above a value alone."""
        if any(self._labels_above(r) for r in range(len(self.cells))):
            return True
        labels = stacked = 0
        for r, row in enumerate(self.cells):
            filled = [(c, cell) for c, cell in enumerate(row) if not cell.empty]
            if not any(cell.kind is Kind.LABEL for _, cell in filled):
                continue
            labels += 1
            below = self.cells[r + 1] if r + 1 < len(self.cells) else []
            under = [(c, cell) for c, cell in enumerate(below) if not cell.empty]
            stacked += (len(filled) == 1 and len(under) == 1 and under[0][0] == filled[0][0]
                        and under[0][1].kind in (Kind.TEXT, *_BOXES))
        return stacked >= 2 and 2 * stacked >= labels

    def _read_labels_above(self, r: int) -> None:
        for c, label in enumerate(self.cells[r]):
            if label.kind is not Kind.LABEL or (r, c) in self.taken:
                continue
            places = self._below(r, c, label, lone=False)
            cells = [self.cells[n][i] for n, i in places]
            self.add(label, _render([cells]) if cells else "", [(r, c), *places])

    def _read_label(self, r: int, c: int, label: Cell) -> None:
        row = self.cells[r]
        end = c + 1
        while end < len(row) and (row[end].kind not in _NAMES or (r, end) in self.taken):
            end += 1
        run = [(r, i) for i in range(c + 1, end) if (r, i) not in self.taken]
        if any(not self.cells[n][i].empty for n, i in run):
            more = self._continuation(r, c, label)
            segments = [[self.cells[n][i] for n, i in run]]
            segments += [[self.cells[n][i] for n, i in places] for places in more]
            self.add(label, _render(segments), [(r, c), *run, *(p for m in more for p in m)])
            return
        if end < len(row):  # the next filled cell names a rubrique too
            if row[end].kind is Kind.LABEL and self._reads_as_value(r, end):
                self.add(label, row[end].text, [(r, c), (r, end)])
            return  # else a section heading: "Déclarant | Service / mairie déclarant | ..."
        below = self.cells[r + 1] if r + 1 < len(self.cells) else []
        # A box merged across under a label that has its own empty cell is its value when it
        # holds prose (a description written in the big box below); a short heading there is
        # the next section's title ("Signalement", "Le dysfonctionnement constaté").
        merged_across = (
            c + 1 < len(below) and below[c + 1].covered and not below[c].empty
            and _reads_as_prose(below[c].text)
        )
        blank = self._slot(r, c) and not merged_across  # an empty value cell beside it
        places = self._below(r, c, label, lone=True) if not blank or self.stacked else []
        if places:  # else a section row, or nothing written under the label
            rows = sorted({n for n, _ in places})
            segments = [[self.cells[n][i] for m, i in places if m == n] for n in rows]
            self.add(label, _render(segments), [(r, c), *places])
        elif blank:
            self.add(label, "", [(r, c)])  # a rubrique left blank

    def _read_boxes(self, r: int, c: int) -> int:
        """Check boxes outside any label's value ("Erreur de transfert d'appel | X"): one
        (cat:choice, mark) pair each. Returns the column after them."""
        row = self.cells[r]
        end = c
        while end < len(row) and (row[end].kind in _BOXES or row[end].empty):
            end += 1
        for cell, ticked in _ticks(row[c:end]):
            self.add(cell, "X" if ticked else "")
        self.taken.update((r, i) for i in range(c, end))
        return end

    def pairs(self) -> Pairs:
        self.stacked = self._values_under_labels()  # seen whole, before any cell is taken
        for r, row in enumerate(self.cells):
            if self._labels_above(r):
                self._read_labels_above(r)
                continue
            c = 0
            while c < len(row):
                cell = row[c]
                if (r, c) in self.taken:
                    c += 1
                elif cell.kind is Kind.LABEL:
                    self._read_label(r, c, cell)
                    c += 1
                elif cell.kind is Kind.INLINE:
                    self.found += extract_pairs(cell.text, self.form)
                    c += 1
                elif cell.kind in _BOXES:
                    c = self._read_boxes(r, c)
                else:
                    c += 1
        return self.found


def row_pairs(rows: list[list[str]], form: FormDefinition | None = None) -> Pairs:
    """(field, value) pairs of one fiche laid out in a grid, in reading order."""
    return _Layout(rows, form or default_form()).pairs()


def _is_label_row(cells: list[Cell]) -> bool:
    labels = sum(1 for c in cells if c.kind is Kind.LABEL)
    return labels >= 2 and labels > sum(1 for c in cells if c.kind in (Kind.TEXT, Kind.INLINE))


def _names_only(cells: list[Cell]) -> bool:
    """A row holding labels and nothing else: a fiche with its labels above its values, since
    a fiche in a table of fiches writes values in its row, never the name of a rubrique."""
    filled = [c for c in cells if not c.empty]
    return bool(filled) and all(c.kind is Kind.LABEL for c in filled)


def header_records(rows: list[list[str]], form: FormDefinition | None = None) -> list[Record]:
    """A table of several fiches: a header row of labels, then one fiche per row (row numbers
    from 1: readers keep empty rows so that they match what the agent sees). Empty when the
    grid is one fiche: one row of values, or more rows of labels below the first."""
    form = form or default_form()
    for h, header in enumerate(rows[:HEADER_WITHIN]):
        if sum(1 for text in header if text.strip()) < 3:
            continue
        cells = [read_cell(text, form) for text in header]
        fields = [c.field if c.kind in (Kind.LABEL, Kind.CHOICE) else "" for c in cells]
        real = {f for f in fields if f and not f.startswith("cat:")}
        if len(real) < 3 or not _is_label_row(cells):
            continue
        data = [(n, r) for n, r in enumerate(rows[h + 1 :], h + 2) if any(c.strip() for c in r)]
        if len(data) < 2 or any(
            _is_label_row(cells) or _names_only(cells)
            for cells in ([read_cell(t, form) for t in r] for _, r in data[:LABEL_ROWS_WITHIN])
        ):
            return []
        records: list[Record] = []
        above: list[str] = []
        for n, row in data:
            # A cell merged down over several fiches holds the value of each of them.
            row = [
                above[i] if isinstance(text, CoveredAbove) and i < len(above) else text
                for i, text in enumerate(row)
            ]
            above = row
            record = [
                Pair(f, v, label.strip())
                for f, v, label in zip(fields, row, header, strict=False)
                if f
            ]
            if record:
                records.append(Record(record, n))
        return records
    return []
