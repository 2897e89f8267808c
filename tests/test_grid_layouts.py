"""Fiches laid out in tables the way agents build them, in every table format.

Each layout is written once as rows of cells (a cell may span columns and rows), then made
into a real Word, Writer, Excel and Calc file (python-docx, odfpy, openpyxl merges) and an
HTML table (colspan, rowspan), sent as an email and read by `classify`: every field must be
read, and no value may hold the text of another cell (a merged cell repeated, a section,
a title, the next row).
"""

from __future__ import annotations

import io
from email.message import EmailMessage
from html import escape
from typing import Any

import docx
import openpyxl
import pytest
from helpers import shipped_parse_context
from odf import table as odf_table
from odf import text as odf_text
from odf.opendocument import OpenDocumentSpreadsheet, OpenDocumentText

from parsers import classify
from parsers.attachments.docx import read_docx
from parsers.attachments.ods import read_ods
from parsers.attachments.odt import read_odt
from parsers.attachments.xlsx import read_xlsx
from parsers.category import read_category
from parsers.cells import Kind, read_cell
from parsers.context import ParseContext
from parsers.fold import fold
from parsers.html import table_grids
from parsers.model import FicheResult

#: A cell: its text, or (text, columns spanned, rows spanned).
Entry = str | tuple[str, int, int]
Spec = list[list[Entry]]
#: (row, column, rows spanned, columns spanned, text) of each cell that is not covered.
Anchor = tuple[int, int, int, int, str]

CTX: ParseContext = shipped_parse_context()
TITLE = "FICHE DE SIGNALEMENT 39 75"
L = {  # the labels as printed on the form
    "service": "Service / mairie déclarant",
    "reporter_name": "Agent déclarant",
    "call_date": "Date de l'appel",
    "call_time": "Heure de l'appel",
    "category": "Type de dysfonctionnement",
    "agent_3975": "Nom de l'agent 39 75",
    "caller_request": "Objet de la demande de l'usager",
    "expected_service": "Service vers lequel l'appel aurait dû être orienté",
    "description": "Description",
    "follow_up": "Suite donnée / commentaire",
}
V = {  # what the agent typed
    "service": "Mairie du 12e",
    "reporter_name": "Sophie Martin",
    "call_date": "12/03/2026",
    "call_time": "14h30",
    "agent_3975": "Karim B.",
    "caller_request": "Inscription sur les listes électorales",
    "expected_service": "Mairie du 11e",
    "description": "Usager transféré à l'accueil du 12e au lieu du 11e.",
    "follow_up": "Usager rappelé par nos soins.",
}
EXPECTED = {
    "service": "Mairie du 12e", "service_id": "mairie-12", "reporter_name": "Sophie Martin",
    "call_date": "2026-03-12", "call_time": "14:30", "agent_3975": "Karim B.",
    "caller_request": "Inscription sur les listes électorales",
    "expected_service": "Mairie du 11e", "wrong_information": None,
    "description": "Usager transféré à l'accueil du 12e au lieu du 11e.",
    "follow_up": "Usager rappelé par nos soins.",
}


def pair(field: str) -> list[Entry]:
    return [L[field], V[field]]


def pairs(*fields: str) -> Spec:
    return [pair(f) for f in fields]


