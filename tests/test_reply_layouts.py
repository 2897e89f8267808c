"""Replies from real mail clients: only what the approver just wrote is read, never the quote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import shipped_parse_context

from parsers import classify
from parsers.context import ParseContext
from parsers.html import html_to_text
from parsers.mime import read_mail
from parsers.quotes import new_text
from parsers.reply import read_reply
from parsers.wordings import default_wordings

ROOT = Path(__file__).resolve().parent.parent
EMAILS = ROOT / "tests" / "emails"
REPLIES = [
    p
    for p in sorted(EMAILS.glob("*.expected.json"))
    if json.loads(p.read_text(encoding="utf-8"))["kind"] == "reply"
]
#: Words of our request, of quote headers and of separators: none may reach a comment.
QUOTED = (
    "APPROUVER",
    "REFUSER",
    "Validation requise",
    "a écrit",
    "Message d'origine",
    "Mail original",
    "Objet",
    "Betreff",
    "Envoyé :",
    "<signalements-3975@paris.fr>",
    "________",
    "Répondez",
)


@pytest.fixture(scope="module")
def ctx() -> ParseContext:
    return shipped_parse_context()


def test_there_are_reply_layouts() -> None:
    assert len(REPLIES) >= 25


@pytest.mark.parametrize("case", REPLIES, ids=lambda p: p.name.removesuffix(".expected.json"))
def test_comment_holds_no_quoted_text(case: Path, ctx: ParseContext) -> None:
    raw = case.with_name(case.name.replace(".expected.json", ".eml")).read_bytes()
    got = classify(raw, ctx)
    assert got.kind == "reply"
    comment = (got.comment or "").casefold()
    assert not [w for w in QUOTED if w.casefold() in comment], got.comment


@pytest.mark.parametrize("case", REPLIES, ids=lambda p: p.name.removesuffix(".expected.json"))
def test_html_part_alone_gives_the_same_decision(case: Path) -> None:
    """Clients that send only HTML: the HTML half of each reply must read the same."""
    mail = read_mail(case.with_name(case.name.replace(".expected.json", ".eml")).read_bytes())
    if not mail.html:
        pytest.skip("no HTML part")
    expected = json.loads(case.read_text(encoding="utf-8"))
    html = "\n".join(html_to_text(h, drop_quotes=True) for h in mail.html)
    reading = read_reply(html, default_wordings())
    if "decision" in expected:
        assert reading.decision == expected["decision"], reading
    folded = (reading.comment or "").casefold()
    assert not [w for w in QUOTED if w.casefold() in folded], reading.comment


def test_answer_below_a_quote_is_read() -> None:
    text = (
        "Le 12/03/2026 à 16:06, Signalements 39 75 a écrit :\n"
        "> Répondez APPROUVER ou REFUSER.\n\nRefusé : doublon.\n\n-- \nLuc\n"
    )
    assert new_text(text) == "Refusé : doublon."


def test_quoted_original_under_a_header_block_is_never_an_answer() -> None:
    text = (
        "\n\nDe : Signalements 39 75 <signalements-3975@paris.fr>\n"
        "Envoyé : jeudi 12 mars 2026 16:06\nÀ : Chef\nObjet : [3975-2026-00001] Validation\n"
        "> Répondez APPROUVER ou REFUSER.\nApprouvé\n"
    )
    assert new_text(text) == ""


@pytest.mark.parametrize(
    "separator",
    [
        "-----Message d'origine-----",
        "-------- Message d'origine --------",
        "----- Mail original -----",
        "-----Ursprüngliche Nachricht-----",
        "________________________________",
    ],
)
def test_separators_end_the_answer(separator: str) -> None:
    assert new_text(f"Validé.\n\n{separator}\nDe : X\nRépondez APPROUVER.") == "Validé."


@pytest.mark.parametrize(
    "footer",
    [
        "Envoyé de mon iPhone",
        "Envoyé depuis mon appareil Galaxy",
        "Obtenir Outlook pour iOS<https://aka.ms/o0ukef>",
        "Télécharger Outlook pour Android",
    ],
)
def test_mobile_footers_end_the_answer(footer: str) -> None:
    assert new_text(f"Approuvé\n\n{footer}\n\nAPPROUVER ou REFUSER") == "Approuvé"


# -- layout classes: each quote holds words that decide the other way, and our instructions --

QUOTE_BODY = [
    "Une fiche de signalement attend votre validation (référence 3975-2026-00042).",
    "Refusé.",
    "Validé.",
    "  - APPROUVER pour valider la fiche ;",
    "  - REFUSER suivi du motif pour la refuser.",
]
ADDRESS = "Signalements 39 75 <signalements-3975@paris.fr>"


def _marked(lines: list[str]) -> list[str]:
    return ["> " + line for line in lines]


#: (layout class, lines that start the quote, whether the body is marked with ">")
LAYOUTS: list[tuple[str, list[str], bool]] = [
    ("gmail-fr", [f"Le mar. 3 mars 2026 à 10:12, {ADDRESS} a écrit :", ""], True),
    ("gmail-en", [f"On Tue, Mar 3, 2026 at 10:12 AM {ADDRESS} wrote:", ""], True),
    ("apple-fr", [f"Le 3 mars 2026 à 10:12, {ADDRESS} a écrit :", ""], True),
    ("yahoo-fr", [f"Le mardi 3 mars 2026 à 10:12:05 UTC+1, {ADDRESS} a écrit :"], True),
    ("thunderbird-fr", ["Le 03/03/2026 à 10:12, Signalements 39 75 a écrit :"], True),
    (
        "wrapped-fr",
        [
            "Le mar. 3 mars 2026 à 10:12, Signalements 39 75 <",
            "signalements-3975@paris.fr> a écrit :",
        ],
        True,
    ),
    (
        "wrapped-en",
        [
            "On Tue, Mar 3, 2026 at 10:12 AM Signalements 39 75",
            "<signalements-3975@paris.fr> wrote:",
        ],
        True,
    ),
    (
        "wrapped-blank-lines",
        [
            "Le mar. 3 mars 2026 à 10:12, Signalements 39 75 <",
            "",
            "signalements-3975@paris.fr> a écrit :",
            "",
        ],
        True,
    ),
    ("zimbra-attribution", ["- Le 2026-03-03 10:12, Signalements 39 75 a écrit :"], True),
    ("gmail-numeric", [f"2026-03-03 10:12 GMT+01:00 {ADDRESS}:", ""], True),
    ("address-wrote-fr", [f"{ADDRESS} a écrit :"], True),
    ("address-wrote-en", [f"{ADDRESS} wrote:"], True),
    ("german", [f"Am 03.03.2026 um 10:12 schrieb {ADDRESS}:"], True),
    (
        "outlook-fr",
        [
            f"De : {ADDRESS}",
            "Envoyé : mardi 3 mars 2026 10:12",
            "À : Chef",
            "Objet : [3975-2026-00042] Validation requise",
        ],
        False,
    ),
    (
        "outlook-en",
        [
            f"From: {ADDRESS}",
            "Sent: Tuesday, March 3, 2026 10:12 AM",
            "To: Chef",
            "Subject: [3975-2026-00042] Validation requise",
        ],
        False,
    ),
    (
        "outlook-bold",
        [
            f"*De :* {ADDRESS}",
            "*Envoyé :* mardi 3 mars 2026 10:12",
            "*À :* Chef",
            "*Objet :* Validation requise",
        ],
        False,
    ),
    (
        "outlook-html-blank-lines",
        [
            "________________",
            f"De : {ADDRESS}",
            "",
            "Envoyé : mardi 3 mars 2026 10:12",
            "",
            "À : Chef",
            "",
            "Objet : Validation requise",
            "",
        ],
        False,
    ),
    (
        "outlook-html-blank-lines-no-rule",
        [
            f"De : {ADDRESS}",
            "",
            "Envoyé : mardi 3 mars 2026 10:12",
            "",
            "À : Chef",
            "",
            "Objet : Validation requise",
            "",
        ],
        False,
    ),
    (
        "french-webmail",
        [
            "Message du : 03/03/2026 10:12",
            f"De : {ADDRESS}",
            "A : chef@paris.fr",
            "Copie à : adjoint@paris.fr",
            "Sujet : [3975-2026-00042] Validation requise",
        ],
        False,
    ),
    (
        "zimbra-separator",
        [
            "----- Mail original -----",
            f"De: {ADDRESS}",
            "À: Chef",
            "Envoyé: Mardi 3 Mars 2026 10:12:00",
            "Objet: Validation requise",
        ],
        False,
    ),
    ("outlook-message-d-origine", ["-----Message d'origine-----", f"De : {ADDRESS}"], False),
    (
        "decorated-message-original",
        ["*-------- Message original --------*", f"*De :* {ADDRESS}"],
        False,
    ),
    ("webmail-a-ecrit-separator", ["---- Signalements 39 75 a écrit ----"], False),
    ("reply-message", ["-----Reply Message-----", f"From: {ADDRESS}"], False),
    ("original-message-en", ["-----Original Message-----", f"From: {ADDRESS}"], False),
    (
        "message-transfere",
        ["-------- Message transféré --------", "Sujet : Validation requise"],
        False,
    ),
    ("forwarded-gmail", ["---------- Forwarded message ---------", f"From: {ADDRESS}"], False),
    ("apple-forward-fr", ["Début du message réexpédié :", "", f"De: {ADDRESS}"], False),
    ("apple-forward-en", ["Begin forwarded message:", "", f"From: {ADDRESS}"], False),
    ("underscores", ["________________________________", f"De : {ADDRESS}"], False),
]
ANSWERS = [
    ("Approuvé, le dossier est complet.", "approve"),
    ("Le dossier est complet, approuvé.", "approve"),
    ("Il s'agit d'un doublon : refusé.", "reject"),
    ("Bon pour transmission.", "approve"),
    ("Refused: wrong number.", "reject"),
]


def _reply(answer: str, layout: list[str], marked: bool) -> str:
    body = _marked(QUOTE_BODY) if marked else QUOTE_BODY
    return "\n".join(["Bonjour,", "", answer, "", *layout, *body, ""])


def test_there_are_layout_classes() -> None:
    assert len(LAYOUTS) >= 30


@pytest.mark.parametrize(("name", "layout", "marked"), LAYOUTS, ids=[c[0] for c in LAYOUTS])
@pytest.mark.parametrize(
    ("answer", "expected"), ANSWERS, ids=[a[1] + str(i) for i, a in enumerate(ANSWERS)]
)
def test_each_layout_class_keeps_only_the_answer(
    name: str, layout: list[str], marked: bool, answer: str, expected: str
) -> None:
    reading = read_reply(_reply(answer, layout, marked), default_wordings())
    assert reading.new_text == f"Bonjour,\n\n{answer}", name
    assert reading.decision == expected, reading


@pytest.mark.parametrize(("name", "layout", "marked"), LAYOUTS, ids=[c[0] for c in LAYOUTS])
def test_a_greeting_alone_never_decides_through_the_quote(
    name: str, layout: list[str], marked: bool
) -> None:
    reading = read_reply(_reply("", layout, marked), default_wordings())
    assert reading.new_text == "Bonjour,", name
    assert reading.decision is None


@pytest.mark.parametrize(
    ("name", "layout"),
    [(n, lay) for n, lay, marked in LAYOUTS if marked],
    ids=lambda v: str(v)[:30],
)
def test_bottom_posting_below_each_attribution(name: str, layout: list[str]) -> None:
    text = "\n".join([*layout, *_marked(QUOTE_BODY), "", "Refusé : doublon.", "", "-- ", "Luc"])
    reading = read_reply(text, default_wordings())
    assert reading.new_text == "Refusé : doublon.", name
    assert reading.decision == "reject"


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        (
            "Le dossier est complet, approuvé.\nLe chef de service",
            "Le dossier est complet, approuvé.\nLe chef de service",
        ),
        (
            "Il s'agit d'un doublon : refusé.\nIl faut prévenir l'agent.",
            "Il s'agit d'un doublon : refusé.\nIl faut prévenir l'agent.",
        ),
        ("Le directeur a écrit : il faut refuser.", "Le directeur a écrit : il faut refuser."),
        ("Le 12, l'agent était seul.\nRefusé.", "Le 12, l'agent était seul.\nRefusé."),
        ("On verra, validé.", "On verra, validé."),
    ],
)
def test_sentences_starting_with_le_or_il_are_never_taken_for_an_attribution(
    text: str, answer: str
) -> None:
    assert (
        new_text(text + "\n\nLe 3 mars 2026 à 10:12, X <x@paris.fr> a écrit :\n> Validé") == answer
    )


@pytest.mark.parametrize(
    "line",
    [
        "Envoyé de mon bureau : validé",
        "Envoyé depuis mon poste, je refuse",
        "Sent from my desk: approved",
    ],
)
def test_a_mobile_footer_wording_inside_a_sentence_stays_an_answer(line: str) -> None:
    assert new_text(f"{line}\n\nLe 3 mars 2026, X <x@paris.fr> a écrit :\n> Refusé") == line


@pytest.mark.parametrize(
    "footer",
    [
        "Envoyé depuis Outlook pour Android",
        "Sent from my iPhone",
        "Envoyé de mon smartphone Samsung Galaxy.",
        "Get Outlook for iOS<https://aka.ms/o0ukef>",
        "Envoyé à partir de Courrier pour Windows",
    ],
)
def test_mobile_footers_as_whole_lines_end_the_answer(footer: str) -> None:
    assert (
        new_text(f"Refusé : doublon\n\n{footer}\nAPPROUVER pour valider la fiche")
        == "Refusé : doublon"
    )


# -- our own mail: any line of it is quoted, whatever precedes it --------------------------------


@pytest.fixture(scope="module")
def request_text() -> str:
    from intake.mails.samples import sample_context
    from outbox.render import Renderer

    rendered = Renderer(ROOT / "config" / "templates" / "fr").render(
        "demande-validation", sample_context("demande-validation")
    )
    return rendered.body


@pytest.mark.parametrize(
    "lead_in",
    ["", "Message de Signalements 39 75 du 03/03/2026 :", "Votre message :", "***"],
    ids=["no-marker", "unknown-attribution", "unknown-intro", "stars"],
)
def test_our_request_quoted_without_a_known_marker_is_recognised(
    request_text: str, lead_in: str
) -> None:
    from parsers.own import OwnText

    own = OwnText.of([request_text])
    text = f"Bonjour,\n\nRefusé : doublon.\n\n{lead_in}\n{request_text}"
    reading = read_reply(text, default_wordings(), own)
    assert reading.comment == "Bonjour,\n\nRefusé : doublon." or reading.comment == (
        f"Bonjour,\n\nRefusé : doublon.\n\n{lead_in}"
    ), reading.comment
    assert reading.decision == "reject"
    alone = read_reply(f"Bonjour,\n\n{lead_in}\n{request_text}", default_wordings(), own)
    assert alone.decision is None, alone


def test_our_request_rewrapped_by_the_client_is_still_ours(request_text: str) -> None:
    import textwrap

    from parsers.own import OwnText

    own = OwnText.of([request_text])
    rewrapped = "\n".join(textwrap.wrap(" ".join(request_text.split()), 60))
    reading = read_reply(f"Validé.\n{rewrapped}", default_wordings(), own)
    assert reading.new_text == "Validé."
    assert reading.decision == "approve"


def test_intake_parse_shows_the_new_text_and_the_words_that_decided(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from intake.cli.main import main

    mail = tmp_path / "reponse.eml"
    mail.write_text(
        "From: chef.accueil.m12@paris.fr\nTo: signalements-3975@paris.fr\n"
        "Subject: RE: [3975-2026-00042] Validation requise\n\n"
        "Bonjour,\n\nDésolé mais je ne peux pas la valider : doublon.\n\n"
        "Le 3 mars 2026 à 10:12, Signalements 39 75 <signalements-3975@paris.fr> a écrit :\n"
        "> APPROUVER pour valider la fiche ;\n",
        encoding="utf-8",
    )
    config = ["--config", str(ROOT / "config" / "intake.yaml"), "parse", str(mail)]
    got = json.loads(CliRunner().invoke(main, [*config, "--json"]).output)
    assert got["decision"] == "reject"
    assert got["new_text"] == "Bonjour,\n\nDésolé mais je ne peux pas la valider : doublon."
    assert got["decided_by"] == ["ne peux pas la valider", "doublon"]
    human = CliRunner().invoke(main, config).output
    assert "decision=reject (ne peux pas la valider, doublon)" in human
    assert "| Désolé mais je ne peux pas la valider : doublon." in human
