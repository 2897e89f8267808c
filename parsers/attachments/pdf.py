"""PDF fiches: the fields of a fillable form (AcroForm), else the text of the pages."""

from __future__ import annotations

import io
import logging
from typing import Any

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from parsers.attachments.guard import Protected

Grid = list[list[str]]
#: A fiche is one or two pages: reading more only costs time on a hostile file.
MAX_PAGES = 20


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


def read_pdf(data: bytes) -> tuple[list[Grid], str]:
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
    fields = reader.get_fields() or {}
    rows: Grid = []
    for name, field in fields.items():
        # The tooltip (/TU) is often the label as printed; the name (/T) may be "Texte1".
        label = str(field.get("/TU") or name)
        rows.append([label, _value(field)])
        if label != name:
            rows.append([str(name), _value(field)])
    pages = []
    if not any(value for _, value in rows):
        pages = [page.extract_text() or "" for page in reader.pages[:MAX_PAGES]]
    return ([rows] if rows else []), "\n".join(pages)
