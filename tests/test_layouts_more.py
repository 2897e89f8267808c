"""More layouts read as agents make them: labels above their values with some left blank,
PDFs of spreadsheets printed over two pages or with clipped cells, the blank form's check
boxes in a PDF, and labels reworded (qualifiers, abbreviations) that must still be read."""

from __future__ import annotations

import io
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import docx
import pytest
from helpers import shipped_parse_context
from typed_fiches import mail_with

from parsers import classify
from parsers.attachments.layout import Box, Page, join_pages, read_page
from parsers.context import ParseContext
from parsers.form import default_form
from parsers.model import FicheResult

OFFICE = Path(__file__).parent / "office"
FORM = default_form()


@pytest.fixture(scope="module")
def ctx() -> ParseContext:
    return shipped_parse_context()


def _fiche(raw: bytes, ctx: ParseContext) -> dict[str, Any]:
    result = classify(raw, ctx)
    assert isinstance(result, FicheResult), result
    assert len(result.fiches) == 1
    return result.fiches[0].model_dump(mode="json")


def _docx_mail(rows: list[list[str]]) -> bytes:
    message = EmailMessage()
    message["From"], message["To"] = "Agent <agent.accueil@paris.fr>", "signalements@paris.fr"
    message["Subject"], message["Date"] = "Fiche", "Fri, 13 Mar 2026 09:12:00 +0100"
    message.set_content("Bonjour,\n\nci-joint la fiche.\n")
    message.add_attachment(_docx(rows), maintype="application", subtype="vnd.openxmlformats-"
                           "officedocument.wordprocessingml.document", filename="fiche.docx")
    return message.as_bytes()


def _docx(rows: list[list[str]]) -> bytes:
    document = docx.Document()
    table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=False):
            cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- labels above their values ------------------------------------------------------------

#: Three labels a row above their values, some values blank, rubriques alone on their row
#: (their other cells empty) with the value under them, as Word tables are typed.
LABELS_ABOVE = [
    ["Service / mairie déclarant", "Agent déclarant", "Date de l'appel"],
    ["Mairie du 15e", "Paul Durand", "12/03/2026"],
    ["Heure de l'appel", "", ""],
    ["14h30", "", ""],
    ["Nom de l'agent 39 75", "Objet de la demande de l'usager", "Type d'erreur"],
    ["", "Carte d'identité", "Information erronée"],
    ["Information erronée communiquée", "", ""],
    ["Bureau ouvert le samedi", "", ""],
    ["Description", "", ""],
    ["L'usager a été orienté vers la mauvaise mairie.", "", ""],
    ["Suite donnée / commentaire", "", ""],
    ["Usager réorienté par téléphone", "", ""],
]


def test_labels_above_values_some_left_blank(ctx: ParseContext) -> None:
    fiche = _fiche(_docx_mail(LABELS_ABOVE), ctx)
    assert (fiche["service_id"], fiche["reporter_name"]) == ("mairie-15", "Paul Durand")
    assert (fiche["call_date"], fiche["call_time"]) == ("2026-03-12", "14:30")
    assert fiche["agent_3975"] is None
    assert fiche["caller_request"] == "Carte d'identité"
    assert fiche["category"] == "wrong_information"
    assert fiche["wrong_information"] == "Bureau ouvert le samedi"
    assert fiche["description"] == "L'usager a été orienté vers la mauvaise mairie."
    # A value that ends with "téléphone" is no phone-number line.
    assert fiche["follow_up"] == "Usager réorienté par téléphone"


def test_a_blank_value_beside_its_label_stays_blank(ctx: ParseContext) -> None:
    """In label | value rows, a rubrique left blank does not take the section row under it."""
    rows = [["Service / mairie déclarant", "Mairie du 15e"], ["Agent déclarant", ""],
            ["DEMANDE", ""], ["Date de l'appel", "12/03/2026"],
            ["Type de dysfonctionnement", "Autre"], ["Nom de l'agent 39 75", ""],
            ["DÉTAILS", ""], ["Description", "L'usager a été orienté vers la mauvaise mairie."]]
    fiche = _fiche(_docx_mail(rows), ctx)
    assert fiche["reporter_name"] != "DEMANDE" and fiche["agent_3975"] is None
    assert fiche["description"] == "L'usager a été orienté vers la mauvaise mairie."


