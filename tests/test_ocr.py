"""Scanned and photographed fiches (tests/files/scans, from scripts/make-scan-fixtures) are read
by Tesseract; every field so read carries a warning; when OCR cannot help, the agent is told
which file and what to send instead."""

from __future__ import annotations

import difflib
import io
import shutil
from pathlib import Path

import pytest
from helpers import shipped_parse_context
from PIL import Image
from typed_fiches import SCANS, by_name, mail_with

from parsers import classify
from parsers.context import ParseContext
from parsers.fold import fold
from parsers.model import FicheResult, InvalidResult

SCAN_DIR = Path(__file__).parent / "files" / "scans"
needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None,
    reason="tesseract is not installed (Debian: tesseract-ocr tesseract-ocr-fra)",
)
#: What OCR must get right on every scan: the fields a ticket cannot do without.
MUST = ("service_id", "call_date", "category")


@pytest.fixture(scope="module")
def ctx() -> ParseContext:
    return shipped_parse_context()


@pytest.fixture(scope="module")
def results(ctx: ParseContext) -> dict[str, FicheResult | InvalidResult]:
    out = {}
    for name, _, _ in SCANS:
        result = classify(mail_with(name, (SCAN_DIR / name).read_bytes()), ctx)
        assert isinstance(result, FicheResult | InvalidResult)
        out[name] = result
    return out


def same(a: object, b: object) -> bool:
    return " ".join(fold(str(a or "")).split()) == " ".join(fold(str(b or "")).split())


@needs_tesseract
@pytest.mark.parametrize("scan", SCANS, ids=lambda s: s[0])
def test_scan_gives_a_fiche_with_its_key_fields(
    scan: tuple[str, str, str], results: dict[str, FicheResult | InvalidResult]
) -> None:
    name, typed, _ = scan
    result = results[name]
    assert isinstance(result, FicheResult), result
    fiche = result.fiches[0].model_dump(mode="json")
    assert fiche["source"] == ("scan" if name.endswith(".pdf") else "photo")
    expected = by_name(typed).expected
    for key in MUST:
        assert fiche[key] == expected[key], key
    # A word or two may be misread in a paragraph; the text must still be the agent's.
    ratio = difflib.SequenceMatcher(None, fold(fiche["description"]),
                                    fold(expected["description"])).ratio()
    assert ratio >= 0.6, fiche["description"]
    assert "Fait à" not in fiche["description"] and "Page" not in fiche["description"]


@needs_tesseract
@pytest.mark.parametrize("scan", SCANS, ids=lambda s: s[0])
def test_every_field_read_by_ocr_is_flagged(
    scan: tuple[str, str, str], results: dict[str, FicheResult | InvalidResult]
) -> None:
    result = results[scan[0]]
    assert isinstance(result, FicheResult)
    fiche = result.fiches[0]
    flagged = {w.field for w in result.warnings if "reconnaissance de caractères" in w.message}
    for field in ("service", "call_date", "category", "description"):
        assert getattr(fiche, field) is not None and field in flagged, field


@needs_tesseract
def test_field_accuracy_over_all_scans(results: dict[str, FicheResult | InvalidResult]) -> None:
    right = total = 0
    for name, typed, _ in SCANS:
        result = results[name]
        got = result.fiches[0].model_dump(mode="json") if isinstance(result, FicheResult) else {}
        for key, value in by_name(typed).expected.items():
            total += 1
            right += same(got.get(key), value)
    print(f"OCR field accuracy: {right}/{total}")
    assert right / total >= 0.85, f"{right}/{total}"


def _image_pdf(page: Image.Image) -> bytes:
    out = io.BytesIO()
    page.save(out, "PDF", resolution=150.0)
    return out.getvalue()


BLANK_PAGE = Image.new("L", (1240, 1754), 235)  # A4 at 150 dpi, nothing on it


def test_without_tesseract_the_agent_is_told_to_send_the_file(
    ctx: ParseContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a server where OCR is not installed
    result = classify(mail_with("scan_0042.pdf", _image_pdf(BLANK_PAGE)), ctx)
    assert isinstance(result, InvalidResult)
    message = result.errors[0].message
    assert "votre PDF « scan_0042.pdf » est une image numérisée" in message
    assert "pas disponible" in message
    assert "Renvoyez le fichier Word" in message and "tapez la fiche dans le message" in message
    photo = classify(mail_with("IMG_2031.jpg", (SCAN_DIR / "photo-table.jpg").read_bytes()), ctx)
    assert isinstance(photo, InvalidResult)
    assert "« IMG_2031.jpg »" in photo.errors[0].message


@needs_tesseract
def test_a_scan_with_nothing_readable_says_so(ctx: ParseContext) -> None:
    result = classify(mail_with("numérisation.pdf", _image_pdf(BLANK_PAGE)), ctx)
    assert isinstance(result, InvalidResult)
    message = result.errors[0].message
    assert "« numérisation.pdf » est une image numérisée" in message
    assert "rien lu d'exploitable" in message
