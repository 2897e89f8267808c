"""Positioned text (PDF text runs, OCR words) to the grids and the text a fiche reader expects.

A PDF exported from Word or Writer holds no table, only text placed on the page and the lines
of the borders. Read in drawing order, "Label" and "value" end up one space apart and the blank
lines between paragraphs disappear. Here the page is rebuilt from positions:

- ruled tables (borders drawn as thin lines): a grid per table, one cell per bordered area,
  so a merged cell is read once and a label wrapped over two lines stays one label;
- borderless tables (cells aligned on common left edges, tab stops): a grid as well, rows
  split where a line starts again in the first column;
- everything else: lines of text, cells three spaces apart ("Label   value", which the text
  reader splits), and a blank line wherever the page shows vertical space, so a long
  description stops at the end of its paragraph instead of swallowing the signature.

Coordinates are in points (or pixels) from the top left of the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

from parsers.cells import Grid


@dataclass(frozen=True)
class Box:
    """A run of text and its bounding box; `reach`, above `top`, the lines of a cell set on
    the line of its row (a spreadsheet's cell of several lines, aligned to the bottom)."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    reach: float | None = None

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True)
class Rule:
    """A border line: horizontal when y0 == y1 (within its thickness), else vertical."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return (self.x1 - self.x0) > (self.y1 - self.y0)


@dataclass
class Line:
    """Boxes sharing a baseline, merged into cells where the gap between them is a word gap."""

    cells: list[Box] = field(default_factory=list)

    @property
    def top(self) -> float:
        return min(c.top for c in self.cells)

    @property
    def bottom(self) -> float:
        return max(c.bottom for c in self.cells)

    @property
    def height(self) -> float:
        return median(c.height for c in self.cells)

    @property
    def reach(self) -> float:
        """How high the text of its cells goes, the lines set on it included."""
        return min(c.top if c.reach is None else c.reach for c in self.cells)


#: A gap wider than this many line heights separates two cells rather than two words.
CELL_GAP = 0.9
#: Text that runs this many line heights under the next box was clipped by its cell.
OVERLAP = 0.3
#: Boxes sharing this much of their height stand on one line, even overlapping.
SAME_LINE = 0.9
#: Vertical space above a line, in line heights, that stands for a blank line.
BLANK_GAP = 0.6
#: How far (in points) two rules may miss each other and still be one table's borders.
TOUCH = 3.0
#: Left edges this close (points) are one column start; one shared by this many lines is a
#: column of the page.
COLUMN_ALIGN, COLUMN_LINES = 1.5, 3


_HYPHENATED = re.compile(r"(?<=\w)- (?=\w)")


def _join(parts: list[str]) -> str:
    """Parts of a text, one space apart; a word cut by a hyphen at a line's end made whole."""
    return _HYPHENATED.sub("-", " ".join(p.strip() for p in parts if p.strip()))


def _merge(a: Box, b: Box) -> Box:
    return Box(min(a.x0, b.x0), min(a.top, b.top), max(a.x1, b.x1), max(a.bottom, b.bottom),
               _join([a.text, b.text]))


def cells_of(boxes: list[Box], starts: tuple[float, ...] = ()) -> list[Box]:
    """Boxes of one line, left to right, merged where they are only a word apart, unless the
    next one begins at a column start of the page (`starts`)."""
    cells: list[Box] = []
    for box in sorted(boxes, key=lambda b: b.x0):
        gap = box.x0 - cells[-1].x1 if cells else 0.0
        size = max(box.height, cells[-1].height) if cells else 0.0
        # Text running under the next box is a cell its column clipped ("Nom et prén|MOREAU");
        # a label clipped just short of its value ("Agent decl|ROUX") stops at the column.
        if (cells and -OVERLAP * size <= gap < CELL_GAP * size
                and not _at_start(box.x0, cells[-1].x0, starts)):
            cells[-1] = _merge(cells[-1], box)
        else:
            cells.append(box)
    return cells


def _at_start(x: float, cell_x: float, starts: tuple[float, ...]) -> bool:
    """Whether `x` is a column start that the cell beginning at `cell_x` does not share."""
    return any(abs(x - s) <= COLUMN_ALIGN and cell_x < s - COLUMN_ALIGN for s in starts)


def column_starts(chains: list[list[Box]]) -> tuple[float, ...]:
    """The left edges where a cell begins after another on many lines: the columns of a
    table or a sheet printed without borders. A box that begins there begins a cell, even a
    hair from the text before it (a label clipped at its column's edge)."""
    edges = sorted((b.x0, n) for n, chain in enumerate(chains)
                   for b in sorted(chain, key=lambda b: b.x0)[1:])
    starts: list[float] = []
    group: list[tuple[float, int]] = []
    for edge in [*edges, (float("inf"), -1)]:
        if group and edge[0] - group[0][0] > COLUMN_ALIGN:
            if len({n for _, n in group}) >= COLUMN_LINES:
                starts.append(median(x for x, _ in group))
            group = []
        group.append(edge)
    return tuple(starts)


