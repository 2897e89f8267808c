"""Fiches typed as text (message body, HTML paragraphs, Word and Writer paragraphs), read by
`classify` from a real email: descriptions over several paragraphs and what ends them, rows of
check boxes whose spacing says which choice a mark belongs to, the separators, numberings and
orders agents use, and rubriques whose label is not known ending the one above.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from email.message import EmailMessage
from html import escape

import docx
import pytest
from helpers import shipped_parse_context
from odf import text as odf_text
from odf.opendocument import OpenDocumentText

from parsers import classify
from parsers.context import ParseContext
from parsers.model import FicheResult, InvalidResult

CTX: ParseContext = shipped_parse_context()

PARAGRAPHS = (
    "L'usager a été transféré vers notre accueil alors que sa demande relève de l'état civil.",
    "Le téléconseiller lui avait dit que nous pouvions traiter sa demande sans rendez-vous.",
    "C'est la troisième fois ce mois-ci que nous recevons un appel de ce genre.",
)
DESCRIPTION = " ".join(PARAGRAPHS)

#: The rubriques of a fiche, printed labels, and what the fiche holds once read.
RUBRIQUES: list[tuple[str, str]] = [
    ("Service / mairie déclarant", "Mairie du 12e arrondissement"),
    ("Agent déclarant", "Sophie Martin"),
    ("Date de l'appel", "11/03/2026"),
    ("Heure de l'appel", "14h30"),
    ("Type de dysfonctionnement", "Information erronée"),
    ("Nom de l'agent 39 75", "Karim B."),
    ("Objet de la demande de l'usager", "Inscription sur les listes électorales"),
    ("Information erronée communiquée", "Le bureau serait ouvert le samedi"),
]
READ = {
    "service": "Mairie du 12e arrondissement", "service_id": "mairie-12",
    "reporter_name": "Sophie Martin", "call_date": "2026-03-11", "call_time": "14:30",
    "category": "wrong_information", "agent_3975": "Karim B.",
    "caller_request": "Inscription sur les listes électorales",
    "wrong_information": "Le bureau serait ouvert le samedi",
}


# --- the presentations: each takes the fiche's lines, blank lines between paragraphs kept ---


def _mail(body: str, html: str | None = None, files: list[tuple[str, bytes]] = ()) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Sophie Martin <sophie.martin@paris.fr>"
    msg["To"] = "signalements-3975@paris.fr"
    msg["Subject"] = "Fiche de signalement 39 75"
    msg["Date"] = "Thu, 12 Mar 2026 16:05:00 +0100"
    msg.set_content(body)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    for name, data in files:
        msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return msg.as_bytes()


def as_body(lines: list[str]) -> bytes:
    return _mail("Bonjour,\n\nVoici la fiche.\n\n" + "\n".join(lines) + "\n")


def as_html(lines: list[str]) -> bytes:
    """One <p> per paragraph, <br> between its lines, as a mail client writes it."""
    paragraphs, current = [], []
    for line in [*lines, ""]:
        if line:
            current.append(escape(line).replace("  ", "&nbsp; "))
        elif current:
            paragraphs.append("<p>" + "<br>".join(current) + "</p>")
            current = []
    page = "<html><body><p>Bonjour,</p>" + "".join(paragraphs) + "</body></html>"
    return _mail("Ce message est au format HTML.", html=page)


def as_docx(lines: list[str]) -> bytes:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return _mail("Bonjour,\n\nCi-joint la fiche.\n", files=[("fiche.docx", out.getvalue())])


def as_odt(lines: list[str]) -> bytes:
    document = OpenDocumentText()
    for line in lines:
        document.text.addElement(odf_text.P(text=line))
    out = io.BytesIO()
    document.save(out)
    return _mail("Bonjour,\n\nCi-joint la fiche.\n", files=[("fiche.odt", out.getvalue())])


PRESENTATIONS: dict[str, Callable[[list[str]], bytes]] = {
    "body": as_body, "html": as_html, "docx": as_docx, "odt": as_odt,
}
#: Where spaces typed by the agent survive (HTML collapses them, as a browser shows them).
SPACED = ("body", "docx", "odt")


def read(raw: bytes) -> dict[str, object]:
    result = classify(raw, CTX)
    assert isinstance(result, FicheResult), result
    return result.fiches[0].model_dump(mode="json")


def rubrique_lines(sep: str = " : ", rubriques: list[tuple[str, str]] = RUBRIQUES) -> list[str]:
    return [f"{label}{sep}{value}" for label, value in rubriques]


def assert_read(fiche: dict[str, object], **also: object) -> None:
    expected = READ | also
    assert {k: fiche[k] for k in expected} == expected


# --- descriptions in several paragraphs -----------------------------------------------------

#: What follows the description in real mail: each must end it, none may join it.
AFTER_DESCRIPTION = {
    "closing": ["", "Cordialement,", "", "Sophie Martin", "Agent d'accueil"],
    "closing-no-blank": ["Bien cordialement,", "Sophie Martin"],
    "made-at": ["", "Fait à Paris, le 12/03/2026", "", "Sophie Martin"],
    "signature-without-closing": [
        "", "Sophie Martin", "Chargée d'accueil - Mairie du 12e arrondissement",
        "130, avenue Daumesnil 75012 Paris",
    ],
    "signature-with-phone": ["", "S. MARTIN", "Tél. 01 44 68 12 12"],
    "request-to-reader": ["", "Merci de bien vouloir valider cette fiche.", "", "Sophie"],
    "disclaimer": [
        "", "Ce message et ses pièces jointes sont confidentiels et réservés à leurs "
        "destinataires.",
    ],
    "phone-signature": ["", "Envoyé de mon iPhone"],
    "thanks-in-advance": ["", "Je vous remercie par avance de votre retour."],
    "rule-then-quote": ["", "________________________________", "De : Accueil 12e"],
    "next-label": ["", "Suite donnée / commentaire : Usager rappelé le jour même"],
    "end": [],
}


@pytest.mark.parametrize("after", sorted(AFTER_DESCRIPTION))
@pytest.mark.parametrize("presentation", sorted(PRESENTATIONS))
def test_a_description_runs_over_its_paragraphs_until_what_ends_it(
    presentation: str, after: str
) -> None:
    first, *others = PARAGRAPHS
    lines = [*rubrique_lines(), f"Description : {first}"]
    for paragraph in others:
        lines += ["", paragraph]
    fiche = read(PRESENTATIONS[presentation]([*lines, *AFTER_DESCRIPTION[after]]))
    assert fiche["description"] == DESCRIPTION
    assert_read(fiche)
    if after == "next-label":
        assert fiche["follow_up"] == "Usager rappelé le jour même"


@pytest.mark.parametrize("presentation", sorted(PRESENTATIONS))
def test_a_description_under_its_label_keeps_its_paragraphs(presentation: str) -> None:
    follow_up = "Usager rappelé le jour même"
    lines = [*rubrique_lines(), "Description :", "", PARAGRAPHS[0], "", *PARAGRAPHS[1:],
             "", "Suite donnée / commentaire", follow_up]
    fiche = read(PRESENTATIONS[presentation](lines))
    assert (fiche["description"], fiche["follow_up"]) == (DESCRIPTION, follow_up)


def test_other_free_text_rubriques_keep_their_paragraphs_too() -> None:
    lines = [*rubrique_lines(rubriques=RUBRIQUES[:6]),
             "Objet de la demande de l'usager : Inscription sur les listes électorales.", "",
             "Elle voulait aussi connaître les horaires du bureau des élections.",
             "Information erronée communiquée : Le bureau serait ouvert le samedi",
             f"Description : {DESCRIPTION}"]
    fiche = read(as_body(lines))
    assert fiche["caller_request"] == (
        "Inscription sur les listes électorales. Elle voulait aussi connaître les horaires du "
        "bureau des élections.")
    assert fiche["description"] == DESCRIPTION


# --- check boxes on one line: the spacing is the agent's layout -----------------------------

#: A row of boxes as agents type it and the choice it ticks (each only readable by spacing).
SPACED_ROWS = {
    "Erreur de transfert d'appel X   Information erronée   Autre": "transfer_error",
    "Erreur de transfert d'appel   Information erronée X   Autre": "wrong_information",
    "Erreur de transfert d'appel   X Information erronée   Autre": "wrong_information",
    "X Erreur de transfert d'appel   Information erronée   Autre": "transfer_error",
    "Erreur de transfert d'appel\tInformation erronée X\tAutre": "wrong_information",
}


@pytest.mark.parametrize(("row", "category"), sorted(SPACED_ROWS.items()))
@pytest.mark.parametrize("presentation", SPACED)
@pytest.mark.parametrize("sep", [" : ", "\n"])
def test_a_mark_belongs_to_the_choice_it_stands_next_to(
    presentation: str, row: str, category: str, sep: str
) -> None:
    rubriques = [r for r in RUBRIQUES if r[0] != "Type de dysfonctionnement"]
    boxes = f"Type de dysfonctionnement{sep}{row}".split("\n")
    lines = [*rubrique_lines(rubriques=rubriques), *boxes, f"Description : {DESCRIPTION}"]
    fiche = read(PRESENTATIONS[presentation](lines))
    assert fiche["category"] == category
    assert fiche["description"] == DESCRIPTION


@pytest.mark.parametrize("presentation", SPACED)
@pytest.mark.parametrize(
    ("row", "category"),
    [
        # No separator after the label: the row starts at its first box.
        ("Type de dysfonctionnement [ ] Erreur de transfert d'appel   [X] Information erronée"
         "   [ ] Autre", "wrong_information"),
        ("Type de dysfonctionnement ☐ Erreur de transfert d'appel ☐ Information erronée ☒ Autre",
         "other"),
        ("Type de dysfonctionnement Erreur de transfert d'appel X   Information erronée   Autre",
         "transfer_error"),
        ("Nature du problème  ☐ Erreur de transfert   ☒ Information erronée   ☐ Autre",
         "wrong_information"),
        # The row on the line under its label: not the first choice's box line.
        ("Type de dysfonctionnement\n☐ Erreur de transfert d'appel   ☑ Information erronée   "
         "☐ Autre", "wrong_information"),
        ("Type de dysfonctionnement -  [ ] Erreur de transfert   [ ] Information erronée   [X] "
         "Autre", "other"),
    ],
)
def test_a_row_of_boxes_is_read_whole_after_its_label(
    presentation: str, row: str, category: str
) -> None:
    rubriques = [r for r in RUBRIQUES if r[0] != "Type de dysfonctionnement"]
    lines = [*rubrique_lines(rubriques=rubriques), *row.split("\n"),
             f"Description : {DESCRIPTION}"]
    assert read(PRESENTATIONS[presentation](lines))["category"] == category


@pytest.mark.parametrize("row", sorted(r for r in SPACED_ROWS if not r.startswith("X ")))
def test_where_html_collapses_the_spacing_the_agent_is_asked(row: str) -> None:
    """A browser shows "X   Information" as "X Information": nothing tells the choice."""
    single = " ".join(row.replace("\t", " ").split())
    rubriques = [r for r in RUBRIQUES if r[0] != "Type de dysfonctionnement"]
    lines = [*rubrique_lines(rubriques=rubriques), f"Type de dysfonctionnement : {single}",
             f"Description : {DESCRIPTION}"]
    result = classify(_mail("Fiche en HTML.", html="<p>" + "<br>".join(map(escape, lines))
                            + "</p>"), CTX)
    assert isinstance(result, InvalidResult)
    (error,) = [e for e in result.errors if e.field == "category"]
    assert "la croix peut désigner" in error.message


def test_non_breaking_spaces_in_html_keep_the_gap_a_browser_shows() -> None:
    rubriques = [r for r in RUBRIQUES if r[0] != "Type de dysfonctionnement"]
    lines = [*map(escape, rubrique_lines(rubriques=rubriques)),
             "Type de dysfonctionnement : Erreur de transfert d'appel X&nbsp;&nbsp; Information "
             "erronée&nbsp;&nbsp; Autre", escape(f"Description : {DESCRIPTION}")]
    fiche = read(_mail("Fiche en HTML.", html="<p>" + "<br>".join(lines) + "</p>"))
    assert fiche["category"] == "transfer_error"


@pytest.mark.parametrize("presentation", SPACED)
@pytest.mark.parametrize("ticked", ["transfer_error", "wrong_information", "other"])
@pytest.mark.parametrize("gap", [" ", "  ", "   ", "\t"])
@pytest.mark.parametrize("mark_after", [True, False])
def test_a_row_of_boxes_is_read_as_ticked_or_asked_never_as_another_choice(
    presentation: str, ticked: str, gap: str, mark_after: bool
) -> None:
    names = {"transfer_error": "Erreur de transfert d'appel",
             "wrong_information": "Information erronée", "other": "Autre"}
    cells = []
    for value, name in names.items():
        mark = "X" if value == ticked else ""
        cells.append((f"{name} {mark}" if mark_after else f"{mark} {name}").strip())
    rubriques = [r for r in RUBRIQUES if r[0] != "Type de dysfonctionnement"]
    lines = [*rubrique_lines(rubriques=rubriques),
             f"Type de dysfonctionnement : {gap.join(cells)}", f"Description : {DESCRIPTION}"]
    result = classify(PRESENTATIONS[presentation](lines), CTX)
    if isinstance(result, FicheResult):
        assert result.fiches[0].category == ticked
    else:
        assert isinstance(result, InvalidResult)
        assert [e.field for e in result.errors] == ["category"]
        if gap != " ":
            pytest.fail(f"a gap of {gap!r} tells the choice: {result.errors}")


def test_choices_one_a_line_with_the_first_beside_the_label() -> None:
    """"Type : Erreur de transfert d'appel" / "Information erronée X" / "Autre": a choice
    written alone is one left unticked, as in the lines below it."""
    rubriques = [r for r in RUBRIQUES if r[0] != "Type de dysfonctionnement"]
    for lines in (
        ["Type de dysfonctionnement : Erreur de transfert d'appel", "Information erronée X",
         "Autre"],
        ["Type de dysfonctionnement\tErreur de transfert d'appel", "Information erronée",
         "Autre X"],
    ):
        fiche = read(as_docx([*rubrique_lines(rubriques=rubriques), *lines,
                              f"Description : {DESCRIPTION}"]))
        assert fiche["category"] == ("other" if lines[2].endswith("X") else "wrong_information")


@pytest.mark.parametrize("presentation", sorted(PRESENTATIONS))
@pytest.mark.parametrize(("written", "category"),
                         [("Autres", "other"), ("Information erronée", "wrong_information"),
                          ("ERREUR DE TRANSFERT D'APPEL", "transfer_error")])
def test_a_choice_named_under_the_label_is_the_category(
    presentation: str, written: str, category: str
) -> None:
    lines = []
    for label, value in RUBRIQUES:
        lines += [label, written if label == "Type de dysfonctionnement" else value, ""]
    lines += ["Description", DESCRIPTION]
    assert read(PRESENTATIONS[presentation](lines))["category"] == category


# --- separators, numbering, order ---------------------------------------------------------

SEPARATORS = [" : ", ": ", " - ", " -  ", " – ", "\t", "  ", "   ", " ", "\n"]


@pytest.mark.parametrize("sep", SEPARATORS)
@pytest.mark.parametrize("presentation", sorted(PRESENTATIONS))
def test_every_separator_between_label_and_value(presentation: str, sep: str) -> None:
    if presentation == "html" and sep in ("  ", "   ", "\t"):
        sep = " "  # a browser shows one space: the "Label value" reading
    lines = [*rubrique_lines(sep), f"Description{sep}{DESCRIPTION}"]
    lines = [part for line in lines for part in [*line.split("\n"), *([""] * (sep == "\n"))]]
    fiche = read(PRESENTATIONS[presentation](lines))
    assert_read(fiche, description=DESCRIPTION)


@pytest.mark.parametrize("numbering", ["1)", "1.", "a)", "•", "–", "-", "*"])
@pytest.mark.parametrize("sep", [" : ", " - ", "\t", "  "])
@pytest.mark.parametrize("presentation", SPACED)
def test_numbered_and_bulleted_rubriques(presentation: str, sep: str, numbering: str) -> None:
    def number(i: int) -> str:
        if numbering in ("1)", "1."):
            return f"{i + 1}{numbering[1]} "
        if numbering == "a)":
            return f"{chr(ord('a') + i)}) "
        return f"{numbering} "

    rubriques = [*RUBRIQUES, ("Description", DESCRIPTION)]
    lines = [f"{number(i)}{label}{sep}{value}" for i, (label, value) in enumerate(rubriques)]
    fiche = read(PRESENTATIONS[presentation](lines))
    assert_read(fiche, description=DESCRIPTION)


@pytest.mark.parametrize("presentation", sorted(PRESENTATIONS))
def test_rubriques_in_another_order(presentation: str) -> None:
    rubriques = [("Description", DESCRIPTION), *reversed(RUBRIQUES)]
    fiche = read(PRESENTATIONS[presentation](rubrique_lines(" - ", rubriques)))
    assert_read(fiche, description=DESCRIPTION)


@pytest.mark.parametrize("presentation", sorted(PRESENTATIONS))
@pytest.mark.parametrize(
    ("label", "written", "date", "time"),
    [
        ("Date de l'appel", "le 11/03/2026 vers 14h30", "2026-03-11", "14:30"),
        ("Date et heure de l'appel", "le 11/03/2026 à 14h30", "2026-03-11", "14:30"),
        ("Date et heure de l'appel", "mercredi 11 mars 2026, 9 h 05", "2026-03-11", "09:05"),
        ("Date de l'appel", "hier vers 16h", "2026-03-11", "16:00"),
    ],
)
def test_a_date_written_with_its_time_gives_both(
    presentation: str, label: str, written: str, date: str, time: str
) -> None:
    rubriques = [(label, written) if lab == "Date de l'appel" else (lab, value)
                 for lab, value in RUBRIQUES if lab != "Heure de l'appel"]
    for sep in (" : ", "\n"):
        lines = [part for line in rubrique_lines(sep, rubriques) for part in line.split("\n")]
        fiche = read(PRESENTATIONS[presentation]([*lines, f"Description : {DESCRIPTION}"]))
        assert (fiche["call_date"], fiche["call_time"]) == (date, time), sep


# --- a rubrique whose label is not known ends the one above it ------------------------------


@pytest.mark.parametrize("presentation", SPACED)
@pytest.mark.parametrize("style", ["numbered", "bulleted", "headed", "tab"])
def test_an_unknown_rubrique_never_joins_the_value_above(presentation: str, style: str) -> None:
    unknown = ("Référence du dossier", "DOS-2026-0114")
    rubriques = [*RUBRIQUES[:6], unknown, *RUBRIQUES[6:], ("Description", DESCRIPTION)]
    sep = "\t" if style == "tab" else " : "
    lines = []
    for i, (label, value) in enumerate(rubriques):
        prefix = {"numbered": f"{i + 1}) ", "bulleted": "• "}.get(style, "")
        lines.append(f"{prefix}{label}{sep}{value}")
    fiche = read(PRESENTATIONS[presentation](lines))
    assert_read(fiche, description=DESCRIPTION)


@pytest.mark.parametrize("presentation", sorted(PRESENTATIONS))
def test_an_empty_rubrique_takes_no_unknown_rubrique_after_a_blank_line(presentation: str) -> None:
    lines = [*rubrique_lines(rubriques=RUBRIQUES[:7]), "", "Information erronée communiquée :",
             "", "Référence du dossier : DOS-2026-0114", "", f"Description : {DESCRIPTION}"]
    fiche = read(PRESENTATIONS[presentation](lines))
    assert (fiche["wrong_information"], fiche["description"]) == (None, DESCRIPTION)


@pytest.mark.parametrize("presentation", sorted(PRESENTATIONS))
def test_values_under_their_labels_that_read_like_labels(presentation: str) -> None:
    """"MAIRIE DU 20EME ARRONDISSEMENT" under "Service / mairie déclarant" is its value, a
    date alone under "Date de l'appel" is no closing date, and "Usager rappelé par
    téléphone" under "Suite donnée" is no phone number."""
    rubriques = [("Service / mairie déclarant", "MAIRIE DU 20EME ARRONDISSEMENT"),
                 ("Date de l'appel", "le 11/03/2026"),
                 *[r for r in RUBRIQUES if r[0] not in ("Service / mairie déclarant",
                                                       "Date de l'appel")],
                 ("Description", DESCRIPTION),
                 ("Suite donnée / commentaire", "Usager rappelé par téléphone")]
    lines = [line for label, value in rubriques for line in (label, value, "")]
    fiche = read(PRESENTATIONS[presentation](lines))
    assert (fiche["service"], fiche["service_id"]) == ("MAIRIE DU 20EME ARRONDISSEMENT",
                                                       "mairie-20")
    assert (fiche["call_date"], fiche["follow_up"]) == ("2026-03-11",
                                                        "Usager rappelé par téléphone")
    assert fiche["description"] == DESCRIPTION