LAYOUTS: dict[str, tuple[Spec, str]] = {
    # A title merged across, a section column merged down the left.
    "section-column": ([
        [(TITLE, 3, 1)],
        [("Déclarant", 1, 2), *pair("service")],
        pair("reporter_name"),
        [("L'appel", 1, 3), *pair("call_date")],
        pair("call_time"),
        [L["category"], "☐ Erreur de transfert ☒ Information erronée ☐ Autre"],
        [("Demande", 1, 3), *pair("agent_3975")],
        pair("caller_request"),
        pair("expected_service"),
        [("Le dysfonctionnement", 1, 2), *pair("description")],
        pair("follow_up"),
    ], "wrong_information"),
    # A number column and a header row that names no rubrique.
    "number-column": ([
        ["N°", "Rubrique", "Réponse"],
        *[[str(n), *row] for n, row in enumerate([
            *pairs("service", "reporter_name", "call_date", "call_time"),
            [L["category"], "Erreur de transfert d'appel"],
            *pairs("agent_3975", "caller_request", "expected_service", "description",
                   "follow_up"),
        ], 1)],
    ], "transfer_error"),
    "empty-first-column": ([
        ["", "", TITLE],
        *[["", *row] for row in [
            *pairs("service", "reporter_name", "call_date", "call_time"),
            [L["category"], "Autre"],
            *pairs("agent_3975", "caller_request", "expected_service", "description",
                   "follow_up"),
        ]],
    ], "other"),
    # Section rows merged across, some of them worded like a rubrique ("Déclarant").
    "section-rows": ([
        [(TITLE, 2, 1)],
        [("Déclarant", 2, 1)],
        *pairs("service", "reporter_name"),
        [("L'appel", 2, 1)],
        *pairs("call_date", "call_time"),
        [L["category"], "Autre"],
        [("Demande", 2, 1)],
        *pairs("agent_3975", "caller_request", "expected_service"),
        [("Le dysfonctionnement", 2, 1)],
        *pairs("description", "follow_up"),
    ], "other"),
    # label | value | label | value rows mixed with label | value merged across.
    "four-columns": ([
        [(TITLE, 4, 1)],
        [*pair("service"), *pair("reporter_name")],
        [*pair("call_date"), *pair("call_time")],
        [L["category"], ("☐ Erreur de transfert d'appel ☐ Information erronée ☒ Autre", 3, 1)],
        [*pair("agent_3975"), *pair("expected_service")],
        [L["caller_request"], (V["caller_request"], 3, 1)],
        [L["description"], (V["description"], 3, 1)],
        [L["follow_up"], (V["follow_up"], 3, 1)],
    ], "other"),
    # Rows of labels, each above its row of values; long ones merged across.
    "labels-above": ([
        [L["service"], L["reporter_name"], L["call_date"]],
        [V["service"], V["reporter_name"], V["call_date"]],
        [L["call_time"], L["category"], L["agent_3975"]],
        [V["call_time"], "Erreur de transfert d'appel", V["agent_3975"]],
        [L["caller_request"], (L["expected_service"], 2, 1)],
        [V["caller_request"], (V["expected_service"], 2, 1)],
        [(L["description"], 3, 1)],
        [(V["description"], 3, 1)],
        [(L["follow_up"], 3, 1)],
        [(V["follow_up"], 3, 1)],
    ], "transfer_error"),
    # Values merged across three columns, the category as three check box cells.
    "merged-values": ([
        [(TITLE, 4, 1)],
        *[[L[f], (V[f], 3, 1)] for f in ("service", "reporter_name", "call_date", "call_time")],
        [L["category"], "☒ Erreur de transfert", "☐ Information erronée", "☐ Autre"],
        *[[L[f], (V[f], 3, 1)] for f in ("agent_3975", "caller_request", "expected_service",
                                          "description", "follow_up")],
    ], "transfer_error"),
    # Labels merged down over the rows of their value; a label and value merged down.
    "vertical-merge": ([
        *pairs("service", "reporter_name", "call_date", "call_time"),
        [(L["category"], 1, 3), "☐ Erreur de transfert d'appel"],
        ["☒ Information erronée"],
        ["☐ Autre"],
        *pairs("agent_3975", "caller_request"),
        [(L["description"], 1, 2), "Usager transféré à l'accueil du 12e"],
        ["au lieu du 11e."],
        [(L["follow_up"], 1, 2), (V["follow_up"], 1, 2)],
        [],
        pair("expected_service"),
    ], "wrong_information"),
    # A mark in the cell after its choice.
    "mark-after-choice": ([
        *[[L[f], (V[f], 6, 1)] for f in ("service", "reporter_name", "call_date", "call_time")],
        [L["category"], "Erreur de transfert d'appel", "", "Information erronée", "X", "Autre",
         ""],
        *[[L[f], (V[f], 6, 1)] for f in ("agent_3975", "caller_request", "expected_service",
                                          "description", "follow_up")],
    ], "wrong_information"),
    # A mark in the cell before its choice: read the other way it would tick another one.
    "mark-before-choice": ([
        *[[L[f], (V[f], 6, 1)] for f in ("service", "reporter_name", "call_date", "call_time")],
        [L["category"], "", "Erreur de transfert d'appel", "X", "Information erronée", "",
         "Autre"],
        *[[L[f], (V[f], 6, 1)] for f in ("agent_3975", "caller_request", "expected_service",
                                          "description", "follow_up")],
    ], "wrong_information"),
    # The choices one a row under the category, a mark beside each.
    "marks-in-rows": ([
        *[[L[f], (V[f], 2, 1)] for f in ("service", "reporter_name", "call_date", "call_time")],
        [L["category"], "Erreur de transfert d'appel", ""],
        ["", "Information erronée", ""],
        ["", "Autre", "X"],
        *[[L[f], (V[f], 2, 1)] for f in ("agent_3975", "caller_request", "expected_service",
                                          "description", "follow_up")],
    ], "other"),
    # "Label : value" in one cell; values in the cell under a label merged across.
    "inline-and-below": ([
        [f"{L['service']} : {V['service']}", f"{L['reporter_name']} : {V['reporter_name']}"],
        [f"{L['call_date']} : {V['call_date']}", f"{L['call_time']} : {V['call_time']}"],
        [(L["category"], 2, 1)],
        [("☐ Erreur de transfert ☐ Information erronée ☒ Autre", 2, 1)],
        [L["agent_3975"] + " :", V["agent_3975"]],
        [(L["caller_request"], 2, 1)],
        [(V["caller_request"], 2, 1)],
        pair("expected_service"),
        [(L["description"] + " :", 2, 1)],
        [(V["description"], 2, 1)],
        pair("follow_up"),
    ], "other"),
    # Several "Label : value" lines in one cell (paragraphs, line breaks, <br>).
    "lines-in-one-cell": ([
        [(f"{L['service']} : {V['service']}\n{L['reporter_name']} : {V['reporter_name']}", 2, 1)],
        [f"{L['call_date']} : {V['call_date']}\n{L['call_time']} : {V['call_time']}",
         f"{L['category']} : Information erronée"],
        *pairs("agent_3975", "caller_request", "expected_service", "description", "follow_up"),
    ], "wrong_information"),
}


