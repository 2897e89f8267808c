"""The "Type de dysfonctionnement" as check boxes: every mark kind, both orders, every separator,
one box a line, and the questions asked when the layout allows two readings."""

from __future__ import annotations

import io
from email.message import EmailMessage

import docx
import pytest
from helpers import fiche_email, shipped_parse_context
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.category import read_category, split_box_line
from parsers.classify import classify
from parsers.fields import collect
from parsers.form import default_form
from parsers.pairs import Pair

FORM = default_form()
CATEGORIES = [c.value for c in FORM.categories]
#: How agents write each choice: the printed label, the short box label, in capitals.
WRITTEN = {
    "transfer_error": ["Erreur de transfert d'appel", "Erreur de transfert",
                       "ERREUR DE TRANSFERT D'APPEL"],
    "wrong_information": ["Information erronée", "Information erronee", "INFORMATION ERRONÉE"],
    "other": ["Autre", "autre", "AUTRE"],
}
TICKS = ["x", "X", "✓", "✔", "☒", "☑", "■", "●", "◉", "⊠", "[x]", "(x)", "[ X ]", "[X]", "×", "✅",
         "☑️", "\uf0fe"]  # the last: Wingdings' ticked box, as a PDF export of Word gives it
EMPTIES = ["☐", "□", "▢", "[ ]", "( )", "○", "◯", "❑", "[]", "\uf0a8"]
SEPARATORS = [" ", "  ", "   ", "\t", " / ", "/", "\n", " | ", " ; ", "\n\n"]
ORDERS = ["{mark} {label}", "{label} {mark}", "{label} : {mark}", "{mark}{label}"]


def boxes(ticked: int, tick: str, empty: str, order: str, sep: str, labels: list[str]) -> str:
    """A row of the three choices, the `ticked`-th marked with `tick`, the others with `empty`
    (no box at all when `empty` is "")."""
    if tick.isalpha():
        order = order.replace("{mark}{label}", "{mark} {label}")  # "xAutre" is a word, no mark
    parts = []
    for i, label in enumerate(labels):
        mark = tick if i == ticked else empty
        parts.append(order.format(mark=mark, label=label).strip(" :") if mark else label)
    return sep.join(parts)


def labels_for(style: int) -> list[str]:
    return [WRITTEN[c][style] for c in CATEGORIES]


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("sep", SEPARATORS)
@pytest.mark.parametrize("tick", TICKS)
def test_a_ticked_box_among_drawn_boxes_is_its_choice(order: str, sep: str, tick: str) -> None:
    for ticked, category in enumerate(CATEGORIES):
        for empty in ("☐", "[ ]", "○"):
            text = boxes(ticked, tick, empty, order, sep, labels_for(0))
            reading = read_category(text)
            assert (reading.category, reading.problem) == (category, None), text


