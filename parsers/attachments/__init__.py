"""Fiches attached as files (Word, Excel, LibreOffice, RTF, PDF, CSV, text, Outlook's .msg
and winmail.dat).

Each attachment goes through the guards (size, zip inflation, password) before its reader,
and a file that cannot be read becomes a French problem for the agent, never an exception.
Files read without a fiche in them, and files in a format not read, become notes: the agent
is told about them when no fiche was found at all, never beside a fiche that was. Pictures
shown in the message (logos, signatures) and files that are never fiches (business cards,
invitations, signatures) are passed over in silence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import cast

from parsers.attachments.extent import MAX_FILES, check_extent, held_grids, too_many_files
from parsers.attachments.guard import (
    OLE_MAGIC,
    Protected,
    ReaderMissing,
    Unreadable,
    archive,
    check_size,
    check_zip,
    damaged,
    image_format,
    no_fiche_in,
    pdf_without_text,
    protected,
    reader_missing,
    unknown_format,
)
from parsers.attachments.scanned import NO_FICHE, NotRead, Scanned, ocr_problem
from parsers.attachments.tnef import is_tnef, unpack_tnef
from parsers.cells import Grid
from parsers.fields import looks_like_fiche
from parsers.fold import fold
from parsers.form import FormDefinition
from parsers.mime import Attachment, Mail
from parsers.model import OCR_SOURCES, FieldError, Source
from parsers.pairs import Pairs
from parsers.rows import Record, header_records, row_pairs
from parsers.text import extract_pairs

#: A reader returns the grids (tables, sheets) and the free text of a document.
Reader = Callable[[bytes], tuple[list[Grid], str]]

#: (source, file name pattern, content type pattern, reader module, is a zip container)
_KINDS: tuple[tuple[Source, str, str, str, bool], ...] = (
    ("docx", r"\.(docx|docm)$", "wordprocessingml", "docx", True),
    ("xlsx", r"\.(xlsx|xlsm)$", "spreadsheetml", "xlsx", True),
    ("ods", r"\.ods$", "opendocument.spreadsheet", "ods", True),
    ("odt", r"\.odt$", "opendocument.text", "odt", True),
    ("pdf", r"\.pdf$", "application/pdf", "pdf", False),
    ("csv", r"\.csv$", "text/csv", "delimited", False),
    ("doc", r"\.(doc|dot)$", "application/msword", "doc", False),
    ("xls", r"\.(xls|xlt)$", "application/vnd.ms-excel", "xls", False),
    ("rtf", r"\.rtf$", "rtf", "rtf", False),
    ("msg", r"\.msg$", "vnd.ms-outlook", "msg", False),
    ("txt", r"\.txt$", "text/plain", "plain", False),
    ("photo", r"\.(jpe?g|png|tiff?)$", r"^image/(p?jpe?g|png|tiff?)$", "ocr", False),
)
#: How agents know each format, for the list of what is read (a kind not named here is read
#: all the same, just not listed).
_NAMES: dict[str, str] = {
    "docx": "Word (.docx, .doc)", "xlsx": "Excel (.xlsx, .xls)", "odt": "LibreOffice (.odt, .ods)",
    "rtf": "RTF", "pdf": "PDF", "csv": "CSV", "txt": "texte (.txt)",
    "msg": "message Outlook (.msg, .eml)", "photo": "photo de la fiche (.jpg, .png)",
}
#: Never a fiche: business cards, invitations, signatures and keys, Outlook's calendar data.
_NOT_FICHES = re.compile(
    r"\.(vcf|vcard|ics|vcs|p7s|p7m|p7c|asc|sig|gpg|pgp|pem|cer|crt|url|lnk)$"
    r"|^(text/(x-)?vcard|text/calendar|application/(pkcs7|x-pkcs7|pgp)-\w+|application/ics)$"
)
_IMAGE = re.compile(
    r"\.(jpe?g|png|gif|bmp|tiff?|heic|heif|webp)$|^image/"
)
#: A picture smaller than this is a logo or an icon: a photographed fiche weighs far more.
MIN_PICTURE_BYTES = 20_000
#: A picture shown inside the message is a signature or a logo unless it weighs like a photo
#: (a fiche photographed and pasted into the message).
MIN_INLINE_PHOTO_BYTES = 150_000
_ARCHIVE = re.compile(r"\.(zip|7z|rar|tar|gz|tgz|bz2|xz)$|^application/(x-)?(zip|7z|rar|gzip)")


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
    #: Outlook messages (.msg) attached, read like forwarded messages.
    mails: list[Mail] = field(default_factory=list)
    #: Files that could not be read (password, damage, size): told to the agent always.
    problems: list[FieldError] = field(default_factory=list)
    #: Files read without a fiche, or in a format not read: told when no fiche was found.
    notes: list[FieldError] = field(default_factory=list)


#: What a file is: its source, the module of its reader, whether it is a zip container.
FileKind = tuple[Source, str, bool]


def _by_name(att: Attachment) -> FileKind | None:
    name, ctype = fold(att.filename), att.content_type.lower()
    for source, pattern, _, module, zipped in _KINDS:
        if re.search(pattern, name):
            return source, module, zipped
    for source, _, fragment, module, zipped in _KINDS:
        if re.search(fragment, ctype):
            return source, module, zipped
    return None


def _kind(att: Attachment, limit: int) -> FileKind | None:
    """What the file is: its content says so for old Office files and RTF (often misnamed,
    or a docx saved with a password), else its name, else its declared type."""
    data = att.data
    if data.startswith(OLE_MAGIC) and len(data) <= limit:
        from parsers.attachments.ole import ole_source  # olefile: only for OLE files

        source = ole_source(data)
        if source is None:
            if _by_name(att) is not None:  # named as one of ours, yet none of its streams
                raise ValueError("an OLE file without the streams of its format")
            return None  # PowerPoint, Publisher…: not a format of fiches
        return next((s, m, z) for s, _, _, m, z in _KINDS if s == source)
    if data[:16].lstrip().startswith(b"{\\rtf"):
        return "rtf", "rtf", False
    return _by_name(att)


def is_decoration(att: Attachment) -> bool:
    """Logos and pictures of a signature, business cards, invitations: never a fiche."""
    name, ctype = fold(att.filename), att.content_type.lower()
    if _NOT_FICHES.search(name) or _NOT_FICHES.search(ctype):
        return True
    picture = bool(_IMAGE.search(name) or _IMAGE.search(ctype))
    small = len(att.data) < (MIN_INLINE_PHOTO_BYTES if att.inline else MIN_PICTURE_BYTES)
    return picture and small


def readable_formats() -> str:
    """The formats read, as agents name them: "Word (.docx, .doc), Excel (…), … ou PDF"."""
    names = [_NAMES[source] for source, *_ in _KINDS if source in _NAMES]
    return ", ".join(names[:-1]) + " ou " + names[-1]


def _not_read(att: Attachment, name: str) -> Unreadable:
    """Why a file of no known kind is not read (the pictures read by OCR are a kind of
    `_KINDS`: they never come here)."""
    what, ctype = fold(att.filename), att.content_type.lower()
    if _IMAGE.search(what) or _IMAGE.search(ctype):
        return image_format(name)
    if _ARCHIVE.search(what) or _ARCHIVE.search(ctype):
        return archive(name)
    found = re.search(r"\.([a-z0-9]{1,8})$", what)
    described = f"« .{found.group(1)} »" if found else f"« {ctype} »"
    return unknown_format(name, described, readable_formats())


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
    if is_decoration(att):
        return
    try:
        kind = _kind(att, limits.max_attachment_bytes)
    except Protected as exc:
        raise protected(name) from exc
    except Exception as exc:  # noqa: BLE001 - olefile raises anything on a damaged file
        raise damaged(name) from exc
    if kind is None:
        found.notes.append(FieldError(field="", message=str(_not_read(att, name))))
        return
    source, module, zipped = kind
    check_size(name, att.data, limits.max_attachment_bytes)
    if zipped:
        check_zip(name, att.data, limits.max_inflated_bytes)
        check_extent(name, att.data, source)
    try:
        if source == "msg":
            from parsers.attachments.msg import read_msg  # extract-msg: only for .msg files

            found.mails.append(read_msg(att.data, name))
            return
        source, grids, text = _read_file(source, module, att.data)
    except Protected as exc:
        raise protected(name) from exc
    except ReaderMissing as exc:
        raise reader_missing(name, str(exc)) from exc
    except NotRead as exc:
        _no_fiche_read(found, name, scanned=source == "pdf", reason=exc.reason)
        return
    except Exception as exc:  # noqa: BLE001 - readers raise anything on a damaged file
        raise damaged(name) from exc
    records = records_of(held_grids(grids), text, form)
    if records:
        found.fiches.append((source, records))
    elif source in OCR_SOURCES:
        # Read but no rubrique in it; a picture too small to be a fiche gives no text at all
        # and is passed over in silence.
        if text.strip():
            _no_fiche_read(found, name, scanned=source == "scan", reason=NO_FICHE)
    elif source == "pdf" and not text.strip() and not any(any(r) for g in grids for r in g):
        found.notes.append(FieldError(field="", message=str(pdf_without_text(name))))
    elif source != "txt":  # text files without a fiche are disclaimers, "ATT00001.txt"…
        found.notes.append(FieldError(field="", message=str(no_fiche_in(name))))


def _no_fiche_read(found: Found, name: str, *, scanned: bool, reason: str) -> None:
    """Why OCR gave no fiche. A scanned PDF is meant as the fiche: always told. A photo may be
    anything (a picture of the desk beside a fiche typed in the body): told only when no
    fiche was found."""
    answer = FieldError(field="", message=ocr_problem(name, scanned, reason))
    (found.problems if scanned else found.notes).append(answer)


def _read_file(source: Source, module: str, data: bytes) -> tuple[Source, list[Grid], str]:
    """The reader's grids and text; a PDF of page images goes to OCR and becomes a "scan"."""
    try:
        return (source, *_reader(source, module)(data))
    except Scanned:
        from parsers.attachments.ocr import read_scan  # late: Pillow, numpy, pdfium

        return ("scan", *read_scan(data))


def _guarded(att: Attachment, form: FormDefinition, found: Found, depth: int) -> None:
    try:
        _read_one(att, form, found, depth)
    except Unreadable as problem:
        found.problems.append(FieldError(field="", message=str(problem)))


def read_attachments(attachments: list[Attachment], form: FormDefinition) -> Found:
    """Every fiche found in `attachments`, and a French problem for each file not read."""
    found = Found()
    for att in attachments[:MAX_FILES]:
        _guarded(att, form, found, 0)
    if len(attachments) > MAX_FILES:
        found.problems.append(FieldError(field="", message=str(too_many_files(len(attachments)))))
    return found
