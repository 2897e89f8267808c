"""Fiches written by LibreOffice (tests/office, made by scripts/make-office-fixtures) parse to
what their FILE.expected.json says, attached to the email that file describes.

Files of a format the parser does not read yet are expected failures (not strict), so each
turns green on its own when its reader lands. So are, listed by file with the reason, the
files of a format already read whose layout is still misread today.
"""

from __future__ import annotations

import pytest
from helpers import shipped_parse_context
from variants.golden import Case, golden_cases, golden_mail
from variants.measure import judge

from parsers import classify
from parsers.context import ParseContext

CASES = golden_cases()
FORMATS = {"docx", "odt", "doc", "rtf", "pdf", "xlsx", "ods", "xls", "scan-pdf", "photo-jpg"}
#: Formats without a reader yet.
NOT_READ_YET = {
    "doc": "Word 97-2003 .doc not read yet",
    "xls": "Excel 97-2003 .xls not read yet",
    "rtf": ".rtf not read yet",
    "scan-pdf": "scanned PDF (image only) not read by OCR yet",
    "photo-jpg": "photographed fiche (JPEG) not read by OCR yet",
}
_PDF_TABLE = "PDF export of a table: label and value read as one line of positioned text"
_SECTIONS = "section column read as labels, merged cells repeated into other rows"
_ODS_CELL = "paragraphs of a Calc cell joined without a space (check boxes, description)"
#: Files of a format already read whose layout is misread today.
LAYOUT_NOT_READ_YET = {
    **{f"{name}.pdf": _PDF_TABLE for name in (
        "writer-2col", "writer-4col", "writer-section-column", "writer-labels-above",
        "writer-from-html", "form-docx", "form-odt", "form-xlsx", "calc-rows",
        "calc-sections", "calc-ods-rows")},
    "writer-labels-above.docx": "labels above their values",
    "writer-labels-above.odt": "labels above their values",
    "writer-section-column.docx": _SECTIONS,
    "writer-section-column.odt": _SECTIONS,
    "calc-rows.ods": _ODS_CELL,
    "calc-sections.ods": _ODS_CELL,
    "calc-ods-rows.ods": _ODS_CELL,
}


@pytest.fixture(scope="module")
def ctx() -> ParseContext:
    return shipped_parse_context()


def _param(case: Case) -> object:
    reason = NOT_READ_YET.get(case.format) or LAYOUT_NOT_READ_YET.get(case.path.name)
    marks = [pytest.mark.xfail(strict=False, reason=reason)] if reason else []
    return pytest.param(case, id=case.path.name, marks=marks)


def test_every_format_is_there() -> None:
    assert {case.format for case in CASES} == FORMATS
    assert set(LAYOUT_NOT_READ_YET) <= {case.path.name for case in CASES}
    assert sum(case.path.stat().st_size for case in CASES) < 4_000_000


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_office_file(case: Case, ctx: ParseContext) -> None:
    judgement = judge(classify(golden_mail(case), ctx), case.expected["fiche"])
    assert judgement.kind == "fiche", judgement.messages
    misread = {k: (case.expected["fiche"].get(k), judgement.got.get(k))
               for k, v in judgement.fields.items() if v != "ok"}
    assert not misread, misread
