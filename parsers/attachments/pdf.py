"""PDF fiches: the fields of a fillable form (AcroForm), else the pages read with their layout.

pypdf reads the form fields and opens files "encrypted" with an empty password; pdfium (the
PDF engine of Chromium, through pypdfium2) gives the text runs with their positions and the
border lines, from which `layout` rebuilds tables and paragraphs; the lines of a cell that a
spreadsheet drew over the rows above it are told by the order they were drawn in, and given
as one box in the row they belong to. A page that holds images but no text is a scan:
`Scanned` hands it to the OCR reader.
"""

from __future__ import annotations

import ctypes
import io
import logging
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from parsers.attachments.guard import Protected
from parsers.attachments.layout import Box, Page, Rule, join_pages, read_page
from parsers.attachments.scanned import Scanned
from parsers.cells import Grid

#: A fiche is one or two pages: reading more only costs time on a hostile file.
MAX_PAGES = 20
#: A border is a line at most this thick (points), and at least this long.
RULE_THICKNESS = 2.5
RULE_LENGTH = 5.0


def _value(field: dict[str, Any]) -> str:
    value = field.get("/V")
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    text = str(value)
    if field.get("/FT") == "/Btn":
        # A check box: its "on" state has a name of the author's choosing, "Off" is off.
        return "" if text in ("/Off", "Off", "") else "X"
    return text


def _form_rows(data: bytes) -> Grid:
    """The AcroForm fields as (label, value) rows; raises Protected when a password is needed."""
    # pypdf logs every oddity of a damaged file: not ours to report.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        try:
            # Many PDFs are "encrypted" with an empty password, to forbid editing only.
            opened = bool(reader.decrypt(""))
        except (DependencyError, NotImplementedError, FileNotDecryptedError):
            opened = False
        if not opened:
            raise Protected
    rows: Grid = []
    for name, field in (reader.get_fields() or {}).items():
        # The tooltip (/TU) is often the label as printed; the name (/T) may be "Texte1".
        label = str(field.get("/TU") or name)
        rows.append([label, _value(field)])
        if label != name:
            rows.append([str(name), _value(field)])
    return rows


def _rules(page: pdfium.PdfPage, height: float) -> list[Rule]:
    rules = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]):
        left, bottom, right, top = obj.get_bounds()
        thin, long = sorted((right - left, top - bottom))
        if thin <= RULE_THICKNESS and long >= RULE_LENGTH:
            rules.append(Rule(left, height - top, right, height - bottom))
    return rules


#: Within one run of text, a gap this many character heights wide separates two pieces, and
#: a step back to the left ends the run (the letters of a ligature share one place).
RUN_GAP, STEP_BACK = 0.9, 0.5

#: What pdfium writes for a hyphen that ends a line: "rendez-|vous" is one word.
LINE_END_HYPHEN = "\x02"

_Piece = list[Any]  # [x0, y0, x1, y1, characters], in PDF coordinates (y upwards)


def _runs(textpage: pdfium.PdfTextPage) -> list[list[_Piece]]:
    """The page's characters in runs (those that follow one another in one text object, on
    one line), each run in pieces where a wide gap splits it.

    Built from the characters rather than pdfium's rectangles read back by position: the
    text a spreadsheet clips at its cell's edge runs under the next cell, and read by position
    each cell would take letters of the other ("Nom et prénM", "énMOREAU")."""
    raw = textpage.raw
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    runs: list[list[_Piece]] = []
    run: list[_Piece] = []
    owner: int | None = None
    last = 0.0  # x0 of the run's last character
    for i in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(raw, i)
        if code in (10, 13, 0xFFFE):
            if run:
                runs.append(run)
            run = []
            continue
        char = "-" if code == 2 else chr(code) if code < 0x110000 else " "
        if char.isspace():
            if run:
                run[-1][4].append(" ")
            continue
        obj = ctypes.cast(pdfium_c.FPDFText_GetTextObject(raw, i), ctypes.c_void_p).value
        pdfium_c.FPDFText_GetCharBox(raw, i, left, right, bottom, top)
        x0, x1, y0, y1 = left.value, right.value, bottom.value, top.value
        piece = run[-1] if run else None
        if piece is not None:
            size = max(piece[3] - piece[1], y1 - y0, 1.0)
            if (obj != owner or x0 < last - STEP_BACK * size
                    or y1 < piece[1] or y0 > piece[3]):
                runs.append(run)
                run, piece = [], None
            elif x0 - piece[2] > RUN_GAP * size:
                piece = None
        owner, last = obj, x0
        if piece is None:
            run.append([x0, y0, x1, y1, [char]])
        else:
            piece[:4] = [min(piece[0], x0), min(piece[1], y0), max(piece[2], x1),
                         max(piece[3], y1)]
            piece[4].append(char)
    if run:
        runs.append(run)
    return runs


