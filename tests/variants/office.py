"""Fiches as office files written by the Python libraries: Word (2 and 4 columns, a section
column, labels above values, paragraphs), Excel (label rows, section rows or column, a header
row), Calc and Writer. Files are made reproducible: fixed dates inside and in the zip."""

from __future__ import annotations

import functools
import io
import random
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from .fiche import SECTIONS, Fiche, Line
from .text import fiche_text

FIXED_TIME = (2026, 1, 5, 9, 0, 0)
_STAMP = re.compile(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z?")
_STAMPED = ("docProps/core.xml", "meta.xml")


def reproducible(data: bytes) -> bytes:
    """The same package with every date fixed, so one seed gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename in _STAMPED:
                content = _STAMP.sub(b"2026-01-05T09:00:00Z", content)
            fixed = zipfile.ZipInfo(info.filename, FIXED_TIME)
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            target.writestr(fixed, content)
    return out.getvalue()


def is_long(line: Line) -> bool:
    return len(line.text) > 45 or len(line.value) > 1


def side_by_side(lines: list[Line], width: int) -> Iterator[list[Line]]:
    """The lines in runs of up to `width` short rubriques, in order; a long one alone."""
    pending: list[Line] = []
    for line in lines:
        if is_long(line):
            if pending:
                yield pending
                pending = []
            yield [line]
            continue
        pending.append(line)
        if len(pending) == width:
            yield pending
            pending = []
    if pending:
        yield pending


def groups(fiche: Fiche) -> Iterator[tuple[str, list[Line]]]:
    """Consecutive rubriques of one section, with the section's heading."""
    run: list[Line] = []
    for line in fiche.lines:
        if run and fiche.section_of(line) != fiche.section_of(run[0]):
            yield SECTIONS[fiche.section_of(run[0])][0][0], run
            run = []
        run.append(line)
    if run:
        yield SECTIONS[fiche.section_of(run[0])][0][0], run


# --- Word -----------------------------------------------------------------------------


def _fill(cell: Any, lines: list[str], bold: bool = False) -> None:
    for i, text in enumerate(lines or [""]):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        run = paragraph.add_run(text)
        run.bold = bold


def _document(rng: random.Random) -> Any:
    import docx

    document = docx.Document()
    if rng.random() < 0.7:
        document.add_heading("Fiche de signalement 39 75", level=1)
    return document


def _saved(document: Any) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return reproducible(out.getvalue())


def docx_two_columns(rng: random.Random, fiche: Fiche) -> tuple[bytes, list[str]]:
    document = _document(rng)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    classes = []
    if rng.random() < 0.3:
        cells = table.add_row().cells
        _fill(cells[0], ["Rubrique"], True)
        _fill(cells[1], ["Réponse"], True)
        classes.append("header-row")
    for line in fiche.lines:
        cells = table.add_row().cells
        _fill(cells[0], [line.label.text], True)
        _fill(cells[1], line.value)
    document.add_paragraph(f"Fait à Paris, le {fiche.sent:%d/%m/%Y}")
    return _saved(document), classes


def docx_four_columns(rng: random.Random, fiche: Fiche) -> tuple[bytes, list[str]]:
    document = _document(rng)
    table = document.add_table(rows=0, cols=4)
    table.style = "Table Grid"

    def put(pair: list[Line]) -> None:
        cells = table.add_row().cells
        if len(pair) == 1:
            cells[1].merge(cells[3])
        for k, line in enumerate(pair):
            _fill(cells[2 * k], [line.label.text], True)
            _fill(cells[2 * k + 1], line.value)

    for run in side_by_side(fiche.lines, 2):
        put(run)
    return _saved(document), ["merged-value-cells"]


def docx_section_column(rng: random.Random, fiche: Fiche) -> tuple[bytes, list[str]]:
    """A first column merged down each section, then label and value."""
    document = _document(rng)
    table = document.add_table(rows=0, cols=3)
    table.style = "Table Grid"
    for heading, run in groups(fiche):
        first = None
        for line in run:
            cells = table.add_row().cells
            _fill(cells[1], [line.label.text], True)
            _fill(cells[2], line.value)
            if first is None:
                first = cells[0]
                _fill(first, [heading], True)
            else:
                first = first.merge(cells[0])
    return _saved(document), ["section-column"]


def docx_labels_above(rng: random.Random, fiche: Fiche) -> tuple[bytes, list[str]]:
    """Up to three short rubriques side by side, each label over its value."""
    document = _document(rng)
    table = document.add_table(rows=0, cols=3)
    table.style = "Table Grid"

    def put(run: list[Line]) -> None:
        labels, values = table.add_row().cells, table.add_row().cells
        if len(run) == 1:
            labels[0].merge(labels[2])
            values[0].merge(values[2])
        for k, line in enumerate(run):
            _fill(labels[k], [line.label.text], True)
            _fill(values[k], line.value)

    for run in side_by_side(fiche.lines, 3):
        put(run)
    return _saved(document), ["labels-above"]


def docx_paragraphs(rng: random.Random, fiche: Fiche) -> tuple[bytes, list[str]]:
    document = _document(rng)
    lines, classes = fiche_text(rng, fiche)
    for text in lines:
        document.add_paragraph(text)
    document.add_paragraph(f"Fait à Paris, le {fiche.sent:%d/%m/%Y}")
    return _saved(document), classes


# --- Excel ----------------------------------------------------------------------------


def _workbook() -> Any:
    import datetime as dt

    from openpyxl import Workbook

    workbook = Workbook()
    fixed = dt.datetime(*FIXED_TIME)
    workbook.properties.created = workbook.properties.modified = fixed
    return workbook


def _xlsx_bytes(workbook: Any) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return reproducible(out.getvalue())


def xlsx_rows(rng: random.Random, fiche: Fiche) -> tuple[bytes, list[str]]:
    workbook = _workbook()
    sheet = workbook.active
    classes = []
    if rng.random() < 0.5:
        sheet.append(["FICHE DE SIGNALEMENT 39 75"])
        sheet.merge_cells("A1:B1")
        sheet.append([])
        classes.append("title-row")
    for line in fiche.lines:
        sheet.append([line.label.text, "\n".join(line.value) or None])
    return _xlsx_bytes(workbook), classes


def xlsx_sections(rng: random.Random, fiche: Fiche) -> tuple[bytes, list[str]]:
    """A title, then either a row per section heading or a section column merged down."""
    workbook = _workbook()
    sheet = workbook.active
    sheet.append(["Fiche de signalement – plateforme 39 75"])
    column = rng.random() < 0.5
    for heading, run in groups(fiche):
        if column:
            top = sheet.max_row + 1
            for k, line in enumerate(run):
                sheet.append([heading if k == 0 else None, line.label.text,
                              "\n".join(line.value) or None])
            if len(run) > 1:
                sheet.merge_cells(start_row=top, end_row=top + len(run) - 1,
                                  start_column=1, end_column=1)
        else:
            sheet.append([heading.upper()])
            sheet.merge_cells(start_row=sheet.max_row, end_row=sheet.max_row,
                              start_column=1, end_column=2)
            for line in run:
                sheet.append([line.label.text, "\n".join(line.value) or None])
    return _xlsx_bytes(workbook), ["title-row", "section-column" if column else "section-rows"]


def xlsx_table(rng: random.Random, fiche: Fiche) -> tuple[bytes, list[str]]:
    workbook = _workbook()
    sheet = workbook.active
    sheet.append([line.label.text for line in fiche.lines])
    sheet.append(["\n".join(line.value) or None for line in fiche.lines])
    return _xlsx_bytes(workbook), ["header-row"]


# --- LibreOffice (odfpy) --------------------------------------------------------------


@functools.cache
def _settle_odf_namespaces() -> None:
    """odfpy declares, in every file, each namespace any document of the process has used so
    far (a class-wide dict): saving one document of each kind first makes that set the same
    for every file, so the same seed gives the same bytes."""
    from odf import table, text
    from odf.opendocument import OpenDocumentSpreadsheet, OpenDocumentText

    kinds = ((OpenDocumentText(), "text"), (OpenDocumentSpreadsheet(), "spreadsheet"))
    for document, part in kinds:
        body = getattr(document, part)
        grid = table.Table(name="x")
        row = table.TableRow()
        row.addElement(_odf_cell(["x"]))
        grid.addElement(row)
        if part == "text":
            body.addElement(text.H(outlinelevel=1, text="x"))
        body.addElement(grid)
        document.save(io.BytesIO())


def _odf_bytes(document: Any) -> bytes:
    _settle_odf_namespaces()
    out = io.BytesIO()
    document.save(out)
    return reproducible(out.getvalue())


def _odf_cell(lines: list[str]) -> Any:
    from odf import table

    cell = table.TableCell(valuetype="string")
    for value in lines:
        cell.addElement(_odf_paragraph(value))
    return cell


def _odf_paragraph(value: str) -> Any:
    """A paragraph keeping tabs and runs of spaces (ODF collapses them in plain text)."""
    from odf import teletype, text

    paragraph = text.P()
    teletype.addTextToElement(paragraph, value)
    return paragraph


def ods_rows(rng: random.Random, fiche: Fiche) -> tuple[bytes, list[str]]:
    from odf import table
    from odf.opendocument import OpenDocumentSpreadsheet

    document = OpenDocumentSpreadsheet()
    sheet = table.Table(name="Fiche")
    classes = []

    def row(*cells: list[str]) -> None:
        element = table.TableRow()
        for lines in cells:
            element.addElement(_odf_cell(lines))
        sheet.addElement(element)

    if rng.random() < 0.5:
        row(["Fiche de signalement 39 75"])
        classes.append("title-row")
    sections = rng.random() < 0.4
    for heading, run in groups(fiche):
        if sections:
            row([heading])
        for line in run:
            row([line.label.text], line.value)
    document.spreadsheet.addElement(sheet)
    return _odf_bytes(document), classes + (["section-rows"] if sections else [])


def odt_table(rng: random.Random, fiche: Fiche) -> tuple[bytes, list[str]]:
    from odf import table, text
    from odf.opendocument import OpenDocumentText

    document = OpenDocumentText()
    document.text.addElement(text.H(outlinelevel=1, text="Fiche de signalement 39 75"))
    grid = table.Table(name="Fiche")
    grid.addElement(table.TableColumn(numbercolumnsrepeated=2))
    for line in fiche.lines:
        element = table.TableRow()
        element.addElement(_odf_cell([line.label.text]))
        element.addElement(_odf_cell(line.value))
        grid.addElement(element)
    document.text.addElement(grid)
    document.text.addElement(text.P(text=f"Fait à Paris, le {fiche.sent:%d/%m/%Y}"))
    return _odf_bytes(document), []


def odt_paragraphs(rng: random.Random, fiche: Fiche) -> tuple[bytes, list[str]]:
    from odf.opendocument import OpenDocumentText

    document = OpenDocumentText()
    lines, classes = fiche_text(rng, fiche)
    for value in lines:
        document.text.addElement(_odf_paragraph(value))
    return _odf_bytes(document), classes
