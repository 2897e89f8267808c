"""Writes the golden emails whose fiche is an attached file, with their expected JSON.

Run `python tests/emails/make_attachments.py` from the repository to regenerate them. Files are
built in code (python-docx, openpyxl, odfpy, pypdf, and small hand-written PDF and TNEF
writers) so every variant is reproducible and reviewable here rather than an opaque binary.
"""

from __future__ import annotations

import csv
import io
import json
import struct
import sys
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import docx
import openpyxl
from odf import table as odf_table
from odf import text as odf_text
from odf.opendocument import OpenDocumentSpreadsheet, OpenDocumentText
from pypdf import PdfWriter

HERE = Path(__file__).resolve().parent
MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "pdf": "application/pdf",
    "csv": "text/csv",
    "dat": "application/ms-tnef",
}
ROWS = [
    ("Service / mairie déclarant", "Mairie du 15e arrondissement"),
    ("Agent déclarant", "Nadia Benali"),
    ("Date de l'appel", "04/03/2026"),
    ("Heure de l'appel", "10h15"),
    ("Type de dysfonctionnement", "Erreur de transfert d'appel"),
    ("Nom de l'agent 39 75", "Julien"),
    ("Objet de la demande de l'usager", "Carte d'identité"),
    ("Service vers lequel l'appel aurait dû être orienté", "Mairie du 14e"),
    ("Description", "Usager transféré au 15e alors qu'il habite le 14e."),
]
EXPECTED = {
    "service_id": "mairie-15", "reporter_name": "Nadia Benali", "call_date": "2026-03-04",
    "call_time": "10:15", "category": "transfer_error", "agent_3975": "Julien",
    "caller_request": "Carte d'identité",
    "description": "Usager transféré au 15e alors qu'il habite le 14e.",
}
CATEGORY_LABELS = ["Erreur de transfert d'appel", "Information erronée", "Autre"]


def with_category(expected: dict[str, Any], category: str) -> dict[str, Any]:
    return {**expected, "category": category}


def rows_without_category() -> list[tuple[str, str]]:
    return [r for r in ROWS if r[0] != "Type de dysfonctionnement"]


# --- files -------------------------------------------------------------------------------


def docx_bytes(build: Callable[[Any], None]) -> bytes:
    document = docx.Document()
    document.core_properties.author = "Nadia Benali"
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_table(rows: list[tuple[str, str]], cols: int = 2) -> bytes:
    def build(document: Any) -> None:
        document.add_paragraph("FICHE DE SIGNALEMENT 39 75")
        per_row = cols // 2
        table = document.add_table(rows=0, cols=cols)
        for i in range(0, len(rows), per_row):
            cells = table.add_row().cells
            for j, (label, value) in enumerate(rows[i : i + per_row]):
                cells[2 * j].text, cells[2 * j + 1].text = label, value

    return docx_bytes(build)


def docx_paragraphs(lines: list[str]) -> bytes:
    return docx_bytes(lambda document: [document.add_paragraph(line) for line in lines])


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def odf_grid(rows: list[list[str]], name: str) -> odf_table.Table:
    grid = odf_table.Table(name=name)
    grid.addElement(odf_table.TableColumn(numbercolumnsrepeated=max(len(r) for r in rows)))
    for row in rows:
        tr = odf_table.TableRow()
        for value in row:
            cell = odf_table.TableCell(valuetype="string")
            cell.addElement(odf_text.P(text=value))
            tr.addElement(cell)
        grid.addElement(tr)
    return grid


def odt_bytes(rows: list[list[str]] | None, lines: list[str]) -> bytes:
    document = OpenDocumentText()
    document.text.addElement(odf_text.P(text="Fiche de signalement 39 75"))
    if rows:
        document.text.addElement(odf_grid(rows, "Fiche"))
    for line in lines:
        document.text.addElement(odf_text.P(text=line))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def ods_bytes(rows: list[list[str]]) -> bytes:
    document = OpenDocumentSpreadsheet()
    document.spreadsheet.addElement(odf_grid(rows, "Fiches"))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("cp1252")  # as French Excel saves it