def _overlap(a: Box, b: Box) -> float:
    """How much two boxes share vertically, as a part of the smaller one."""
    shared = min(a.bottom, b.bottom) - max(a.top, b.top)
    return shared / max(min(a.height, b.height), 1e-6)


def lines_of(boxes: list[Box], columns: bool = False) -> list[Line]:
    """Boxes chained into lines, left to right: each box joins the line whose last box it
    overlaps most. Following the chain keeps a tilted line (a photographed page) whole, where
    one band per line would mix it with the next. With `columns`, a box that begins at a
    column start of the page begins a cell: boxes that are runs of text (a PDF's), not words
    (OCR's), whose left edges line up by chance across a paragraph."""
    chains: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: b.x0):
        if not box.text.strip():
            continue
        best, score = None, 0.5
        for chain in chains:
            last = chain[-1]
            overlap = _overlap(last, box)
            # Not to the left: another line, unless on the very same one (a clipped cell).
            if last.x1 - box.x0 > 0.5 * box.height and overlap < SAME_LINE:
                continue
            if overlap > score:
                best, score = chain, overlap
        if best is None:
            chains.append([box])
        else:
            best.append(box)
    chains.sort(key=lambda chain: median(b.middle for b in chain))
    starts = column_starts(chains) if columns else ()
    return [Line(cells_of(chain, starts)) for chain in chains]


# --- ruled tables -------------------------------------------------------------------------


def _positions(values: list[float]) -> list[float]:
    """Distinct positions, those closer than TOUCH merged (a border drawn twice, or thick)."""
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= TOUCH:
            continue
        out.append(v)
    return out


def _tables(rules: list[Rule]) -> list[list[Rule]]:
    """Rules that touch one another, grouped: one group per bordered table."""
    groups: list[list[Rule]] = []
    for rule in rules:
        touching = [g for g in groups if any(_touch(rule, r) for r in g)]
        merged = [rule] + [r for g in touching for r in g]
        groups = [g for g in groups if g not in touching] + [merged]
    return [g for g in groups if sum(r.horizontal for r in g) >= 2
            and sum(not r.horizontal for r in g) >= 2]


def _touch(a: Rule, b: Rule) -> bool:
    return (a.x0 - TOUCH <= b.x1 and b.x0 - TOUCH <= a.x1
            and a.y0 - TOUCH <= b.y1 and b.y0 - TOUCH <= a.y1)


def _ruled_grid(rules: list[Rule], boxes: list[Box]) -> tuple[Grid, list[Box]]:
    """The grid of one bordered table, and the boxes it took."""
    ys = _positions([(r.y0 + r.y1) / 2 for r in rules if r.horizontal])
    verticals = [r for r in rules if not r.horizontal]
    grid: Grid = []
    taken: list[Box] = []
    for top, bottom in zip(ys, ys[1:], strict=False):
        middle = (top + bottom) / 2
        # Only the borders that cross this row divide it: a merged cell has none inside it.
        crossing = [r for r in verticals if r.y0 - TOUCH <= middle <= r.y1 + TOUCH]
        xs = _positions([(r.x0 + r.x1) / 2 for r in crossing])
        row: list[str] = []
        for left, right in zip(xs, xs[1:], strict=False):
            inside = [b for b in boxes
                      if left <= (b.x0 + b.x1) / 2 <= right and top <= b.middle <= bottom]
            taken += inside
            row.append(_join([c.text for line in lines_of(inside) for c in line.cells]))
        if any(row):
            grid.append(row)
    return grid, taken


# --- borderless tables ---------------------------------------------------------------------


def _column(x: float, starts: list[float], tolerance: float) -> int | None:
    for i, start in enumerate(starts):
        if abs(x - start) <= tolerance:
            return i
    return None


