"""One cell of a grid (Word or Writer table, spreadsheet, HTML table): what it holds.

Readers put `COVERED_LEFT` or `COVERED_ABOVE` where a merged cell hides a cell: they are empty
strings, so whatever reads a grid as text sees nothing there (a merged cell's text is read
once), and the layout reader (`parsers.rows`) still knows that the place belongs to a
neighbour: a label merged down over the next rows, a title merged across the table.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass

from parsers.category import box_end, lone_mark
from parsers.fold import clean_spaces
from parsers.form import FormDefinition
from parsers.labels import without_hints
from parsers.text import extract_pairs

#: A table or a sheet: its rows of cell texts, as the readers give them.
Grid = list[list[str]]


class Covered(str):
    """An empty place under a merged cell that starts to its left."""

    __slots__ = ()


class CoveredAbove(Covered):
    """An empty place under a merged cell that starts in a row above."""

    __slots__ = ()


COVERED_LEFT: Covered = Covered()
COVERED_ABOVE: Covered = CoveredAbove()


#: A gap the agent made on purpose (two spaces or more, a tab) inside a line of a cell.
_GAP = re.compile(r"[^\S\n]{2,}|\t")


def cell_lines(parts: Iterable[str]) -> str:
    """A cell's text from its paragraphs: one line each (line breaks inside kept), empty
    lines dropped, spaces collapsed but for the wide gaps typed to lay choices out, kept as
    three spaces ("Erreur de transfert X   Information erronée   Autre": the mark is the first
    choice's). "Date : 12/03" and "Heure : 14h" stay two lines."""
    lines = (
        "   ".join(clean_spaces(piece) for piece in _GAP.split(line.strip()))
        for part in parts
        for line in part.split("\n")
    )
    return "\n".join(line for line in lines if line)


class Kind(enum.Enum):
    EMPTY = "empty"
    LABEL = "label"  # a rubrique's label alone: its value is elsewhere
    INLINE = "inline"  # "Label : value" in one cell
    CHOICE = "choice"  # one choice of the category, maybe with its own box
    MARK = "mark"  # a box or a mark alone ("X", "☒", "☐"): it ticks the choice beside it
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    kind: Kind
    #: LABEL and INLINE: the rubrique; CHOICE: "cat:<category>".
    field: str = ""
    #: CHOICE: whether its own box is ticked (None: no box in the cell); MARK: ticked or not.
    ticked: bool | None = None
    #: CHOICE: the choice's words without the box.
    choice: str = ""
    covered: bool = False
    covered_above: bool = False

    @property
    def empty(self) -> bool:
        return self.kind is Kind.EMPTY


_EMPTY = Cell("", Kind.EMPTY)
_LEFT = Cell("", Kind.EMPTY, covered=True)
_ABOVE = Cell("", Kind.EMPTY, covered=True, covered_above=True)


def _boxed(text: str, form: FormDefinition) -> Cell | None:
    """A category choice with its own box or mark, before or after its words (a cell of
    several lines is several choices, read whole by the category reader)."""
    found = box_end(text)
    if found is None:
        return None
    words, mark = found[0].strip(" :="), found[1]
    field = form.match_label(words)
    if field and field.startswith("cat:"):
        return Cell(text, Kind.CHOICE, field, lone_mark(mark) is not False, words)
    return None


def _starts_with_label(text: str, form: FormDefinition) -> str | None:
    """The rubrique of a cell written "Label : value" (its first line), else None."""
    first = text.split("\n", 1)[0]
    if not any(sep in first for sep in (":", "：", "\t")):
        return None
    pairs = extract_pairs(first, form)
    if pairs and not pairs[0][0].startswith("cat:"):
        return pairs[0][0]
    return None


#: Cells already read, per form: the same labels come back in every fiche, and reading one
#: is a label lookup or three. The form is kept with its cells, so its id names only it.
_READ: dict[int, tuple[FormDefinition, dict[str, Cell]]] = {}
_MAX_FORMS, _MAX_CELLS = 4, 8192


def read_cell(text: str, form: FormDefinition) -> Cell:
    """What one cell holds, from its text and whether it is covered by a merged cell."""
    if isinstance(text, Covered):
        return _ABOVE if isinstance(text, CoveredAbove) else _LEFT
    entry = _READ.get(id(form))
    if entry is None or entry[0] is not form:
        if len(_READ) >= _MAX_FORMS:
            _READ.clear()
        entry = _READ[id(form)] = (form, {})
    known = entry[1]
    cell = known.get(text)
    if cell is None:
        if len(known) >= _MAX_CELLS:
            known.clear()
        cell = known[text] = _read(text, form)
    return cell


def _read(text: str, form: FormDefinition) -> Cell:
    stripped = text.strip()
    if not stripped:
        return _EMPTY
    mark = lone_mark(stripped)
    if mark is not None:
        return Cell(stripped, Kind.MARK, ticked=mark)
    first = without_hints(stripped.split("\n", 1)[0]).rstrip(" :：")  # "(hh:mm)" is a hint
    if ":" in first or "：" in first:
        # "Label : value" in one cell: read as such before the whole text is tried as a
        # label, since a label read by meaning tolerates a few extra words ("Mehdi").
        inline = _starts_with_label(stripped, form)
        if inline:
            return Cell(stripped, Kind.INLINE, inline)
    field = form.match_label(stripped.rstrip(" :："))
    if field is None or field.startswith("cat:"):
        # Labels are matched without their boxes: "☒ Autre" is "Autre" with a box ticked.
        boxed = _boxed(stripped, form)
        if boxed is not None:
            return boxed
    if field and field.startswith("cat:"):
        return Cell(stripped, Kind.CHOICE, field, None, stripped)
    if field:
        return Cell(stripped, Kind.LABEL, field)
    inline = _starts_with_label(stripped, form)
    if inline:
        return Cell(stripped, Kind.INLINE, inline)
    return Cell(stripped, Kind.TEXT)