def _overlapping(rects: list[tuple[float, float, float, float]]) -> bool:
    """Whether two of pdfium's text rectangles share a place: read back by position, each
    would take letters of the other."""
    ordered = sorted(rects)
    for n, (_, bottom, right, top) in enumerate(ordered):  # pdf coordinates: y upwards
        for next_left, next_bottom, _, next_top in ordered[n + 1:]:
            if next_left >= right - 0.5:
                break
            if next_bottom < top - 0.5 and bottom < next_top - 0.5:
                return True
    return False


_Span = tuple[float, float, float, float]  # x0, x1, y0, y1 (y upwards)

#: The lines of one cell follow one another at most this many character heights apart
#: (baseline to baseline), an empty paragraph between two of them included.
STACK_PITCH = 3.5


def _shares_line(a: _Span, b: _Span) -> bool:
    return min(a[3], b[3]) - max(a[2], b[2]) > 0.3 * min(a[3] - a[2], b[3] - b[2])


def _collides(a: _Span, b: _Span) -> bool:
    """Whether two runs are drawn over one another, over half the narrower one: more than a
    label clipped at its column's edge runs under its value."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return _shares_line(a, b) and shared > 0.5 * min(a[1] - a[0], b[1] - b[0])


#: A run of at most this many characters, drawn right after the end of a line, belongs to it:
#: a check box or a mark LibreOffice draws in another font, as a text object of its own.
MARK_CHARS = 2

_Stack = list[list[int]]  # lines of one cell, each the runs drawn on it


def _union(spans: list[_Span], line: list[int]) -> _Span:
    return (min(spans[n][0] for n in line), max(spans[n][1] for n in line),
            min(spans[n][2] for n in line), max(spans[n][3] for n in line))


def _gather(spans: list[_Span], marks: list[bool]) -> list[_Stack]:
    """Runs drawn one after another, left-aligned, each a line below the one before: the
    lines of one cell. A mark drawn at the end of one of them joins its line, whenever drawn,
    and does not part the lines drawn before and after it."""
    stacks: list[_Stack] = []
    ends: list[_Span] = []  # per stack, the place of its last line
    for n, (x0, x1, low, high) in enumerate(spans):
        size = max(high - low, 1.0)
        if marks[n]:
            k = next((k for k in range(len(stacks) - 1, -1, -1)
                      if _shares_line(ends[k], spans[n])
                      and 0 <= x0 - ends[k][1] <= size), None)
            if k is not None:
                stacks[k][-1].append(n)
                end = ends[k]
                ends[k] = (end[0], max(end[1], x1), min(end[2], low), max(end[3], high))
                continue
        if stacks:
            a0, _, a_low, _ = ends[-1]
            if (abs(a0 - x0) <= max(1.5, 0.25 * size) and high <= a_low + 0.5
                    and a_low - low <= STACK_PITCH * size):
                stacks[-1].append([n])
                ends[-1] = spans[n]
                continue
        stacks.append([[n]])
        ends.append(spans[n])
    return [s for s in stacks if len(s) >= 2]


def _lines_and_others(spans: list[_Span], stack: _Stack) -> tuple[list[_Span], list[_Span]]:
    """The places of a cell's lines, and of the runs beside them that are not the cell's."""
    mine = {n for line in stack for n in line}
    lines = [_union(spans, line) for line in stack]
    low, high = min(line[2] for line in lines), max(line[3] for line in lines)
    return lines, [s for m, s in enumerate(spans)
                   if m not in mine and s[2] < high and low < s[3]]


def _stacks(spans: list[_Span], marks: list[bool]) -> list[_Stack]:
    """The cells of several lines that cannot be read by position (a spreadsheet's cell
    taller than its row, drawn over the rows above it): a line drawn over other text, or
    one standing on no line of the page in a cell drawn out of the rows' order (a
    spreadsheet draws its cells of several lines last)."""
    kept = []
    for stack in _gather(spans, marks):
        lines, others = _lines_and_others(spans, stack)
        mine = {n for line in stack for n in line}
        colliding = any(_collides(line, o) for line in lines for o in others)
        alone = any(not any(_shares_line(line, o) for o in others) for line in lines)
        # Drawn out of the rows' order: after text lower down, and not followed by the rest
        # of its last line (a title drawn after the page's footer is followed by its row).
        first, after = stack[0][0], max(mine) + 1
        late = (first > 0 and spans[first - 1][3] < lines[-1][2]
                and (after == len(spans) or not _shares_line(spans[after], lines[-1])))
        if colliding or (late and alone):
            kept.append(stack)
    return kept


def _stack_box(spans: list[_Span], stack: _Stack, texts: list[str], height: float) -> Box:
    """One box for the lines of a cell, standing on the line of its row: the last line that
    stands beside other text without being drawn over any (a spreadsheet aligns a cell's
    text to the bottom of its row by default)."""
    lines, others = _lines_and_others(spans, stack)
    row = [line for line in lines if any(_shares_line(line, o) for o in others)
           and not any(_collides(line, o) for o in others)]
    x0, _, low, high = row[-1] if row else lines[-1]
    x1 = max(line[1] for line in lines)
    text = "\n".join(" ".join(texts[n] for n in sorted(line, key=lambda n: spans[n][0]))
                     for line in stack)
    return Box(x0, height - high, x1, height - low, text, reach=height - lines[0][3])


def _text_of(pieces: list[_Piece]) -> str:
    return " ".join("".join(c for p in pieces for c in p[4]).split())


def _gaps_hold_text(run: list[_Piece], span: _Span, spans: list[_Span]) -> bool:
    """Whether other text stands in the gaps of a run: check boxes drawn as one text object
    around their choices ("☒ ☐" over "Erreur de transfert  Information")."""
    for left, right in zip(run, run[1:], strict=False):
        gap = (left[2], right[0], span[2], span[3])
        if any(s is not span and _shares_line(gap, s) and s[0] < gap[1] and gap[0] < s[1]
               for s in spans):
            return True
    return False


def _boxes(page: pdfium.PdfPage, height: float) -> list[Box]:
    """The text boxes of a page: pdfium's rectangles and their text, unless some overlap (a
    clipped cell, check boxes drawn around their choices, a cell taller than its row): then
    the characters' own runs, a run one box unless other text stands in its gaps, then one
    box per piece, and the runs of one cell drawn over other rows one box."""
    textpage = page.get_textpage()
    rects = [textpage.get_rect(i) for i in range(textpage.count_rects())]
    if not _overlapping(rects):
        boxes = []
        for left, bottom, right, top in rects:
            text = textpage.get_text_bounded(left, bottom, right, top)
            text = " ".join(text.replace(LINE_END_HYPHEN, "-").split())
            if text:
                boxes.append(Box(left, height - top, right, height - bottom, text))
        return boxes
    runs = [r for r in _runs(textpage) if _text_of(r)]
    spans = [(r[0][0], r[-1][2], min(p[1] for p in r), max(p[3] for p in r)) for r in runs]
    texts = [_text_of(r) for r in runs]
    # A mark: one glyph or two, drawn together ("☐ ☐" far apart are check boxes of a row).
    marks = [len(run) == 1 and len(text.replace(" ", "")) <= MARK_CHARS
             for run, text in zip(runs, texts, strict=True)]
    stacks = _stacks(spans, marks)
    boxes = [_stack_box(spans, stack, texts, height) for stack in stacks]
    stacked = {n for stack in stacks for line in stack for n in line}
    for n, run in enumerate(runs):
        if n in stacked:
            continue
        pieces = [[p] for p in run] if _gaps_hold_text(run, spans[n], spans) else [run]
        for piece in pieces:
            text = _text_of(piece)
            if text:
                boxes.append(Box(min(p[0] for p in piece), height - max(p[3] for p in piece),
                                 max(p[2] for p in piece), height - min(p[1] for p in piece),
                                 text))
    return boxes


def _has_images(page: pdfium.PdfPage) -> bool:
    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def read_pages(data: bytes) -> tuple[list[Grid], str]:
    """Every page's grids and text; raises Scanned when the pages are images only."""
    document = pdfium.PdfDocument(data)
    try:
        grids: list[Grid] = []
        texts: list[str] = []
        images = False
        pages: list[Page] = []
        for index in range(min(len(document), MAX_PAGES)):
            page = document[index]
            height = page.get_height()
            boxes = _boxes(page, height)
            if boxes:
                pages.append(Page(boxes, _rules(page, height), page.get_width()))
            else:
                images = images or _has_images(page)
        for sheet in join_pages(pages):
            page_grids, text = read_page(sheet.boxes, sheet.rules)
            grids += page_grids
            texts.append(text)
        if images and not any(t.strip() for t in texts) and not grids:
            raise Scanned
        return grids, "\n\n".join(texts)
    finally:
        document.close()


def read_pdf(data: bytes) -> tuple[list[Grid], str]:
    rows = _form_rows(data)
    if any(value for _, value in rows):
        return [rows], ""
    grids, text = read_pages(data)
    return ([rows] if rows else []) + grids, text
