"""Fiches as agents type them in Writer and Calc, for the PDF and scan golden files.

`scripts/make-scan-fixtures` writes each one as a Word, LibreOffice or Excel file, has
LibreOffice export it to PDF, then renders and degrades pages into scans and photos; the tests
read those files back and compare with `expected`. Keeping the values here, beside the
builders, means a file and what it must give cannot drift apart.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage

import docx
import openpyxl
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from odf import style as odf_style
from odf import table as odf_table
from odf import text as odf_text
from odf.opendocument import OpenDocumentSpreadsheet
from openpyxl.styles import Alignment, Border, Font, Side

Rows = list[tuple[str, str]]

#: Every golden email carrying these files is dated after the calls and the signatures.
MAIL_DATE = "Mon, 16 Mar 2026 09:30:00 +0100"
TITLE = "FICHE DE SIGNALEMENT – PLATEFORME 39 75"


@dataclass
class TypedFiche:
    name: str
    #: how it is typed: docx-grid, docx-plain, docx-paragraphs, docx-4col, docx-tabs, xlsx, ods
    layout: str
    rows: Rows
    #: lines after the table: place and date, signature block, visa
    closing: list[str]
    expected: dict[str, str]
    #: the footer of every page ("Page 1 / 1")
    page_footer: bool = True
    #: paragraphs with no space between them: only the wording tells where a field ends
    compact: bool = False


LONG_1 = (
    "L'usager demandait un extrait d'acte de naissance pour son fils, né dans le 12e "
    "arrondissement. Il a été transféré au service des cartes d'identité, qui n'a pas pu "
    "répondre et a dû le rappeler. L'usager a attendu plus de vingt minutes en ligne avant "
    "d'être orienté correctement et s'est plaint de la durée de l'attente."
)
LONG_2 = (
    "Le téléconseiller a indiqué à l'usagère que la mairie était ouverte le samedi après-midi. "
    "Elle s'est présentée à 15 heures avec ses deux enfants et a trouvé porte close : l'accueil "
    "ferme à 12h30 le samedi. Elle demande que l'information soit corrigée."
)
LONG_3 = (
    "Un usager signalait un dépôt sauvage d'encombrants rue de la Roquette. L'appel a été "
    "transféré à la direction de la voirie, qui l'a renvoyé vers nous après dix minutes. "
    "Nous avons pris le signalement et prévenu l'équipe de secteur."
)
LONG_4 = (
    "Demande d'inscription en crèche pour une enfant de huit mois. Le téléconseiller a "
    "orienté la mère vers la mairie du 15e alors qu'elle habite le 14e ; notre accueil l'a "
    "réorientée et lui a donné les horaires de la permanence petite enfance."
)
LONG_5 = (
    "L'usager voulait connaître les pièces à fournir pour un mariage. On lui a répondu qu'un "
    "seul témoin suffisait, alors qu'il en faut deux au minimum. Il a dû revenir une seconde "
    "fois avec un témoin supplémentaire et nous a fait part de son mécontentement."
)

SIGNED_12 = ["Fait à Paris, le 13/03/2026", "", "Sophie Martin", "Chargée d'accueil",
             "Mairie du 12e"]

FICHES: list[TypedFiche] = [
    TypedFiche(
        "writer-table-borders", "docx-grid",
        [
            ("Service / mairie déclarant", "Mairie du 12e arrondissement"),
            ("Agent déclarant", "Sophie Martin"),
            ("Date de l'appel", "12/03/2026"),
            ("Heure de l'appel", "14h30"),
            ("Type de dysfonctionnement", "Erreur de transfert d'appel"),
            ("Nom de l'agent 39 75 (si connu)", "Karim B."),
            ("Objet de la demande de l'usager", "Extrait d'acte de naissance"),
            ("Service vers lequel l'appel aurait dû être orienté", "Service de l'état civil"),
            ("Description", LONG_1),
            ("Suite donnée / commentaire", "Usager rappelé le jour même."),
        ],
        SIGNED_12,
        {"service_id": "mairie-12", "reporter_name": "Sophie Martin", "call_date": "2026-03-12",
         "call_time": "14:30", "category": "transfer_error", "agent_3975": "Karim B.",
         "caller_request": "Extrait d'acte de naissance",
         "expected_service": "Service de l'état civil", "description": LONG_1,
         "follow_up": "Usager rappelé le jour même."},
    ),
    TypedFiche(
        "writer-table-plain", "docx-plain",
        [
            ("Service / mairie déclarant", "Mairie du 18e"),
            ("Agent déclarant", "Paul Lefèvre"),
            ("Date de l'appel", "07/03/2026"),
            ("Heure de l'appel", "11:05"),
            ("Type de dysfonctionnement", "Information erronée"),
            ("Objet de la demande de l'usager", "Horaires d'ouverture du samedi"),
            ("Information erronée communiquée", "Mairie ouverte le samedi après-midi"),
            ("Description", LONG_2),
        ],
        ["Fait à Paris, le 9 mars 2026", "", "Paul Lefèvre", "Agent d'accueil", "Mairie du 18e"],
        {"service_id": "mairie-18", "reporter_name": "Paul Lefèvre", "call_date": "2026-03-07",
         "call_time": "11:05", "category": "wrong_information",
         "caller_request": "Horaires d'ouverture du samedi",
         "wrong_information": "Mairie ouverte le samedi après-midi", "description": LONG_2},
    ),
    TypedFiche(
        "writer-paragraphs", "docx-paragraphs",
        [
            ("Service / mairie déclarant", "Direction de la propreté et de l'eau (DPE)"),
            ("Agent déclarant", "Claire Dubois"),
            ("Date de l'appel", "10/03/2026"),
            ("Heure de l'appel", "09h45"),
            ("Type de dysfonctionnement", "Autre"),
            ("Objet de la demande de l'usager", "Dépôt sauvage d'encombrants"),
            ("Description", LONG_3),
        ],
        ["Le 11/03/2026", "Signature :", "Claire Dubois", "", "Visa du responsable :"],
        {"service_id": "dpe", "reporter_name": "Claire Dubois", "call_date": "2026-03-10",
         "call_time": "09:45", "category": "other",
         "caller_request": "Dépôt sauvage d'encombrants", "description": LONG_3},
    ),
    TypedFiche(
        "writer-paragraphs-compact", "docx-paragraphs",
        [
            ("Service ou mairie déclarant", "Mairie du 11e"),
            ("Agent déclarant", "Hugo Lambert"),
            ("Date de l'appel", "09/03/2026"),
            ("Heure de l'appel", "17h50"),
            ("Type de dysfonctionnement", "Information erronée"),
            ("Information erronée communiquée", "Le recensement se fait en ligne uniquement"),
            ("Description", LONG_5),
        ],
        ["Fait à Paris, le 10/03/2026", "Hugo Lambert", "Officier d'état civil", "Mairie du 11e",
         "Visa du responsable :"],
        {"service_id": "mairie-11", "reporter_name": "Hugo Lambert", "call_date": "2026-03-09",
         "call_time": "17:50", "category": "wrong_information",
         "wrong_information": "Le recensement se fait en ligne uniquement",
         "description": LONG_5},
        compact=True,
    ),
    TypedFiche(
        "writer-4col", "docx-4col",
        [
            ("Service / mairie déclarant", "Mairie du 14e"),
            ("Agent déclarant", "Inès Moreau"),
            ("Date de l'appel", "05/03/2026"),
            ("Heure de l'appel", "16h10"),
            ("Type de dysfonctionnement", "Erreur de transfert d'appel"),
            ("Nom de l'agent 39 75", "Thomas"),
            ("Objet de la demande de l'usager", "Inscription en crèche"),
            ("Service vers lequel l'appel aurait dû être orienté", "Mairie du 14e"),
            ("Description", LONG_4),
        ],
        ["Fait à Paris, le 6 mars 2026", "", "Inès Moreau", "Responsable de l'accueil"],
        {"service_id": "mairie-14", "reporter_name": "Inès Moreau", "call_date": "2026-03-05",
         "call_time": "16:10", "category": "transfer_error", "agent_3975": "Thomas",
         "caller_request": "Inscription en crèche", "expected_service": "Mairie du 14e",
         "description": LONG_4},
    ),
    TypedFiche(
        "writer-tabs", "docx-tabs",
        [
            ("Service / mairie déclarant", "Mairie du 20e"),
            ("Agent déclarant", "Marc Petit"),
            ("Date de l'appel", "02/03/2026"),
            ("Heure de l'appel", "10h00"),
            ("Type de dysfonctionnement", "Information erronée"),
            ("Objet de la demande de l'usager", "Pièces à fournir pour un mariage"),
            ("Information erronée communiquée", "Un seul témoin suffit"),
            ("Description", LONG_5),
        ],
        ["Cordialement,", "", "Marc Petit", "Service de l'état civil, Mairie du 20e"],
        {"service_id": "mairie-20", "reporter_name": "Marc Petit", "call_date": "2026-03-02",
         "call_time": "10:00", "category": "wrong_information",
         "caller_request": "Pièces à fournir pour un mariage",
         "wrong_information": "Un seul témoin suffit", "description": LONG_5},
    ),
    TypedFiche(
        "calc-borders", "xlsx",
        [
            ("Service / mairie déclarant", "Mairie du 15e arrondissement"),
            ("Agent déclarant", "Nadia Benali"),
            ("Date de l'appel", "04/03/2026"),
            ("Heure de l'appel", "10h15"),
            ("Type de dysfonctionnement", "Erreur de transfert d'appel"),
            ("Nom de l'agent 39 75", "Julien"),
            ("Objet de la demande de l'usager", "Carte d'identité"),
            ("Description", LONG_4),
        ],
        ["Fait à Paris, le 5 mars 2026", "Nadia Benali"],
        {"service_id": "mairie-15", "reporter_name": "Nadia Benali", "call_date": "2026-03-04",
         "call_time": "10:15", "category": "transfer_error", "agent_3975": "Julien",
         "caller_request": "Carte d'identité", "description": LONG_4},
        page_footer=False,
    ),
    TypedFiche(
        "calc-plain", "ods",
        [
            ("Service / mairie déclarant", "Mairie du 5e"),
            ("Agent déclarant", "Léa Garnier"),
            ("Date de l'appel", "03/03/2026"),
            ("Heure de l'appel", "15h20"),
            ("Type de dysfonctionnement", "Autre"),
            ("Objet de la demande de l'usager", "Stationnement résidentiel"),
            ("Description", LONG_3),
        ],
        ["Le 04/03/2026", "Léa Garnier"],
        {"service_id": "mairie-05", "reporter_name": "Léa Garnier", "call_date": "2026-03-03",
         "call_time": "15:20", "category": "other",
         "caller_request": "Stationnement résidentiel", "description": LONG_3},
        page_footer=False,
    ),
]

#: The scans and photos: (file name, typed fiche, how it was captured).
SCANS: list[tuple[str, str, str]] = [
    ("scan-table.pdf", "writer-table-borders", "copier"),
    ("scan-paragraphs.pdf", "writer-paragraphs", "copier"),
    ("photo-table.jpg", "writer-table-borders", "phone"),
    ("photo-4col.png", "writer-4col", "phone"),
]


def by_name(name: str) -> TypedFiche:
    return next(f for f in FICHES if f.name == name)


# --- Word ---------------------------------------------------------------------------------


def _page_field(paragraph: object, instr: str) -> None:
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), instr)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)  # type: ignore[attr-defined]


def _word(fiche: TypedFiche, body: Callable[[docx.document.Document], None]) -> bytes:
    document = docx.Document()
    document.styles["Normal"].font.name = "Liberation Sans"
    document.styles["Normal"].font.size = Pt(11)
    if fiche.compact:
        document.styles["Normal"].paragraph_format.space_after = Pt(0)
        document.styles["Normal"].paragraph_format.line_spacing = 1.0
    title = document.add_paragraph()
    title.add_run(TITLE).bold = True
    document.add_paragraph(
        "À remplir par l'agent qui a reçu l'appel, puis à envoyer à sa hiérarchie.")
    body(document)
    if not fiche.compact:
        document.add_paragraph()
    for line in fiche.closing:
        document.add_paragraph(line)
    if fiche.page_footer:
        footer = document.sections[0].footer.paragraphs[0]
        footer.add_run("Page ")
        _page_field(footer, "PAGE")
        footer.add_run(" / ")
        _page_field(footer, "NUMPAGES")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _table(document: docx.document.Document, rows: list[list[str]], widths: list[float],
           grid: bool) -> None:
    table = document.add_table(rows=0, cols=len(widths))
    if grid:
        table.style = "Table Grid"
    for row in rows:
        cells = table.add_row().cells
        for cell, text, width in zip(cells, row, widths, strict=False):
            cell.text = text
            cell.width = Cm(width)
        if len(row) < len(widths):  # a long rubrique: its value spans the remaining cells
            cells[1].merge(cells[-1])
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)


def docx_of(fiche: TypedFiche) -> bytes:
    rows = fiche.rows
    if fiche.layout in ("docx-grid", "docx-plain"):
        return _word(fiche, lambda d: _table(d, [list(r) for r in rows], [6.0, 10.5],
                                             fiche.layout == "docx-grid"))
    if fiche.layout == "docx-4col":
        short = [r for r in rows if len(r[1]) <= 30 and len(r[0]) <= 32]
        long = [r for r in rows if r not in short]
        grid = [[*short[i], *(short[i + 1] if i + 1 < len(short) else ("", ""))]
                for i in range(0, len(short), 2)]
        return _word(fiche, lambda d: _table(d, grid + [list(r) for r in long],
                                             [4.2, 4.0, 4.2, 4.0], True))
    if fiche.layout == "docx-paragraphs":
        return _word(fiche, lambda d: [d.add_paragraph(f"{k} : {v}") for k, v in rows])

    def tabs(document: docx.document.Document) -> None:
        for label, value in rows:
            paragraph = document.add_paragraph(f"{label}\t{value}")
            paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(7.5), WD_TAB_ALIGNMENT.LEFT)
            paragraph.paragraph_format.left_indent = Cm(7.5)
            paragraph.paragraph_format.first_line_indent = Cm(-7.5)

    return _word(fiche, tabs)


# --- Calc ---------------------------------------------------------------------------------


def xlsx_of(fiche: TypedFiche) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["B"].width = 52
    # One page wide, as an agent sets it before printing or exporting.
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.append([TITLE])
    sheet["A1"].font = Font(bold=True)
    sheet.append([])
    thin = Side(style="thin")
    for label, value in fiche.rows:
        sheet.append([label, value])
        row = sheet.max_row
        for cell in sheet[row]:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        if len(value) > 50:
            sheet.row_dimensions[row].height = 15 * (len(value) // 45 + 1)
    sheet.append([])
    for line in fiche.closing:
        sheet.append([line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ods_of(fiche: TypedFiche) -> bytes:
    document = OpenDocumentSpreadsheet()
    wide = odf_style.Style(name="wide", family="table-column")
    wide.addElement(odf_style.TableColumnProperties(columnwidth="10cm"))
    narrow = odf_style.Style(name="narrow", family="table-column")
    narrow.addElement(odf_style.TableColumnProperties(columnwidth="6.5cm"))
    wrap = odf_style.Style(name="wrap", family="table-cell")
    wrap.addElement(odf_style.TableCellProperties(wrapoption="wrap", verticalalign="top"))
    for s in (wide, narrow, wrap):
        document.automaticstyles.addElement(s)
    grid = odf_table.Table(name="Fiche")
    grid.addElement(odf_table.TableColumn(stylename=narrow))
    grid.addElement(odf_table.TableColumn(stylename=wide))
    lines: list[list[str]] = [[TITLE], []] + [list(r) for r in fiche.rows] + [[]]
    lines += [[line] for line in fiche.closing]
    for values in lines:
        tr = odf_table.TableRow()
        for value in values or [""]:
            cell = odf_table.TableCell(valuetype="string", stylename=wrap)
            cell.addElement(odf_text.P(text=value))
            tr.addElement(cell)
        grid.addElement(tr)
    document.spreadsheet.addElement(grid)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def office_file(fiche: TypedFiche) -> tuple[str, bytes]:
    """(extension, bytes) of the file the agent typed."""
    if fiche.layout == "xlsx":
        return "xlsx", xlsx_of(fiche)
    if fiche.layout == "ods":
        return "ods", ods_of(fiche)
    return "docx", docx_of(fiche)


# --- the mail that carries a file ----------------------------------------------------------

_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg",
          "png": "image/png", "tif": "image/tiff", "tiff": "image/tiff"}


def mail_with(filename: str, data: bytes, body: str = "Bonjour,\n\nci-joint la fiche.\n") -> bytes:
    """An agent's mail with one attached file, dated after every fiche here."""
    message = EmailMessage()
    message["From"] = "Agent <agent.accueil@paris.fr>"
    message["To"] = "signalements-3975@paris.fr"
    message["Subject"] = "Fiche de signalement"
    message["Date"] = MAIL_DATE
    message["Message-ID"] = f"<{hashlib.sha1(data).hexdigest()[:16]}@mairie.paris.fr>"
    message.set_content(body)
    maintype, subtype = _TYPES[filename.rsplit(".", 1)[1].lower()].split("/")
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()