# --- the same table in every format ---------------------------------------------------------


def anchors(spec: Spec) -> tuple[int, int, list[Anchor]]:
    """(width, height, cells) of a spec, placing cells as a browser does around rowspans."""
    taken: set[tuple[int, int]] = set()
    out: list[Anchor] = []
    for r, row in enumerate(spec):
        c = 0
        for entry in row:
            text, cols, rows = (entry, 1, 1) if isinstance(entry, str) else entry
            while (r, c) in taken:
                c += 1
            out.append((r, c, rows, cols, text))
            taken |= {(r + i, c + j) for i in range(rows) for j in range(cols)}
            c += cols
    width = max(c + cols for _, c, _, cols, _ in out)
    height = max(len(spec), max(r + rows for r, _, rows, _, _ in out))
    return width, height, out


def to_docx(spec: Spec) -> bytes:
    width, height, cells = anchors(spec)
    document = docx.Document()
    document.add_paragraph("Fiche à transmettre à votre hiérarchie.")
    grid = document.add_table(rows=height, cols=width)
    for r, c, rows, cols, text in cells:
        cell = grid.cell(r, c)
        if rows > 1 or cols > 1:
            cell = cell.merge(grid.cell(r + rows - 1, c + cols - 1))
        cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def to_xlsx(spec: Spec) -> bytes:
    _, _, cells = anchors(spec)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for r, c, rows, cols, text in cells:
        sheet.cell(r + 1, c + 1, text or None)
        if rows > 1 or cols > 1:
            sheet.merge_cells(start_row=r + 1, start_column=c + 1, end_row=r + rows,
                              end_column=c + cols)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def odf_table_of(spec: Spec) -> odf_table.Table:
    width, height, cells = anchors(spec)
    at = {(r, c): (rows, cols, text) for r, c, rows, cols, text in cells}
    covered = {(r + i, c + j) for r, c, rows, cols, _ in cells
               for i in range(rows) for j in range(cols)} - set(at)
    grid = odf_table.Table(name="Fiche")
    grid.addElement(odf_table.TableColumn(numbercolumnsrepeated=width))
    for r in range(height):
        tr = odf_table.TableRow()
        for c in range(width):
            if (r, c) in covered:
                tr.addElement(odf_table.CoveredTableCell())
                continue
            rows, cols, text = at.get((r, c), (1, 1, ""))
            spans: dict[str, Any] = {}
            if cols > 1:
                spans["numbercolumnsspanned"] = cols
            if rows > 1:
                spans["numberrowsspanned"] = rows
            cell = odf_table.TableCell(valuetype="string", **spans)
            if text:
                cell.addElement(odf_text.P(text=text))
            tr.addElement(cell)
        grid.addElement(tr)
    return grid


