"""PDF fiches: the fields of a fillable form (AcroForm), else the pages read with their layout.

pypdf reads the form fields and opens files "encrypted" with an empty password; pdfium (the
PDF engine of Chromium, through pypdfium2) gives the text runs with their positions and the
border lines, from which `layout` rebuilds tables and paragraphs. A page that holds images
but no text is a scan: `Scanned` hands it to the OCR reader.
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


def _boxes(page: pdfium.PdfPage, height: float) -> list[Box]:
    """The text boxes of a page: pdfium's rectangles and their text, unless some overlap (a
    clipped cell, check boxes drawn around their choices): then the characters' own runs, a
    run one box unless other text stands in its gaps, then one box per piece."""
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
    runs = _runs(textpage)
    spans = [(r[0][0], r[-1][2], min(p[1] for p in r), max(p[3] for p in r)) for r in runs]
    boxes = []
    for n, run in enumerate(runs):
        x0, x1, y0, y1 = spans[n]
        pieces = [run]
        if len(run) > 1 and any(
            m != n and x0 < a and b < x1 and c < y1 and y0 < d
            for m, (a, b, c, d) in enumerate(spans)
        ):
            pieces = [[p] for p in run]
        for piece in pieces:
            text = " ".join("".join(c for p in piece for c in p[4]).split())
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