def _pdf_string(text: str) -> bytes:
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def pdf_bytes(objects: list[bytes]) -> bytes:
    """A PDF from its numbered objects (1 is the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def pdf_text(lines: list[str]) -> bytes:
    def escape(line: str) -> bytes:
        raw = line.encode("cp1252")
        return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    content = b"BT /F1 11 Tf 14 TL 50 800 Td " + b" ".join(
        b"(" + escape(line) + b") Tj T*" for line in lines) + b" ET"
    return pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ])


def pdf_form(fields: list[tuple[str, str | None, str, str]]) -> bytes:
    """An AcroForm: (name /T, tooltip /TU or None, "Tx" or "Btn", value) per field."""
    first = 4
    refs = b" ".join(b"%d 0 R" % (first + i) for i in range(len(fields)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [" + refs + b"] >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [" + refs + b"] >>",
    ]
    for i, (name, tooltip, kind, value) in enumerate(fields):
        shown = (b"/" + value.encode()) if kind == "Btn" else _pdf_string(value)
        tip = b" /TU " + _pdf_string(tooltip) if tooltip else b""
        objects.append(
            b"<< /Type /Annot /Subtype /Widget /FT /" + kind.encode() + b" /T "
            + _pdf_string(name) + tip + b" /V " + shown
            + b" /Rect [50 %d 500 %d] /P 3 0 R >>" % (700 - 30 * i, 720 - 30 * i))
    return pdf_bytes(objects)


def pdf_encrypted() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def tnef_bytes(files: list[tuple[str, bytes]]) -> bytes:
    """Outlook's winmail.dat holding `files` (attribute ids from MS-OXTNEF)."""

    def attr(level: int, ident: int, data: bytes) -> bytes:
        checksum = sum(data) & 0xFFFF
        return bytes([level]) + struct.pack("<II", ident, len(data)) + data + struct.pack(
            "<H", checksum)

    out = struct.pack("<IH", 0x223E9F78, 1)
    out += attr(1, 0x00089006, struct.pack("<I", 0x00010000))  # attTnefVersion
    out += attr(1, 0x00069007, struct.pack("<II", 1252, 0))  # attOemCodepage
    for name, data in files:
        out += attr(2, 0x00069002, b"\x01\x00" + b"\xff" * 4 + b"\x00" * 8)  # attAttachRendData
        out += attr(2, 0x00018010, name.encode("ascii") + b"\x00")  # attAttachTitle
        out += attr(2, 0x0006800F, data)  # attAttachData
    return out


# --- emails ------------------------------------------------------------------------------


def email(name: str, body: str, files: list[tuple[str, bytes]]) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Nadia Benali <nadia.benali@paris.fr>"
    msg["To"] = "Signalements 39 75 <signalements-3975@paris.fr>"
    msg["Subject"] = "Fiche de signalement 39 75"
    msg["Date"] = "Thu, 05 Mar 2026 09:12:00 +0100"
    msg["Message-ID"] = f"<{name}@mail.paris.fr>"
    msg.set_content(body)
    for filename, data in files:
        maintype, subtype = MIME[filename.rsplit(".", 1)[1]].split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    msg.set_boundary(f"=-{name}-=")
    return msg.as_bytes()


ATTACHED = "Bonjour,\n\nVeuillez trouver ci-joint la fiche.\n\nCordialement,\nNadia\n"
Case = tuple[str, list[tuple[str, bytes]], dict[str, Any]]


