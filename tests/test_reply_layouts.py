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
    "APPROUVER", "REFUSER", "Validation requise", "a écrit", "Message d'origine", "Mail original",
    "Objet", "Betreff", "Envoyé :", "<signalements-3975@paris.fr>", "________", "Répondez",
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