def to_odt(spec: Spec) -> bytes:
    document = OpenDocumentText()
    document.text.addElement(odf_text.P(text="Fiche à transmettre à votre hiérarchie."))
    document.text.addElement(odf_table_of(spec))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def to_ods(spec: Spec) -> bytes:
    document = OpenDocumentSpreadsheet()
    document.spreadsheet.addElement(odf_table_of(spec))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def to_html(spec: Spec) -> str:
    _, height, cells = anchors(spec)
    rows: list[list[str]] = [[] for _ in range(height)]
    for r, _, span_rows, span_cols, text in cells:
        spans = (f' colspan="{span_cols}"' if span_cols > 1 else "") + (
            f' rowspan="{span_rows}"' if span_rows > 1 else "")
        rows[r].append(f"<td{spans}>{escape(text).replace(chr(10), '<br>')}</td>")
    body = "".join(f"<tr>{''.join(row)}</tr>\n" for row in rows)
    return f"<html><body><p>Bonjour,</p><table border=1>\n{body}</table></body></html>"


FILES = {
    "docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document",
             to_docx),
    "xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet", to_xlsx),
    "odt": ("application", "vnd.oasis.opendocument.text", to_odt),
    "ods": ("application", "vnd.oasis.opendocument.spreadsheet", to_ods),
}
FORMATS = [*FILES, "html"]


def email(fmt: str, spec: Spec) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Sophie Martin <sophie.martin@paris.fr>"
    msg["To"] = "Signalements 39 75 <signalements-3975@paris.fr>"
    msg["Subject"] = "Fiche de signalement 39 75"
    msg["Date"] = "Thu, 12 Mar 2026 17:05:00 +0100"
    if fmt == "html":
        msg.set_content("Bonjour,\n\nLa fiche est dans la version HTML de ce message.\n")
        msg.add_alternative(to_html(spec), subtype="html")
        return msg.as_bytes()
    msg.set_content("Bonjour,\n\nVeuillez trouver ci-joint la fiche.\n\nCordialement,\nSophie\n")
    maintype, subtype, build = FILES[fmt]
    msg.add_attachment(build(spec), maintype=maintype, subtype=subtype, filename=f"fiche.{fmt}")
    return msg.as_bytes()


def fiches(fmt: str, spec: Spec) -> list[dict[str, Any]]:
    result = classify(email(fmt, spec), CTX)
    assert isinstance(result, FicheResult), result
    return [f.model_dump(mode="json") for f in result.fiches]


def norm(value: object) -> str | None:
    return None if value is None else " ".join(fold(str(value)).split())