def fiche(*fiches: dict[str, Any], warnings: list[str] | None = None,
          rejected: list[str] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": "fiche", "fiches": list(fiches)}
    if warnings:
        out["warnings"] = warnings
    if rejected:
        out["rejected"] = rejected
    return out


def cases() -> dict[str, Case]:
    label_lines = [f"{label} : {value}" for label, value in ROWS]
    sheet_header = ["Service déclarant", "Date de l'appel", "Heure", "Type de dysfonctionnement",
                    "Agent 3975", "Description"]
    sheet_rows = [
        ["Mairie du 15e", "04/03/2026", "10h15", "Mauvais transfert", "Julien", "Renvoyé au 15e."],
        ["Mairie du 15e", "", "11h00", "Information erronée", "", "Horaires faux donnés."],
        ["MAIRIE DU XVe", "05/03/2026", "", "Autre", "Inès", "Appel coupé au transfert."],
    ]
    row_fiches = (
        {"service_id": "mairie-15", "call_date": "2026-03-04", "category": "transfer_error"},
        {"service_id": "mairie-15", "call_date": "2026-03-05", "category": "other"},
    )
    boxes = "☐ Erreur de transfert d'appel ☐ Information erronée ☑ Autre"
    return {
        "37-docx-4col": (ATTACHED, [("fiche.docx", docx_table(ROWS + [("", "")], cols=4))],
                         fiche(EXPECTED)),
        "38-docx-paragraphs-boxes": (ATTACHED, [("fiche.docx", docx_paragraphs(
            [f"{label} : {value}" for label, value in rows_without_category()]
            + ["Type de dysfonctionnement :", "[ ] Erreur de transfert d'appel",
               "[X] Information erronée", "[ ] Autre"]))],
            fiche(with_category(EXPECTED, "wrong_information"))),
        "39-docx-glyph-boxes": (ATTACHED, [("fiche.docx", docx_table(
            rows_without_category() + [("Type de dysfonctionnement", boxes)]))],
            fiche(with_category(EXPECTED, "other"))),
        "40-docx-x-after-label": (ATTACHED, [("fiche.docx", docx_table(
            rows_without_category() + [(CATEGORY_LABELS[0], ""), (CATEGORY_LABELS[1], "X"),
                                       (CATEGORY_LABELS[2], "")]))],
            fiche(with_category(EXPECTED, "wrong_information"))),
        "41-odt-table": (ATTACHED, [("fiche.odt", odt_bytes([list(r) for r in ROWS], []))],
                         fiche(EXPECTED)),
        "42-odt-paragraphs": (ATTACHED, [("fiche.odt", odt_bytes(None, label_lines))],
                              fiche(EXPECTED)),
        "43-pdf-acroform": (ATTACHED, [("fiche.pdf", pdf_form(
            [(label, None, "Tx", value) for label, value in rows_without_category()[:-1]]
            + [("Texte7", "Description", "Tx", ROWS[-1][1]),
               ("call_time", None, "Tx", "10:15"),
               (CATEGORY_LABELS[0], None, "Btn", "Off"), (CATEGORY_LABELS[1], None, "Btn", "Oui"),
               (CATEGORY_LABELS[2], None, "Btn", "Off")]))],
            fiche(with_category(EXPECTED, "wrong_information"))),
        "44-pdf-text": (ATTACHED, [("fiche.pdf", pdf_text(label_lines))], fiche(EXPECTED)),
        "45-csv-labels": (ATTACHED, [("fiche.csv", csv_bytes([list(r) for r in ROWS]))],
                          fiche(EXPECTED)),
        "46-csv-rows-one-invalid": (ATTACHED, [("fiches.csv", csv_bytes(
            [sheet_header] + sheet_rows))], fiche(*row_fiches, rejected=["call_date"])),
        "47-xlsx-rows-one-invalid": (ATTACHED, [("fiches.xlsx", xlsx_bytes(
            [["Fiches de signalement - mars"], [], sheet_header, *sheet_rows]))],
            fiche(*row_fiches, rejected=["call_date"])),
        "48-ods-rows": (ATTACHED, [("fiches.ods", ods_bytes(
            [sheet_header, sheet_rows[0], sheet_rows[2]]))], fiche(*row_fiches)),
        "49-winmail-dat": ("Bonjour,\n\nFiche jointe.\n", [("winmail.dat", tnef_bytes(
            [("fiche.docx", docx_table(ROWS))]))], fiche(EXPECTED)),
        "50-protected-docx": (ATTACHED, [("fiche.docx", (
            HERE.parent / "files" / "fiche-protected.docx").read_bytes())],
            {"kind": "invalid", "fields": [""]}),
        "51-encrypted-pdf": (ATTACHED, [("fiche.pdf", pdf_encrypted())],
                             {"kind": "invalid", "fields": [""]}),
        "52-damaged-xlsx-body-fiche": ("Bonjour,\n\n" + "\n".join(label_lines) + "\n",
                                       [("fiche.xlsx", b"PK\x03\x04" + bytes(300))],
                                       fiche(EXPECTED, warnings=[""])),
    }


def main() -> None:
    for name, (body, files, expected) in cases().items():
        (HERE / f"{name}.eml").write_bytes(email(name, body, files))
        (HERE / f"{name}.expected.json").write_text(
            json.dumps(expected, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(name, file=sys.stderr)


if __name__ == "__main__":
    main()
