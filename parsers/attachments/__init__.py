"""Fiches attached as files (Word, Excel, LibreOffice, PDF, CSV, Outlook's winmail.dat).

Each attachment goes through the guards (size, zip inflation, password) before its reader,
and a file that cannot be read becomes a French problem for the agent, never an exception.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import cast

from parsers.attachments.guard import (
    Protected,
    Unreadable,
    check_size,
    check_zip,
    damaged,
    protected,
)
from parsers.attachments.tnef import is_tnef, unpack_tnef
from parsers.fields import looks_like_fiche
from parsers.fold import fold
from parsers.form import FormDefinition
from parsers.mime import Attachment
from parsers.model import FieldError, Source
from parsers.pairs import Pair
from parsers.rows import Record, header_records, row_pairs
from parsers.text import extract_pairs

Pairs = list[Pair]
Grid = list[list[str]]
#: A reader returns the grids (tables, sheets) and the free text of a document.
Reader = Callable[[bytes], tuple[list[Grid], str]]

#: (source, file name pattern, content type fragment, reader module, is a zip container)
_KINDS: tuple[tuple[Source, str, str, str, bool], ...] = (
    ("docx", r"\.(docx|docm)$", "wordprocessingml", "docx", True),
    ("xlsx", r"\.(xlsx|xlsm)$", "spreadsheetml", "xlsx", True),
    ("ods", r"\.ods$", "opendocument.spreadsheet", "ods", True),
    ("odt", r"\.odt$", "opendocument.text", "odt", True),
    ("pdf", r"\.pdf$", "application/pdf", "pdf", False),
    ("csv", r"\.csv$", "text/csv", "delimited", False),
)


def _reader(source: Source, module: str) -> Reader:
    """`parsers.attachments.MODULE.read_SOURCE`, imported on first use: the libraries behind
    the readers are most of the start-up time, and most mail has no attachment."""
    return cast(Reader, getattr(import_module(f"parsers.attachments.{module}"), f"read_{source}"))


@dataclass
class Found:
    """The fiches read from the attachments, and the files that could not be read."""

    #: (source, records) per attachment holding a fiche; a record knows its row, if any.
    fiches: list[tuple[Source, list[Record]]] = field(default_factory=list)
    #: Body text carried inside winmail.dat, read like a message body.
    texts: list[str] = field(default_factory=list)
    problems: list[FieldError] = field(default_factory=list)


def _kind(att: Attachment) -> tuple[Source, Reader, bool] | None:
    name = fold(att.filename)
    for source, pattern, _, module, zipped in _KINDS:
        if re.search(pattern, name):
            return source, _reader(source, module), zipped
    for source, _, ctype, module, zipped in _KINDS:
        if ctype in att.content_type:
            return source, _reader(source, module), zipped
    return None


def records_of(grids: list[Grid], text: str, form: FormDefinition) -> list[Record]:
    """One record per fiche: header-row tables give several, label/value grids give one."""
    for grid in grids:
        records = header_records(grid, form)
        if records:
            return records
    pairs: Pairs = []
    for grid in grids:
        pairs += row_pairs(grid, form)
    pairs += extract_pairs(text, form)
    return [Record(pairs)] if looks_like_fiche(pairs) else []


def _read_one(att: Attachment, form: FormDefinition, found: Found, depth: int) -> None:
    name = att.filename or "sans nom"
    limits = form.limits
    if is_tnef(att) and depth == 0:
        check_size(name, att.data, limits.max_attachment_bytes)
        try:
            inner, text = unpack_tnef(att.data)
        except Exception as exc:  # noqa: BLE001 - any damage in a TNEF file is "damaged"
            raise damaged(name) from exc
        found.texts += [text] if text.strip() else []
        for item in inner:
            _guarded(item, form, found, depth + 1)
        return
    kind = _kind(att)
    if kind is None:
        return
    source, reader, zipped = kind
    check_size(name, att.data, limits.max_attachment_bytes)
    if zipped:
        check_zip(name, att.data, limits.max_inflated_bytes)
    try:
        grids, text = reader(att.data)
    except Protected as exc:
        raise protected(name) from exc
    except Exception as exc:  # noqa: BLE001 - readers raise anything on a damaged file
        raise damaged(name) from exc
    records = records_of(grids, text, form)
    if records:
        found.fiches.append((source, records))


def _guarded(att: Attachment, form: FormDefinition, found: Found, depth: int) -> None:
    try:
        _read_one(att, form, found, depth)
    except Unreadable as problem:
        found.problems.append(FieldError(field="", message=str(problem)))


def read_attachments(attachments: list[Attachment], form: FormDefinition) -> Found:
    """Every fiche found in `attachments`, and a French problem for each file not read."""
    found = Found()
    for att in attachments:
        _guarded(att, form, found, 0)
    return found