def texts(spec: Spec) -> list[str]:
    return [text for _, _, _, _, text in anchors(spec)[2] if len(text) > 3]


def assert_nothing_foreign(fiche: dict[str, Any], spec: Spec, own: dict[str, str]) -> None:
    """No value holds the text of a cell that is not its own (another row, a section)."""
    for field, value in fiche.items():
        if not isinstance(value, str) or field in ("source", "category", "service_id"):
            continue
        for text in texts(spec):
            if norm(text) not in norm(own.get(field, "")):
                assert norm(text) not in norm(value), (field, value, text)


# --- the tests --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_field_read_from_the_layout(layout: str, fmt: str) -> None:
    spec, category = LAYOUTS[layout]
    [fiche] = fiches(fmt, spec)
    want = {**EXPECTED, "category": category, "source": fmt}
    assert {k: norm(fiche[k]) for k in want} == {k: norm(v) for k, v in want.items()}
    assert_nothing_foreign(fiche, spec, V)


def _grids(fmt: str, spec: Spec) -> list[list[list[str]]]:
    if fmt == "html":
        return table_grids(to_html(spec))
    reader = {"docx": read_docx, "xlsx": read_xlsx, "odt": read_odt, "ods": read_ods}[fmt]
    return reader(FILES[fmt][2](spec))[0]


@pytest.mark.parametrize("fmt", FORMATS)
def test_merged_cells_read_once_in_place(fmt: str) -> None:
    spec = LAYOUTS["section-column"][0]
    [grid] = _grids(fmt, spec)
    cells = [cell for row in grid for cell in row]
    for text in ("Déclarant", "L'appel", "Demande", TITLE):
        assert cells.count(text) == 1, (text, grid)
    # The places under a merged cell are there, empty: columns stay aligned.
    assert grid[2][:3] == ["", L["reporter_name"], V["reporter_name"]], grid
    assert grid[0][1:3] == ["", ""], grid


SHEET = [
    [("Signalements de mars", 4, 1)],
    [L["service"], L["call_date"], L["category"], L["description"]],
    [("Mairie du 15e", 1, 2), "04/03/2026", "Erreur de transfert d'appel", "Renvoyé au 14e."],
    ["05/03/2026", "Information erronée", "Horaires du samedi faux."],
    ["Mairie du 16e", "06/03/2026", "Autre", "Appel coupé au transfert."],
]


