"""PDF fiches: the fields of a fillable form (AcroForm), else the pages read with their layout.

pypdf reads the form fields and opens files "encrypted" with an empty password; pdfium (the
PDF engine of Chromium, through pypdfium2) gives the text runs with their positions and the
border lines, from which `layout` rebuilds tables and paragraphs. A page that holds images
but no text is a scan: `Scanned` hands it to the OCR reader.
"""

from __future__ import annotations

import io
import logging
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from parsers.attachments.guard import Protected
from parsers.attachments.layout import Box, Grid, Rule, read_page
from parsers.attachments.scanned import Scanned

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


def _boxes(page: pdfium.PdfPage, height: float) -> list[Box]:
    textpage = page.get_textpage()
    boxes = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        text = textpage.get_text_bounded(left, bottom, right, top)
        if text.strip():
            boxes.append(Box(left, height - top, right, height - bottom, " ".join(text.split())))
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
        for index in range(min(len(document), MAX_PAGES)):
            page = document[index]
            height = page.get_height()
            boxes = _boxes(page, height)
            if boxes:
                page_grids, text = read_page(boxes, _rules(page, height))
                grids += page_grids
                texts.append(text)
            else:
                images = images or _has_images(page)
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