@pytest.mark.parametrize("empty", EMPTIES)
@pytest.mark.parametrize("order", ORDERS)
def test_every_empty_box_kind(empty: str, order: str) -> None:
    for ticked, category in enumerate(CATEGORIES):
        text = boxes(ticked, "☒", empty, order, " ", labels_for(1))
        assert read_category(text).category == category, text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Among boxes written before their choices, the X belongs to the choice it precedes.
        ("☐ Erreur de transfert   X Information erronée   ☐ Autre", "wrong_information"),
        ("☐ Erreur de transfert X Information erronée", "wrong_information"),
        ("Erreur de transfert d'appel [ ] Information erronée [X] Autre [ ]", "wrong_information"),
        ("Erreur de transfert [ ] / Information erronée [ ] / Autre [X]", "other"),
        # A choice that has its own empty box cannot also own the X beside it.
        ("Erreur de transfert ☐ X Information erronée", "wrong_information"),
        ("X Erreur de transfert d'appel Information erronée Autre", "transfer_error"),
        ("Erreur de transfert d'appel Information erronée Autre X", "other"),
        ("Erreur de transfert d'appel X\nInformation erronée\nAutre", "transfer_error"),
        ("Erreur de transfert d'appel\nX Information erronée\nAutre", "wrong_information"),
        ("Autre\nX", "other"),
        ("Erreur de transfert d'appel : non  Information erronée : oui  Autre : non",
         "wrong_information"),
        ("Erreur de transfert d'appel oui Information erronée non Autre non", "transfer_error"),
        ("☒ Autre : appel coupé lors du transfert", "other"),
        ("Autre ☒ : appel transféré puis coupé", "other"),
        # Plain words keep working, with the synonyms of form.yaml.
        ("Erreur de transfert", "transfer_error"),
        ("mauvais transfert", "transfer_error"),
        ("Mal orientée", "transfer_error"),
        ("infos erronées", "wrong_information"),
        ("Autre (non listé)", "other"),
        ("Autre : appel coupé lors du transfert", "other"),
    ],
)
def test_readings(text: str, expected: str) -> None:
    reading = read_category(text)
    assert (reading.category, reading.problem) == (expected, None)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # A lone mark exactly between two choices, nothing to tell the layout.
        ("Erreur de transfert X Information erronée Autre",
         ["la croix peut désigner", "« Erreur de transfert d'appel » ou « Information erronée »"]),
        ("Erreur de transfert d'appel Information erronée X Autre",
         ["la croix peut désigner", "« Information erronée » ou « Autre »"]),
        ("Erreur de transfert X Information erronée",
         ["« Erreur de transfert d'appel » ou « Information erronée »"]),
        ("Erreur de transfert d'appel X Information erronée ☐ Autre",
         ["« Erreur de transfert d'appel » ou « Information erronée »"]),
        # Two or three boxes ticked.
        ("[X] Erreur de transfert d'appel [X] Information erronée [ ] Autre",
         ["deux cases semblent cochées",
          "(« Erreur de transfert d'appel » et « Information erronée »)", "une seule"]),
        ("☒ Erreur de transfert ☐ Information erronée ☒ Autre",
         ["deux cases", "(« Erreur de transfert d'appel » et « Autre »)"]),
        ("Erreur de transfert X / Information erronée X / Autre X",
         ["trois cases semblent cochées"]),
        # None ticked, or the blank list copied as it is.
        ("☐ Erreur de transfert d'appel ☐ Information erronée ☐ Autre",
         ["aucune case n'est cochée"]),
        ("Erreur de transfert d'appel / Information erronée / Autre", ["sans qu'aucun soit coché"]),
        ("Information erronée ou Autre", ["« Information erronée » et « Autre »"]),
        # A mark that no choice stands next to.
        ("Autre, , X, , Information erronée", ["ne se rattachent clairement à aucun choix"]),
        ("je ne sais pas", ["illisible", "« je ne sais pas »"]),
    ],
)
def test_questions(text: str, words: list[str]) -> None:
    reading = read_category(text)
    assert reading.category is None and reading.problem is not None
    assert reading.problem.startswith("Type de dysfonctionnement")
    for word in words:
        assert word in reading.problem, reading.problem


marks = st.sampled_from(TICKS)
empties = st.sampled_from([*EMPTIES, ""])


@given(st.integers(0, 2), marks, empties, st.sampled_from(ORDERS), st.sampled_from(SEPARATORS),
       st.integers(0, 2))
def test_a_ticked_choice_is_read_as_itself_or_asked_never_another(
    ticked: int, tick: str, empty: str, order: str, sep: str, style: int
) -> None:
    text = boxes(ticked, tick, empty, order, sep, labels_for(style))
    reading = read_category(text)
    assert reading.category in (CATEGORIES[ticked], None), text
    assert (reading.category is None) == (reading.problem is not None), text
    if empty or "\n" in sep or ticked == (0 if order.startswith("{mark}") else 2):
        # Boxes drawn, one choice a line, or the mark at the end it can only belong to.
        assert reading.category == CATEGORIES[ticked], text


@given(st.permutations(CATEGORIES), st.integers(0, 2), marks, empties, st.sampled_from(ORDERS),
       st.sampled_from(SEPARATORS))
def test_any_order_of_the_choices(
    order_of: list[str], ticked: int, tick: str, empty: str, order: str, sep: str
) -> None:
    labels = [WRITTEN[c][0] for c in order_of]
    reading = read_category(boxes(ticked, tick, empty, order, sep, labels))
    assert reading.category in (order_of[ticked], None)


# --- one box a line, through the whole parser -------------------------------------------------

CTX = shipped_parse_context()
HEAD = ("Service / mairie déclarant : Mairie du 12e\nAgent déclarant : Sophie Martin\n"
        "Date de l'appel : 12/03/2026\n")
TAIL = "\nDescription : Renvoyé vers le mauvais service.\n"


def parse_body(block: str) -> tuple[str | None, list[str]]:
    result = classify(fiche_email(body=HEAD + block + TAIL), CTX)
    if result.kind == "fiche":
        return result.fiches[0].category, []
    assert result.kind == "invalid"
    return None, [e.message for e in result.errors if e.field == "category"]


LINE_ORDERS = ["{mark} {label}", "{label} {mark}", "{label} : {mark}", "{label}\t{mark}"]


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2), marks, st.sampled_from(["☐", "[ ]", "○", "", "non"]),
       st.sampled_from(LINE_ORDERS), st.booleans())