@pytest.mark.parametrize("fmt", FORMATS)
def test_table_of_several_fiches_with_a_service_merged_down(fmt: str) -> None:
    got = fiches(fmt, SHEET)
    assert [(f["service_id"], f["call_date"], f["category"], f["description"]) for f in got] == [
        ("mairie-15", "2026-03-04", "transfer_error", "Renvoyé au 14e."),
        ("mairie-15", "2026-03-05", "wrong_information", "Horaires du samedi faux."),
        ("mairie-16", "2026-03-06", "other", "Appel coupé au transfert."),
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_row_of_values_under_a_header_is_one_fiche(fmt: str) -> None:
    fields = ["service", "call_date", "call_time", "category", "description"]
    spec: Spec = [[L[f] for f in fields],
                  [V["service"], V["call_date"], V["call_time"], "Autre", V["description"]]]
    [fiche] = fiches(fmt, spec)
    assert (fiche["service_id"], fiche["call_time"], fiche["category"]) == (
        "mairie-12", "14:30", "other")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_blank_rubrique_takes_nothing_from_the_row_below(fmt: str) -> None:
    spec: Spec = [
        *pairs("service", "reporter_name", "call_date", "call_time"),
        [L["category"], "Autre"],
        [L["agent_3975"], ""],
        ["Numéro de dossier", "2026-118"],
        pair("description"),
    ]
    [fiche] = fiches(fmt, spec)
    assert fiche["agent_3975"] is None
    assert norm(fiche["description"]) == norm(V["description"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_value_worded_like_a_label_stays_a_value(fmt: str) -> None:
    spec: Spec = [
        *pairs("service", "reporter_name", "call_date"),
        [L["category"], "Autre"],
        [L["agent_3975"], "Téléconseillère"],  # also a wording of that label
        pair("description"),
    ]
    [fiche] = fiches(fmt, spec)
    assert fiche["agent_3975"] == "Téléconseillère"
    assert norm(fiche["description"]) == norm(V["description"])


ROW_OF_BOXES = "Erreur de transfert d'appel X   Information erronée   Autre"


@pytest.mark.parametrize("fmt", ["docx", "odt", "xlsx", "ods"])
def test_a_mark_in_a_cell_belongs_to_the_choice_its_gap_shows(fmt: str) -> None:
    """Spaces typed in a cell are what the agent sees: the mark one space after the first
    choice and three before the second is the first choice's."""
    spec = [*pairs("service", "call_date"), [L["category"], ROW_OF_BOXES], pair("description")]
    (fiche,) = fiches(fmt, spec)
    assert fiche["category"] == "transfer_error"


def test_a_browser_shows_no_gap_so_the_html_cell_is_asked_about() -> None:
    """In HTML, ordinary spaces collapse as a browser shows them: the mark stands between two
    choices at the same distance, so the agent is asked; non-breaking spaces are a gap."""
    spec = [*pairs("service", "call_date"), [L["category"], ROW_OF_BOXES], pair("description")]
    result = classify(email("html", spec), CTX)
    assert not isinstance(result, FicheResult)
    assert any("croix" in e.message for e in result.errors), result
    spec[2] = [L["category"], ROW_OF_BOXES.replace("X   ", "X\u00a0\u00a0 ")]
    (fiche,) = fiches("html", spec)
    assert fiche["category"] == "transfer_error"



#: (ticked, empty) boxes as agents' tools write them: Word's symbols, Wingdings boxes of a
#: PDF export, circles, a "v" in brackets.
BOX_GLYPHS = [("●", "○"), ("☑", "❑"), ("\uf0fe", "\uf0a8"), ("[v]", "[ ]"), ("(x)", "( )")]


@pytest.mark.parametrize(("ticked", "empty"), BOX_GLYPHS)
def test_cells_know_every_box_the_text_reader_knows(ticked: str, empty: str) -> None:
    """A box is a box whether it stands in a cell or in a line of text: one vocabulary."""
    line = f"{empty} Erreur de transfert {ticked} Information erronée {empty} Autre"
    assert read_category(line).category == "wrong_information"
    form = CTX.form
    assert (read_cell(ticked, form).kind, read_cell(ticked, form).ticked) == (Kind.MARK, True)
    assert (read_cell(empty, form).kind, read_cell(empty, form).ticked) == (Kind.MARK, False)
    for box, state in ((ticked, True), (empty, False)):
        for text in (f"{box} Autre", f"Autre {box}"):
            cell = read_cell(text, form)
            assert (cell.kind, cell.field, cell.ticked) == (Kind.CHOICE, "cat:other", state), text


@pytest.mark.parametrize("fmt", ["docx", "odt", "xlsx", "ods"])
def test_a_cell_of_choices_one_a_line_reads_each_mark_with_its_line(fmt: str) -> None:
    """"Information erronée X" then "Autre ☐" in one cell: the cross is the first line's,
    never the whole cell read as one choice with the box at its end."""
    spec = [*pairs("service", "call_date"), [L["category"], "Information erronée X\nAutre ☐"],
            pair("description")]
    (fiche,) = fiches(fmt, spec)
    assert fiche["category"] == "wrong_information"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_blank_rubrique_never_takes_the_next_section_title(fmt: str) -> None:
    """The 39 75 agent left blank, then a section row merged across: the title is no name."""
    spec = [*pairs("service", "call_date"), [L["agent_3975"], ""], [("Signalement", 1, 2)],
            [L["category"], "Autre"], pair("description")]
    (fiche,) = fiches(fmt, spec)
    assert fiche["agent_3975"] is None and fiche["category"] == "other"

