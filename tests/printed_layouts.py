"""Sheets and forms printed to PDF without borders, the way Calc and Writer print them.

Each `Printed` is a Calc sheet (label | value rows, no gridlines) or a Writer form (a
borderless two-column table), with its own column widths, font, row heights and page break:
labels clipped at their column's edge, cells of several lines taller than their row, labels
wrapped over two or three lines, check boxes typed as glyphs around their choices.
`scripts/make-printed-fixtures` writes each file and has LibreOffice print it to
tests/files/printed/NAME.pdf; the tests read the PDFs back and compare each row with `rows`
(the label as printed, clipped where LibreOffice clips it, and the value whole).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import docx
import openpyxl
from docx.shared import Cm, Pt
from openpyxl.styles import Alignment, Font

Rows = list[tuple[str, str]]


@dataclass
class Printed:
    name: str
    #: "calc" or "writer"
    kind: str
    rows: Rows
    font: str
    size: float
    #: widths of the two columns: Calc's characters, Writer's centimetres
    widths: tuple[float, float]
    #: Calc: row heights (points) of the rows that have one, by index in `rows`
    heights: dict[int, float] = field(default_factory=dict)
    #: Calc: empty rows before the fiche, so it runs over a page break
    pad: int = 0
    #: label as LibreOffice prints it (clipped), by index in `rows`; the label itself otherwise
    printed: dict[int, str] = field(default_factory=dict)
    #: fields `intake parse` must give for the file, beside its rows
    expected: dict[str, str] = field(default_factory=dict)


#: Calc prints a cell of three lines in a row of one without its first line, as the
#: first paragraph of a taller cell: that line is lost in the PDF, so it holds no value here.
CHOICES = "Erreur de transfert ☐\nInformation erronée ☒\nAutre ☐"
DESCRIPTION = ("L'usager a été orienté vers la mairie du 11e.\n"
               "Il a rappelé le 39 75 une heure plus tard.")

PRINTED = [
    # Labels much wider than their column: each is cut short of its value, a hair from it.
    Printed(
        "calc-narrow-serif", "calc",
        [("Service déclarant", "Mairie du 18e"), ("Agent", "Lucie Bernard"),
         ("Date", "14/02/2026"), ("Heure", "10h20"), ("Nature", CHOICES),
         ("Description", DESCRIPTION), ("Suite", "Rappel fait")],
        "DejaVu Serif", 10, (9, 50),
        printed={0: "Service décl"},
        expected={"service_id": "mairie-18", "reporter_name": "Lucie Bernard",
                  "call_date": "2026-02-14", "call_time": "10:20",
                  "category": "wrong_information",
                  "description": DESCRIPTION.replace("\n", " ")},
    ),
    # A larger font and a label column as wide as its labels; one row made tall, a cell of
    # several lines in a row of one line, the description in the last row.
    Printed(
        "calc-wide-sans", "calc",
        [("Service / mairie déclarant", "Mairie du 9e"), ("Agent déclarant", "P. Lemoine"),
         ("Date de l'appel", "02/03/2026"), ("Type de dysfonctionnement", CHOICES),
         ("Objet de la demande", "Inscription en crèche"),
         ("Description", DESCRIPTION)],
        "Liberation Sans", 12, (22, 40), heights={4: 40},
        expected={"service_id": "mairie-09", "reporter_name": "P. Lemoine",
                  "call_date": "2026-03-02", "caller_request": "Inscription en crèche",
                  "category": "wrong_information",
                  "description": DESCRIPTION.replace("\n", " ")},
    ),
    # The fiche starts low on the page: its last rows are printed on a second page.
    Printed(
        "calc-page-break", "calc",
        [("Mairie", "Mairie du 20e"), ("Agent", "Samir Haddad"), ("Date", "21/01/2026"),
         ("Heure", "15h45"), ("Nature", CHOICES), ("Description", DESCRIPTION)],
        "Liberation Sans", 10, (14, 50), pad=44,
        expected={"service_id": "mairie-20", "reporter_name": "Samir Haddad",
                  "call_date": "2026-01-21", "call_time": "15:45",
                  "category": "wrong_information",
                  "description": DESCRIPTION.replace("\n", " ")},
    ),
    # A form in Writer, its label column narrow: labels wrap over two or three lines, some
    # lines start with a capital, the check boxes wrap with their choices.
    Printed(
        "writer-narrow-labels", "writer",
        [("Service ou Mairie déclarant (Mairie du 12e, Direction)", "Mairie du 13e"),
         ("Agent déclarant", "Claire Dumas"),
         ("Date de l'appel (jj/mm/aaaa)", "09/02/2026"),
         ("Type de dysfonctionnement (une case à cocher)",
          "☐ Erreur de transfert d'appel ☒ Information erronée ☐ Autre"),
         ("Information erronée communiquée", "La mairie serait fermée le samedi"),
         ("Description (ce qui s'est passé)", DESCRIPTION.replace("\n", " ")
          + " Nous lui avons donné le bon numéro.")],
        "DejaVu Serif", 11, (4.2, 9.0),
        expected={"service_id": "mairie-13", "reporter_name": "Claire Dumas",
                  "call_date": "2026-02-09", "category": "wrong_information",
                  "wrong_information": "La mairie serait fermée le samedi",
                  "description": DESCRIPTION.replace("\n", " ")
                  + " Nous lui avons donné le bon numéro."},
    ),
]


def _xlsx(sheet: Printed) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = sheet.widths
    font = Font(name=sheet.font, size=sheet.size)
    for n, (label, value) in enumerate(sheet.rows):
        row = sheet.pad + n + 1
        for column, text in ((1, label), (2, value)):
            cell = ws.cell(row=row, column=column, value=text)
            cell.font = font
            if "\n" in text:
                cell.alignment = Alignment(wrap_text=True)
        if n in sheet.heights:
            ws.row_dimensions[row].height = sheet.heights[n]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _docx(form: Printed) -> bytes:
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name, style.font.size = form.font, Pt(form.size)
    style.paragraph_format.space_after = Pt(0)
    document.add_heading("Fiche de signalement – plateforme 39 75", level=1)
    table = document.add_table(rows=0, cols=2)  # "Normal Table": no borders
    table.autofit = False
    for label, value in form.rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
        for cell, width in zip(cells, form.widths, strict=True):
            cell.width = Cm(width)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def source(printed: Printed) -> tuple[str, bytes]:
    """The file an agent would print: (extension, bytes)."""
    if printed.kind == "calc":
        return "xlsx", _xlsx(printed)
    return "docx", _docx(printed)


def printed_label(printed: Printed, n: int) -> str:
    return printed.printed.get(n, printed.rows[n][0])
