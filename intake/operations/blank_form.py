"""The official blank fiche, written from the form definition as Word, Excel, Writer or text.

Every format is a plain label/value layout, the one the parser reads best: a two-column table
(label, empty value cell), or "Label : " lines. The category is a row of boxes to tick.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Literal

from parsers.form import FormDefinition, FormField

Format = Literal["docx", "xlsx", "odt", "txt"]
FORMATS: tuple[Format, ...] = ("docx", "xlsx", "odt", "txt")
FOOTNOTE = "* rubrique obligatoire. Envoyez la fiche remplie par courriel à votre hiérarchie."


def printed_label(field: FormField) -> str:
    """The label as printed: a star when required, the hint in brackets (both ignored on read)."""
    star = " *" if field.required else ""
    hint = f" ({field.help})" if field.help else ""
    return f"{field.label}{star}{hint}"


def blank_value(field: FormField, form: FormDefinition, box: str = "☐") -> str:
    if field.type != "category":
        return ""
    return "   ".join(f"{box} {c.label}" for c in form.categories)


def rows(form: FormDefinition, box: str = "☐") -> list[tuple[str, str]]:
    return [(printed_label(f), blank_value(f, form, box)) for f in form.printed_fields]


def to_txt(form: FormDefinition) -> bytes:
    lines = [form.title.upper(), "", form.intro, ""] if form.intro else [form.title.upper(), ""]
    lines += [f"{label} : {value}".rstrip() + " " for label, value in rows(form, "[ ]")]
    lines += ["", FOOTNOTE, ""]
    return "\n".join(lines).encode("utf-8")


def to_docx(form: FormDefinition) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(form.title, level=1)
    if form.intro:
        document.add_paragraph(form.intro)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows(form):
        cells = table.add_row().cells
        cells[0].text = label
        cells[0].paragraphs[0].runs[0].bold = True
        cells[1].text = value
    document.add_paragraph(FOOTNOTE)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def to_xlsx(form: FormDefinition) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Fiche"
    sheet.append([form.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([form.intro])
    sheet.append([])
    choices = ",".join(c.label for c in form.categories)
    for field in form.printed_fields:
        sheet.append([printed_label(field), ""])
        row = sheet.max_row
        sheet.cell(row, 1).font = Font(bold=True)
        sheet.cell(row, 2).alignment = Alignment(wrap_text=True)
        if field.type == "category":
            # A drop-down of the choices: the agent picks one, no box to tick.
            pick = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
            sheet.add_data_validation(pick)
            pick.add(sheet.cell(row, 2))
    sheet.append([])
    sheet.append([FOOTNOTE])
    sheet.column_dimensions["A"].width = 60
    sheet.column_dimensions["B"].width = 70
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def to_odt(form: FormDefinition) -> bytes:
    from odf import table, text
    from odf.opendocument import OpenDocumentText

    document = OpenDocumentText()
    document.text.addElement(text.H(outlinelevel=1, text=form.title))
    if form.intro:
        document.text.addElement(text.P(text=form.intro))
    grid = table.Table(name="Fiche")
    grid.addElement(table.TableColumn(numbercolumnsrepeated=2))
    for label, value in rows(form):
        row = table.TableRow()
        for content in (label, value):
            cell = table.TableCell(valuetype="string")
            cell.addElement(text.P(text=content))
            row.addElement(cell)
        grid.addElement(row)
    document.text.addElement(grid)
    document.text.addElement(text.P(text=FOOTNOTE))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


WRITERS: dict[Format, Callable[[FormDefinition], bytes]] = {
    "docx": to_docx,
    "xlsx": to_xlsx,
    "odt": to_odt,
    "txt": to_txt,
}


def blank_fiche(form: FormDefinition, fmt: Format) -> bytes:
    """The bytes of the blank fiche in `fmt`."""
    return WRITERS[fmt](form)