def _aligned_blocks(lines: list[Line]) -> list[tuple[int, int, list[float]]]:
    """(first, end, column starts) of each run of lines laid out on common left edges, with
    at least two lines of two cells or more: a table typed without borders, or tab stops."""
    blocks: list[tuple[int, int, list[float]]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if len(line.cells) < 2:
            i += 1
            continue
        starts = [c.x0 for c in line.cells]
        tolerance = max(3.0, 0.8 * line.height)
        end, wide = i + 1, 1
        while end < len(lines):
            nxt, prev = lines[end], lines[end - 1]
            if nxt.reach - prev.bottom > 2.5 * nxt.height:
                break
            columns = [_column(c.x0, starts, tolerance) for c in nxt.cells]
            if None in columns:
                if len(nxt.cells) < 2 or columns[0] is None:
                    break
                # A row with one more cell on the right: the table is wider than it seemed.
                extra = {c.x0 for c, k in zip(nxt.cells, columns, strict=True) if k is None}
                starts = sorted(set(starts) | extra)
            wide += len(nxt.cells) >= 2
            end += 1
        if wide >= 2:
            blocks.append((i, end, starts))
            i = end
        else:
            i += 1
    return blocks


def _full(cell: Box | None, word: str, width: float, limit: float) -> bool:
    """Whether the text of `cell` ends where the next word (`width` points wide) would not
    have fitted before `limit`, the widest the column's lines go: the line was wrapped."""
    return cell is not None and cell.x1 + 1.3 * width > limit


def _aligned_grid(lines: list[Line], starts: list[float]) -> Grid:
    grid: Grid = []
    previous: Line | None = None
    label: Box | None = None  # the first-column cell of the line above
    # How far the labels' lines go, those that do not run over the next column.
    ends = [line.cells[0].x1 for line in lines
            if len(starts) > 1 and line.cells[0].x1 < starts[1]]
    limit = max(ends, default=0.0)
    for line in lines:
        tolerance = max(3.0, 0.8 * line.height)
        placed = [(_column(c.x0, starts, tolerance), c) for c in line.cells]
        cell = next((c for k, c in placed if k == 0), None)
        first = cell.text if cell is not None else None
        gap = line.top - previous.bottom if previous else 0.0
        # A line with text in the first column opens a row, unless it is the wrapped end of
        # the label above it, close under it: alone on its line or under a label that filled
        # its column, and starting in lower case or "(" ("communiquée", "(si connu)"), as
        # the labels of a form start with a capital.
        wrapped = False
        if cell is not None and first and gap < BLANK_GAP * line.height:
            word = first.split()[0]
            alone = len(line.cells) == 1
            full = _full(label, word, cell.width * len(word) / len(first), limit)
            wrapped = (first[0].islower() or first[0] == "(") and (alone or full)
        if not grid or (first is not None and not wrapped):
            grid.append([""] * len(starts))
        for k, c in placed:
            column = k if k is not None else len(starts) - 1
            grid[-1][column] = _join([grid[-1][column], c.text])
        previous, label = line, cell
    return grid


# --- a sheet printed over several pages -----------------------------------------------------


@dataclass
class Page:
    """What one page holds: its text boxes, its border lines, its width."""

    boxes: list[Box]
    rules: list[Rule]
    width: float


#: How far (points) two lines may be apart and still be one row of a sheet.
ROW_ALIGN = 1.0


def _continues_right(left: Page, right: Page) -> bool:
    """Whether `right` holds the next columns of the rows of `left`: a spreadsheet wider than
    the paper prints its columns on the following page. Either text runs in from the left
    edge (a cell continued from the page before), or every line of `right` stands at the
    height of a line of `left` and the first line of `left` (its title) has none beside it."""
    if not right.boxes or not left.boxes:
        return False
    if any(b.x0 < -ROW_ALIGN for b in right.boxes):
        return True
    tops = sorted({round(b.top, 1) for b in left.boxes})
    theirs = sorted({round(b.top, 1) for b in right.boxes})
    aligned = all(any(abs(t - u) <= ROW_ALIGN for u in tops) for t in theirs)
    return len(theirs) >= 2 and aligned and theirs[0] > tops[0] + ROW_ALIGN


def join_pages(pages: list[Page]) -> list[Page]:
    """Pages that continue the one before to the right, set beside it: one page per sheet."""
    out: list[Page] = []
    for page in pages:
        if out and _continues_right(out[-1], page):
            sheet = out[-1]
            shift = sheet.width
            # Text running in from the left is the end of a cell of the page before: read there.
            sheet.boxes += [Box(b.x0 + shift, b.top, b.x1 + shift, b.bottom, b.text)
                            for b in page.boxes if b.x0 >= -ROW_ALIGN]
            sheet.rules += [Rule(r.x0 + shift, r.y0, r.x1 + shift, r.y1) for r in page.rules]
            sheet.width += page.width
        else:
            out.append(Page(list(page.boxes), list(page.rules), page.width))
    return out


# --- the page -----------------------------------------------------------------------------


def _text(lines: list[Line]) -> list[str]:
    out: list[str] = []
    previous: Line | None = None
    for line in lines:
        if previous is not None and line.top - previous.bottom > BLANK_GAP * line.height:
            out.append("")
        out.append("   ".join(c.text.strip() for c in line.cells))
        previous = line
    return out


def read_lines(lines: list[Line]) -> tuple[list[Grid], str]:
    """The borderless tables and the text of lines read top to bottom."""
    grids: list[Grid] = []
    text: list[str] = []
    done = 0
    for first, end, starts in _aligned_blocks(lines):
        text += _text(lines[done:first]) + [""]
        grids.append(_aligned_grid(lines[first:end], starts))
        done = end
    text += _text(lines[done:])
    return grids, "\n".join(text)


def read_page(boxes: list[Box], rules: list[Rule]) -> tuple[list[Grid], str]:
    """The grids (ruled, then aligned) and the remaining text of one page."""
    grids: list[Grid] = []
    taken: set[int] = set()
    for table in _tables(rules):
        grid, used = _ruled_grid(table, boxes)
        if grid:
            grids.append(grid)
            taken |= {id(b) for b in used}
    aligned, text = read_lines(lines_of([b for b in boxes if id(b) not in taken], columns=True))
    return grids + aligned, text
