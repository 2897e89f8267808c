"""Sheets and forms printed to PDF by LibreOffice without borders (tests/printed_layouts.py,
tests/files/printed/): each row is read as printed, a clipped label apart from its value, a
cell of several lines whole in its own row, a label wrapped over lines kept one label, check
boxes with their choices; and the fiche they hold is read."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import shipped_parse_context
from printed_layouts import PRINTED, Printed, printed_label
from typed_fiches import mail_with

from parsers import classify
from parsers.attachments.layout import Box, read_page
from parsers.attachments.pdf import read_pdf
from parsers.context import ParseContext
from parsers.model import FicheResult

FILES = Path(__file__).parent / "files" / "printed"


@pytest.fixture(scope="module")
def ctx() -> ParseContext:
    return shipped_parse_context()


def _rows(printed: Printed) -> list[list[str]]:
    grids, _ = read_pdf((FILES / f"{printed.name}.pdf").read_bytes())
    return [[" ".join(cell.split()) for cell in row] for grid in grids for row in grid]


@pytest.mark.parametrize("printed", PRINTED, ids=lambda p: p.name)
def test_every_row_is_read_as_printed(printed: Printed) -> None:
    rows = _rows(printed)
    for n, (_, value) in enumerate(printed.rows):
        # Calc drops the first line of a cell three lines tall in a row of one.
        shown = value.split("\n")[-2:] if printed.kind == "calc" else [value]
        assert [printed_label(printed, n), " ".join(shown)] in rows


@pytest.mark.parametrize("printed", PRINTED, ids=lambda p: p.name)
def test_the_fiche_is_read(printed: Printed, ctx: ParseContext) -> None:
    name = f"{printed.name}.pdf"
    result = classify(mail_with(name, (FILES / name).read_bytes()), ctx)
    assert isinstance(result, FicheResult), result
    got = result.fiches[0].model_dump(mode="json")
    assert {k: got[k] for k in printed.expected} == printed.expected


def _box(x0: float, top: float, text: str) -> Box:
    return Box(x0, top, x0 + 5.0 * len(text), top + 10, text)


def test_a_label_clipped_a_hair_from_its_value_is_a_cell_of_its_own() -> None:
    """"Agent decl" ends 2 points before "ROUX Mohamed": the column start the values of the
    other rows share tells where the value begins."""
    boxes = [_box(56, 70, "Mairie"), _box(116, 70, "Mairie du 15e"),
             Box(56, 85, 114, 95, "Agent decl"), _box(116, 85, "ROUX Mohamed"),
             _box(56, 100, "Date"), _box(116, 100, "12/03/2026")]
    grids, _ = read_page(boxes, [])
    assert grids == [[["Mairie", "Mairie du 15e"], ["Agent decl", "ROUX Mohamed"],
                      ["Date", "12/03/2026"]]]


def test_two_words_a_word_gap_apart_stay_one_cell_off_the_column_starts() -> None:
    boxes = [_box(56, 70, "Mairie"), _box(160, 70, "Mairie du 15e"),
             Box(56, 85, 100, 95, "Agent"), Box(102, 85, 150, 95, "déclarant"),
             _box(160, 85, "Léa"), _box(56, 100, "Date"), _box(160, 100, "12/03/2026"),
             _box(56, 115, "Heure"), _box(160, 115, "14h30")]
    grids, _ = read_page(boxes, [])
    assert ["Agent déclarant", "Léa"] in grids[0]


def test_a_line_in_lower_case_continues_the_label_above_only_if_it_did_not_fit() -> None:
    """A label line that reached the column's width ("… (par", "… (une") goes on below,
    even beside a value's second line; under a short label ("Nom de l'agent"), a line in
    lower case with a value beside it is the next rubrique ("objet de la demande")."""
    boxes = [Box(56, 70, 200, 80, "Service / mairie déclarant (par"),
             _box(260, 70, "Mairie du 14e"), Box(56, 82, 120, 92, "exemple 12e)"),
             Box(56, 94, 130, 104, "Nom de l'agent"), _box(260, 94, "Anne"),
             Box(56, 106, 150, 116, "objet de la demande"), _box(260, 106, "Une carte"),
             Box(56, 118, 198, 128, "Type de dysfonctionnement (une"),
             _box(260, 118, "☐ Erreur ☒"), Box(56, 130, 130, 140, "case à cocher)"),
             _box(260, 130, "Information ☐ Autre")]
    grids, _ = read_page(boxes, [])
    assert grids == [[["Service / mairie déclarant (par exemple 12e)", "Mairie du 14e"],
                      ["Nom de l'agent", "Anne"], ["objet de la demande", "Une carte"],
                      ["Type de dysfonctionnement (une case à cocher)",
                       "☐ Erreur ☒ Information ☐ Autre"]]]
