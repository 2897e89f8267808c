"""Hostile spreadsheets built by hand, byte for byte: what a careless or malicious sender can
attach. Each builder writes only the parts a reader needs, so the file is small and real."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable
from email.message import EmailMessage

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>{sheets}</Types>'
)
_SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def _column(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def xlsx(sheets: list[tuple[str, Callable[[], Iterable[str]]]]) -> bytes:
    """An .xlsx of `sheets`: (declared dimension, rows' XML). Inline strings, no shared ones."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        count = len(sheets)
        z.writestr(
            "[Content_Types].xml",
            _CONTENT_TYPES.format(sheets="".join(
                _SHEET_TYPE.format(n=n + 1) for n in range(count))
            ),
        )
        z.writestr("_rels/.rels", _ROOT_RELS)
        z.writestr(
            "xl/workbook.xml",
            f"<workbook {_NS} {_R}><sheets>"
            + "".join(
                f'<sheet name="Feuille{n + 1}" sheetId="{n + 1}" r:id="rId{n + 1}"/>'
                for n in range(count)
            )
            + "</sheets></workbook>",
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(
                f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/'
                f'officeDocument/2006/relationships/worksheet" '
                f'Target="worksheets/sheet{n + 1}.xml"/>'
                for n in range(count)
            )
            + "</Relationships>",
        )
        for n, (dimension, rows) in enumerate(sheets):
            with z.open(f"xl/worksheets/sheet{n + 1}.xml", "w") as f:
                f.write(f'<worksheet {_NS}><dimension ref="{dimension}"/><sheetData>'.encode())
                for row in rows():
                    f.write(row.encode())
                f.write(b"</sheetData></worksheet>")
    return out.getvalue()


def xlsx_cell(row: int, column: int, text: str) -> str:
    return f'<c r="{_column(column)}{row}" t="inlineStr"><is><t>{text}</t></is></c>'


def declared_rows(rows: int) -> Callable[[], Iterable[str]]:
    """Rows that exist but hold one short cell each: the size is all in the declaration."""
    return lambda: (f'<row r="{r}">{xlsx_cell(r, 1, "x")}</row>' for r in range(1, rows + 1))


def far_cells(rows: int) -> Callable[[], Iterable[str]]:
    """Each row holds a cell in A and one in the last column Excel has (XFD, 16,384)."""
    return lambda: (
        f'<row r="{r}">{xlsx_cell(r, 1, "x")}{xlsx_cell(r, 16384, "y")}</row>'
        for r in range(1, rows + 1)
    )


def dense(rows: int, columns: int) -> Callable[[], Iterable[str]]:
    """Every cell of the grid really written, a number each (small once zipped)."""
    return lambda: (
        f'<row r="{r}">'
        + "".join(f'<c r="{_column(c)}{r}"><v>{c}</v></c>' for c in range(1, columns + 1))
        + "</row>"
        for r in range(1, rows + 1)
    )


_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
    '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type='
    '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
    'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)
_ODS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    "<office:body><office:spreadsheet>"
)