# --- PDFs of spreadsheets and of the blank form ----------------------------------------------

EXPECTED = {
    # the blank xlsx form filled in: its values column printed on a second page
    "form-xlsx.pdf": {"service_id": "mairie-17", "reporter_name": "N. Faure",
                      "call_date": "2025-09-06", "category": "wrong_information",
                      "wrong_information": "La mairie délivre les cartes de stationnement "
                                           "résidentiel"},
    # the blank docx form: its check boxes drawn as one text object around their choices
    "form-docx.pdf": {"service_id": "mairie-07", "category": "transfer_error",
                      "expected_service": "Centre d'action sociale du 14e"},
    # labels above their values, a rubrique alone on its last row
    "writer-labels-above.pdf": {"description": "C'est la troisième fois ce mois-ci que nous "
                                               "recevons un appel de ce genre."},
    # a word cut by a hyphen at the end of a cell's line
    "writer-4col.pdf": {"caller_request": "Prise de rendez-vous pour un mariage civil"},
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_office_pdf(name: str, ctx: ParseContext) -> None:
    fiche = _fiche(mail_with(name, (OFFICE / name).read_bytes()), ctx)
    assert {k: fiche[k] for k in EXPECTED[name]} == EXPECTED[name]


def _line(top: float, *cells: tuple[float, str]) -> list[Box]:
    return [Box(x, top, x + 6.0 * len(text), top + 10, text) for x, text in cells]


def test_a_sheet_printed_over_two_pages_is_read_as_one() -> None:
    labels = Page([*_line(40, (56, "Fiche de signalement")),
                   *_line(70, (56, "Date de l'appel")), *_line(85, (56, "Description"))],
                  [], 595)
    values = Page([*_line(70, (56, "12/03/2026")), *_line(85, (56, "Usager mal orienté."))],
                  [], 595)
    sheets = join_pages([labels, values])
    assert len(sheets) == 1
    grids, _ = read_page(sheets[0].boxes, sheets[0].rules)
    assert [["Date de l'appel", "12/03/2026"], ["Description", "Usager mal orienté."]] in grids


def test_a_second_page_of_text_is_not_set_beside_the_first() -> None:
    first = Page([*_line(40, (56, "Description")), *_line(55, (56, "Usager mal orienté."))],
                 [], 595)
    second = Page([*_line(40, (56, "Fait à Paris")), *_line(55, (56, "Nadia"))], [], 595)
    assert len(join_pages([first, second])) == 2


def test_text_clipped_by_its_cell_is_not_merged_into_the_next() -> None:
    """A label clipped at its column's edge runs under the value: two cells, not one."""
    boxes = [Box(56, 70, 123, 80, "Nom et prén"), Box(116, 70, 212, 80, "MOREAU François"),
             Box(56, 85, 100, 95, "Courriel"), Box(116, 85, 250, 95, "f.moreau@paris.fr")]
    grids, _ = read_page(boxes, [])
    assert grids == [[["Nom et prén", "MOREAU François"], ["Courriel", "f.moreau@paris.fr"]]]


# --- labels reworded -------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Info comm.", "wrong_information"),
        ("Erreur comm.", "wrong_information"),
        ("Info erronée comm.", "wrong_information"),
        ("Suite donnée / comm.", "follow_up"),
        ("Hr de l'appel", "call_time"),
        ("HR APPEL", "call_time"),
        ("Heure approximative", "call_time"),
        ("Date exacte", "call_date"),
        ("Nature exacte", "category"),
        ("Suite éventuelle", "follow_up"),
        ("Courriel professionnel", "reporter_email"),
        ("Objet demande usager", "caller_request"),
        ("Mairie / serv. décl.", "service"),
        ("3 Heure de l'appel", "call_time"),
    ],
)
def test_a_reworded_label_means_its_rubrique(label: str, field: str) -> None:
    assert FORM.match_label(label) == field


def test_comm_alone_is_ambiguous_like_commentaire() -> None:
    found = FORM.match("Comm.")
    assert found is not None and found.ambiguous
    assert set(found.fields) == {"follow_up", "description"}


@pytest.mark.parametrize("value", ["13 heures", "14 h 30", "Usager réorienté par téléphone",
                                   "Objet", "Motif", "Info"])
def test_values_and_lone_words_are_no_labels(value: str) -> None:
    assert FORM.match_label(value) is None