def test_one_box_a_line_in_a_mail(
    ticked: int, tick: str, empty: str, order: str, titled: bool
) -> None:
    if empty == "non":
        tick, order = "oui", "{label} : {mark}"
    lines = [order.format(mark=tick if i == ticked else empty, label=label).strip(" :\t")
             for i, label in enumerate(labels_for(0))]
    block = ("Type de dysfonctionnement :\n" if titled else "") + "\n".join(lines)
    category, problems = parse_body(block)
    assert (category, problems) == (CATEGORIES[ticked], []), block


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ("Type de dysfonctionnement :\n☐ Erreur de transfert d'appel\nX Information erronée\n"
         "☐ Autre", "wrong_information"),
        ("Type de dysfonctionnement :\nErreur de transfert d'appel ☐\nInformation erronée ☒\n"
         "Autre ☐", "wrong_information"),
        ("Type de dysfonctionnement : Autre\nErreur de transfert d'appel : ☐", "other"),
        ("Type de dysfonctionnement : ☐ Erreur de transfert   X Information erronée   ☐ Autre",
         "wrong_information"),
        ("Type de dysfonctionnement : Erreur de transfert d'appel X\nInformation erronée\nAutre",
         "transfer_error"),
    ],
)
def test_box_layouts_in_a_mail(block: str, expected: str) -> None:
    assert parse_body(block) == (expected, [])


@pytest.mark.parametrize(
    ("block", "words"),
    [
        ("Type de dysfonctionnement :\n☒ Erreur de transfert d'appel\n☒ Information erronée\n"
         "☐ Autre", "(« Erreur de transfert d'appel » et « Information erronée »)"),
        # The rubrique names one choice, a box line ticks another: asked, not picked.
        ("Type de dysfonctionnement : Information erronée\nAutre : X",
         "(« Information erronée » et « Autre »)"),
        ("Type de dysfonctionnement :\n☐ Erreur de transfert d'appel\n☐ Information erronée\n"
         "☐ Autre", "aucune case n'est cochée"),
        ("Type de dysfonctionnement : Erreur de transfert X Information erronée Autre",
         "la croix peut désigner « Erreur de transfert d'appel » ou « Information erronée »"),
    ],
)
def test_box_questions_in_a_mail(block: str, words: str) -> None:
    category, problems = parse_body(block)
    assert category is None and len(problems) == 1 and words in problems[0], problems


def test_box_lines_are_read_with_their_marks() -> None:
    assert split_box_line("☒ Information erronée") == ("Information erronée", "☒", "")
    assert split_box_line("Autre [ ] : précisez") == ("Autre", "[ ]", "précisez")
    assert split_box_line("Description : x") is None
    pairs = [Pair("category", "", "Type"), Pair("cat:transfer_error", "☐ X Information erronée",
             "Erreur de transfert"), Pair("cat:other", "☐", "Autre"), Pair("description", "d", "")]
    assert read_category(collect(pairs, FORM).values["category"]).category == "wrong_information"


def _docx_mail(cell_lines: list[str]) -> bytes:
    document = docx.Document()
    table = document.add_table(rows=0, cols=2)
    rows = [("Service / mairie déclarant", "Mairie du 12e"), ("Date de l'appel", "12/03/2026"),
            ("Type de dysfonctionnement", None), ("Description", "Renvoyé au 11e.")]
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text = label
        if value is None:
            cells[1].text = cell_lines[0]
            for line in cell_lines[1:]:
                cells[1].add_paragraph(line)
        else:
            cells[1].text = value
    out = io.BytesIO()
    document.save(out)
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a.b@paris.fr", "signalements-3975@paris.fr", "Fiche"
    msg["Date"] = "Thu, 12 Mar 2026 16:05:00 +0100"
    msg.set_content("Fiche jointe.")
    msg.add_attachment(out.getvalue(), maintype="application", subtype="vnd.openxmlformats-"
                       "officedocument.wordprocessingml.document", filename="fiche.docx")
    return msg.as_bytes()


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Erreur de transfert d'appel X", "Information erronée", "Autre"], "transfer_error"),
        (["Erreur de transfert d'appel", "X Information erronée", "Autre"], "wrong_information"),
        (["Erreur de transfert d'appel", "Information erronée", "Autre X"], "other"),
    ],
)
def test_a_word_cell_is_read_by_its_paragraphs(lines: list[str], expected: str) -> None:
    result = classify(_docx_mail(lines), CTX)
    assert result.kind == "fiche" and result.fiches[0].category == expected


def test_an_html_cell_is_read_by_its_lines() -> None:
    html = ("<table><tr><td>Service / mairie déclarant</td><td>Mairie du 12e</td></tr>"
            "<tr><td>Date de l'appel</td><td>12/03/2026</td></tr>"
            "<tr><td>Type de dysfonctionnement</td><td>Erreur de transfert d'appel<br>"
            "Information erronée X<br>Autre</td></tr>"
            "<tr><td>Description</td><td>Horaires faux.</td></tr></table>")
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a.b@paris.fr", "signalements-3975@paris.fr", "Fiche"
    msg["Date"] = "Thu, 12 Mar 2026 16:05:00 +0100"
    msg.set_content(html, subtype="html")
    result = classify(msg.as_bytes(), CTX)
    assert result.kind == "fiche" and result.fiches[0].category == "wrong_information"