def ods(tables: list[Callable[[], Iterable[str]]]) -> bytes:
    """An .ods whose content.xml holds `tables`, each given as its rows' XML."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        z.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
        with z.open("content.xml", "w") as f:
            f.write(_ODS_HEAD.encode())
            for n, rows in enumerate(tables):
                f.write(f'<table:table table:name="Feuille{n + 1}">'.encode())
                for row in rows():
                    f.write(row.encode())
                f.write(b"</table:table>")
            f.write(b"</office:spreadsheet></office:body></office:document-content>")
    return out.getvalue()


def ods_cell(text: str, repeat: int = 1) -> str:
    times = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return (
        f'<table:table-cell office:value-type="string"{times}><text:p>{text}</text:p>'
        "</table:table-cell>"
    )


def ods_repeated(rows: int, repeat: int) -> Callable[[], Iterable[str]]:
    """Rows of one cell repeated `repeat` times: a few bytes that declare a huge grid."""
    return lambda: (
        f'<table:table-row table:number-rows-repeated="{repeat}">{ods_cell("x", repeat)}'
        "</table:table-row>"
        for _ in range(rows)
    )


def ods_dense(rows: int, columns: int) -> Callable[[], Iterable[str]]:
    return lambda: (
        "<table:table-row>" + ods_cell("x") * columns + "</table:table-row>" for _ in range(rows)
    )


def as_mail(filename: str, data: bytes, sender: str = "Agent <agent@paris.fr>") -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "signalements-3975@paris.fr"
    msg["Subject"] = "Fiche"
    msg["Date"] = "Fri, 13 Mar 2026 09:00:00 +0100"
    msg["Message-ID"] = "<hostile@paris.fr>"
    msg.set_content("Bonjour, la fiche est jointe.")
    msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=filename)
    return msg.as_bytes()


def docx_spanning(span: int, rows: int = 50) -> bytes:
    """A Word table whose every cell claims to span `span` columns (Word allows 63)."""
    from docx import Document  # python-docx: only for this builder

    document = Document()
    grid = document.add_table(rows=rows, cols=2)
    for row in grid.rows:
        row.cells[0].text, row.cells[1].text = "Description", "x"
    plain = io.BytesIO()
    document.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:tcPr>", f'<w:tcPr><w:gridSpan w:val="{span}"/>'.encode())
            z.writestr(item, data)
    return out.getvalue()


def body_mail(text: str, subtype: str = "plain") -> bytes:
    msg = EmailMessage()
    msg["From"] = "Agent <agent@paris.fr>"
    msg["Subject"] = "Fiche"
    msg["Message-ID"] = "<hostile@paris.fr>"
    msg.set_content(text, subtype=subtype)
    return msg.as_bytes()


def many_files(count: int) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Agent <agent@paris.fr>"
    msg["Subject"] = "Fiches"
    msg.set_content("Les fiches sont jointes.")
    small = xlsx([("A1:B2", dense(2, 2))])
    for n in range(count):
        msg.add_attachment(
            small, maintype="application", subtype="octet-stream", filename=f"fiche{n}.xlsx"
        )
    return msg.as_bytes()


def attached(filename: str, build: Callable[[], bytes]) -> tuple[Callable[[], bytes], str]:
    return (lambda: as_mail(filename, build())), f"« {filename} »"


NO_FICHE = "Aucune fiche de signalement n'a été trouvée dans ce courriel"

#: name -> (builder of the whole mail, what one of the answer's messages says): every hostile
#: mail the resource tests answer.
HOSTILE: dict[str, tuple[Callable[[], bytes], str]] = {
    "xlsx declaring A1:XFD5000": attached(
        "fiche.xlsx", lambda: xlsx([("A1:XFD5000", declared_rows(5000))])
    ),
    "xlsx declaring A1:XFD5000 on 3 sheets": attached(
        "fiche.xlsx", lambda: xlsx([("A1:XFD5000", declared_rows(5000))] * 3)
    ),
    "xlsx with a cell in column XFD on 5000 rows": attached(
        "fiche.xlsx", lambda: xlsx([("A1:XFD5000", far_cells(5000))])
    ),
    "xlsx of 200 sheets declaring A1:XFD1048576": attached(
        "fiche.xlsx", lambda: xlsx([("A1:XFD1048576", declared_rows(20))] * 200)
    ),
    "xlsx of 5000 x 200 real cells": attached(
        "fiche.xlsx", lambda: xlsx([("A1:GR5000", dense(5000, 200))])
    ),
    "ods of rows and columns repeated 1048576 times": attached(
        "fiche.ods", lambda: ods([ods_repeated(2000, 1_048_576)] * 3)
    ),
    "ods of 3000 x 200 real cells": attached("fiche.ods", lambda: ods([ods_dense(3000, 200)])),
    "csv of one line of 5 million separators": attached("fiche.csv", lambda: b";" * 5_000_000),
    "docx whose cells span 1,000,000 columns": attached(
        "fiche.docx", lambda: docx_spanning(1_000_000)
    ),
    "mail of 5000 attached spreadsheets": (
        lambda: many_files(5000),
        "seules les 50 premières ont été ouvertes",
    ),
    "html body of a 500,000-row table (22 MB)": (
        lambda: body_mail(
            "<html><table>"
            + "".join(f"<tr><td>Description</td><td>x{n}</td></tr>" for n in range(500_000))
            + "</table></html>",
            "html",
        ),
        NO_FICHE,
    ),
    "text body of 1,000,000 label lines (16 MB)": (
        lambda: body_mail("Description : x\n" * 1_000_000),
        NO_FICHE,
    ),
}
