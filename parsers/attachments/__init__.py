"""Fiches attached as Word, Excel or LibreOffice files, read into label/value pairs."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable

from parsers.attachments.docx import read_docx
from parsers.attachments.ods import read_ods
from parsers.attachments.xlsx import read_xlsx
from parsers.fields import looks_like_fiche
from parsers.fold import fold
from parsers.form import FormDefinition
from parsers.mime import Attachment, decode_bytes
from parsers.model import FieldError, Source
from parsers.rows import header_records, row_pairs
from parsers.text import extract_pairs

Pairs = list[tuple[str, str]]
Grid = list[list[str]]
#: A reader returns the grids (tables, sheets) and the free text of a document.
Reader = Callable[[bytes], tuple[list[Grid], str]]

MAX_BYTES = 10 * 1024 * 1024

_KINDS: tuple[tuple[Source, str, str, Reader], ...] = (
    ("docx", r"\.docx$", "wordprocessingml", read_docx),
    ("xlsx", r"\.(xlsx|xlsm)$", "spreadsheetml", read_xlsx),
    ("ods", r"\.ods$", "opendocument.spreadsheet", read_ods),
)


def _csv(data: bytes) -> tuple[list[Grid], str]:
    import csv
    import io

    text = decode_bytes(data)
    dialect: type[csv.Dialect] | csv.Dialect = csv.excel
    with contextlib.suppress(csv.Error):
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    return [[row for row in csv.reader(io.StringIO(text), dialect)]], ""


def _kind(att: Attachment) -> tuple[Source, Reader] | None:
    name = fold(att.filename)
    for source, pattern, ctype, reader in _KINDS:
        if re.search(pattern, name) or ctype in att.content_type:
            return source, reader
    if name.endswith(".csv") or att.content_type == "text/csv":
        return "csv", _csv
    return None


def records_of(grids: list[Grid], text: str, form: FormDefinition) -> list[Pairs]:
    """One record per fiche: header-row tables give several, label/value grids give one."""
    for grid in grids:
        records = header_records(grid, form)
        if records:
            return records
    pairs: Pairs = []
    for grid in grids:
        pairs += row_pairs(grid, form)
    pairs += extract_pairs(text, form)
    return [pairs] if looks_like_fiche(pairs) else []


def read_attachments(
    attachments: list[Attachment], form: FormDefinition
) -> list[tuple[Source, list[Pairs], list[FieldError]]]:
    """(source, records, warnings) for every attachment that holds a fiche."""
    found: list[tuple[Source, list[Pairs], list[FieldError]]] = []
    skipped: list[FieldError] = []
    for att in attachments:
        kind = _kind(att)
        if kind is None:
            continue
        if len(att.data) > MAX_BYTES:
            skipped.append(FieldError(field="", message=(
                f"Pièce jointe « {att.filename} » ignorée : elle dépasse 10 Mo. Envoyez une "
                "fiche plus légère (sans images) ou recopiez-la dans le corps du message.")))
            continue
        try:
            grids, text = kind[1](att.data)
        except Exception:  # noqa: BLE001 - a damaged file is skipped, the body may still hold it
            continue
        records = records_of(grids, text, form)
        if records:
            found.append((kind[0], records, []))
    if skipped:
        found = [(s, r, w + skipped) for s, r, w in found]
    return found
