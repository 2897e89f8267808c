"""PDF fiches exported by LibreOffice are read with their layout, and a field ends where the
fiche does: before "Fait à Paris, le …", the signature, the visa box or the page number."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import pytest
from helpers import shipped_parse_context
from PIL import Image
from typed_fiches import FICHES, TypedFiche, mail_with

from parsers import classify
from parsers.attachments.layout import Box, Rule, read_page
from parsers.context import ParseContext
from parsers.fold import clean_spaces
from parsers.model import FicheResult, InvalidResult
from parsers.text import extract_pairs, is_closing
from parsers.validate import NO_FICHE

PDF = Path(__file__).parent / "files" / "pdf"


@pytest.fixture(scope="module")
def ctx() -> ParseContext:
    return shipped_parse_context()


def parse(ctx: ParseContext, name: str, data: bytes) -> Any:
    return classify(mail_with(name, data), ctx)


@pytest.mark.parametrize("fiche", FICHES, ids=lambda f: f.name)
def test_office_pdf_gives_every_field(fiche: TypedFiche, ctx: ParseContext) -> None:
    result = parse(ctx, f"{fiche.name}.pdf", (PDF / f"{fiche.name}.pdf").read_bytes())
    assert isinstance(result, FicheResult), result
    got = result.fiches[0].model_dump(mode="json")
    assert got["source"] == "pdf"
    assert {k: got[k] for k in fiche.expected} == fiche.expected
    assert result.warnings == []


@pytest.mark.parametrize("fiche", FICHES, ids=lambda f: f.name)
def test_no_field_holds_the_closing_or_the_footer(fiche: TypedFiche, ctx: ParseContext) -> None:
    result = parse(ctx, f"{fiche.name}.pdf", (PDF / f"{fiche.name}.pdf").read_bytes())
    assert isinstance(result, FicheResult), result
    values = " ".join(str(v) for v in result.fiches[0].model_dump().values() if v)
    for line in fiche.closing + ["Page 1"]:
        if line and line not in " ".join(v for _, v in fiche.rows):
            assert line not in values


def test_merged_cells_are_read_once(ctx: ParseContext) -> None:
    four = next(f for f in FICHES if f.layout == "docx-4col")
    result = parse(ctx, "fiche.pdf", (PDF / f"{four.name}.pdf").read_bytes())
    assert isinstance(result, FicheResult)
    assert result.fiches[0].description == four.expected["description"]
    assert result.fiches[0].expected_service == "Mairie du 14e"


def box(x0: float, top: float, text: str, width: float = 0.0, height: float = 10.0) -> Box:
    return Box(x0, top, x0 + (width or 5.0 * len(text)), top + height, text)


def test_borderless_table_keeps_a_label_wrapped_over_two_lines() -> None:
    boxes = [
        box(50, 100, "Information erronée"), box(200, 100, "Mairie ouverte le samedi"),
        box(50, 112, "communiquée"),
        box(50, 130, "Description"), box(200, 130, "Porte close à 15 heures,"),
        box(200, 142, "l'accueil ferme à 12h30."),
    ]
    grids, text = read_page(boxes, [])
    assert grids == [[["Information erronée communiquée", "Mairie ouverte le samedi"],
                      ["Description", "Porte close à 15 heures, l'accueil ferme à 12h30."]]]
    assert text.strip() == ""


def test_ruled_table_gives_one_cell_per_bordered_area() -> None:
    # Two rows, two columns; the second row's value cell spans the page (no middle border).
    rules = [Rule(40, 90, 500, 90), Rule(40, 120, 500, 120), Rule(40, 170, 500, 170),
             Rule(40, 90, 40, 170), Rule(500, 90, 500, 170), Rule(190, 90, 190, 120)]
    boxes = [box(50, 95, "Service vers lequel"), box(50, 106, "l'appel aurait dû être orienté"),
             box(200, 95, "Mairie du 14e"), box(50, 125, "Description : la mère a été"),
             box(50, 137, "orientée vers le 15e."), box(60, 200, "Fait à Paris, le 6 mars 2026")]
    grids, text = read_page(boxes, rules)
    assert grids == [[["Service vers lequel l'appel aurait dû être orienté", "Mairie du 14e"],
                      ["Description : la mère a été orientée vers le 15e."]]]
    assert text.strip() == "Fait à Paris, le 6 mars 2026"


def test_page_text_keeps_blank_lines_and_column_gaps() -> None:
    boxes = [box(50, 100, "Description : l'usager attendait."), box(50, 112, "Il a rappelé."),
             box(50, 150, "Sophie Martin"), box(50, 300, "Agent déclarant", width=80),
             box(250, 300, "Sophie Martin")]
    _, text = read_page(boxes, [])
    assert text.split("\n") == ["Description : l'usager attendait.", "Il a rappelé.", "",
                                "Sophie Martin", "", "Agent déclarant   Sophie Martin"]


FIELDS = """Service / mairie déclarant : Mairie du 12e
Date de l'appel : 12/03/2026
Type de dysfonctionnement : Autre
Description : L'usager a été transféré deux fois,
puis rappelé par nos soins.
"""


@pytest.mark.parametrize("closing", [
    "Fait à Paris, le 13/03/2026\nSophie Martin\nChargée d'accueil\nMairie du 12e",
    "Fait à Paris le 13 mars 2026",
    "Paris, le 13/03/2026.",
    "Le 13/03/2026\nSignature :\nSophie Martin",
    "Signature de l'agent :\nVisa du responsable :",
    "Visa du responsable",
    "Cordialement,\nSophie Martin\nMairie du 12e",
    "Page 1/2",
    "1 / 2",
])
def test_a_long_description_stops_before_the_closing(closing: str) -> None:
    pairs = {p.field: p.value for p in extract_pairs(FIELDS + closing + "\n")}
    expected = "L'usager a été transféré deux fois, puis rappelé par nos soins."
    assert clean_spaces(pairs["description"]) == expected
    assert pairs["service"] == "Mairie du 12e"


def test_a_label_in_the_signature_block_starts_no_field() -> None:
    pairs = extract_pairs(FIELDS + "Cordialement,\nSophie Martin\nService\nMairie du 12e\n")
    assert [p.field for p in pairs].count("service") == 1


def test_a_fiche_after_a_greeting_is_still_read() -> None:
    text = "Merci de traiter la fiche suivante.\n\nDescription\nTransfert vers le 15e.\n"
    values = {p.field: p.value for p in extract_pairs(text)}
    assert values["description"] == "Transfert vers le 15e."


@pytest.mark.parametrize("line", [
    "le 12 mars l'usager a rappelé", "12/03", "signature de son dossier", "Visage connu",
    "Le téléconseiller a répondu", "Page d'accueil du site",
])
def test_description_lines_that_are_not_closings(line: str) -> None:
    assert not is_closing(line)


def _png(width: int, height: int, mode: str = "L") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), 255).save(out, "PNG")
    return out.getvalue()


def test_small_images_are_neither_read_nor_answered(ctx: ParseContext) -> None:
    # A logo or a signature image beside a fiche typed in the body.
    body = FIELDS.replace("Autre", "Autre\nAgent déclarant : Sophie Martin")
    result = classify(mail_with("logo.png", _png(240, 90), body), ctx)
    assert isinstance(result, FicheResult)
    assert result.warnings == [] and result.fiches[0].source == "body"
    alone = classify(mail_with("signature.png", _png(420, 160)), ctx)
    assert isinstance(alone, InvalidResult)
    assert [e.message for e in alone.errors] == [NO_FICHE]


def test_an_image_too_large_is_refused_before_it_is_decoded(ctx: ParseContext) -> None:
    bomb = _png(10_000, 8_000, "1")  # 80 megapixels, a few kilobytes once compressed
    start = time.perf_counter()
    result = classify(mail_with("photo.png", bomb), ctx)
    assert time.perf_counter() - start < 5
    assert isinstance(result, InvalidResult)
    assert "« photo.png »" in result.errors[0].message
    assert "trop grande" in result.errors[0].message
