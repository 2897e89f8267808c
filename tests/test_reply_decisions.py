"""What an answer decides: approvals only when nothing speaks against them, refusals that win,
absence notices that never decide, and wordings an admin adds without code."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.errors import ParserConfigError
from parsers.reply import read_reply
from parsers.wordings import SHIPPED_WORDINGS, WordingsFile, default_wordings, load_wordings

W = default_wordings()


def decision(text: str) -> str | None:
    return read_reply(text, W).decision


APPROVE = [
    "Approuvé.",
    "APPROUVER",
    "Validé, merci.",
    "Validé de mon côté",
    "Bon pour transmission",
    "Vu, bon pour accord",
    "Vu et validé",
    "OK pour moi",
    "D'accord.",
    "Oui",
    "Avis favorable",
    "Aucune objection",
    "Pas d'objection, vous pouvez transmettre.",
    "Le dossier est complet, approuvé.",
    "Bonjour,\n\nValidé, pas de souci.\n\nCordialement,\nLuc",
    "Validé, n'hésitez pas à me rappeler.",
    "Envoyé de mon bureau : validé",
    "Approved.",
    "OK, go ahead",
    "Validé.\n\nCe message et ses pièces jointes sont confidentiels. Si vous n'êtes pas le "
    "destinataire, ne le diffusez pas.",
]
REJECT = [
    "Refusé : doublon.",
    "REFUSER : (motif)",
    "REFUSER : l'usager a appelé le mauvais numéro",
    "Il s'agit d'un doublon : refusé.",
    "Je refuse, l'usager s'est trompé de numéro.",
    "Désolé mais je ne peux pas la valider",
    "Il ne faut pas l'approuver",
    "Impossible de valider",
    "Pas du tout d'accord",
    "Pas d'accord.",
    "Je ne suis pas d'accord",
    "Je ne suis pas du tout d'accord",
    "En aucun cas je n'approuve",
    "Je ne valide pas, l'usager s'est trompé de numéro.",
    "Je valide pas",
    "Non validé",
    "Non.",
    "Non, c'est un doublon",
    "Avis défavorable",
    "Bonjour, je refuse cette fiche.\nOK pour en discuter",
    "Refusé. Pouvez-vous prévenir l'agent ?",
    "Rejeté : hors périmètre de la mairie.",
    "Rejected: duplicate",
    "I do not approve this one.",
]
UNDECIDED = [
    "Je ne peux pas encore approuver",
    "Validé ?",
    "Validé. Pouvez-vous prévenir l'agent ?",
    "OK si l'usager confirme",
    "Validé sous réserve de l'heure exacte",
    "Validé mais corrigez la date",
    "Approuvé, cependant l'heure est fausse",
    "Peut-être validé, je regarde",
    "Je pense valider demain",
    "Je regarde ça demain.",
    "Je ne refuse pas",
    "Faut-il refuser ?",
    "Je ne suis pas en charge de la validation",
    "Fiche à valider par mon N+1",
    "Merci, bien reçu",
    "Bonjour,",
    "",
    "Validé. Je n'ai rien d'autre.",
    "OK sauf la rubrique description",
    "Not yet, maybe later",
    # our own instructions, quoted without any marker we know
    "Bonjour,\nPour répondre :\n  - APPROUVER pour valider la fiche ;\n"
    "  - REFUSER suivi du motif pour la refuser.",
    "Votre réponse : merci de préciser APPROUVER ou REFUSER",
]
ABSENCE = [
    "Bonjour,\nJe suis absent jusqu'au 20 mars et non joignable. Pour toute urgence, "
    "contactez l'accueil.",
    "Je suis absente du bureau, de retour lundi. En cas d'urgence : 01 43 47 00 00.",
    "Actuellement en congés, je n'aurai pas accès à ma messagerie. Validé.",
    "I am out of the office with no access to email.",
    "I am currently away on annual leave, back on Monday. Approved requests will wait.",
    "Réponse automatique : je suis absent.",
]


@pytest.mark.parametrize("text", APPROVE)
def test_approvals(text: str) -> None:
    reading = read_reply(text, W)
    assert reading.decision == "approve", reading
    assert reading.words, "the words that decided are shown"


@pytest.mark.parametrize("text", REJECT)
def test_refusals(text: str) -> None:
    reading = read_reply(text, W)
    assert reading.decision == "reject", reading
    assert reading.comment, "a refusal keeps its reason"


@pytest.mark.parametrize("text", UNDECIDED)
def test_neither(text: str) -> None:
    reading = read_reply(text, W)
    assert reading.decision is None, reading
    assert not reading.automatic


@pytest.mark.parametrize("text", ABSENCE)
def test_absence_notices_never_decide(text: str) -> None:
    reading = read_reply(text, W)
    assert reading.automatic and reading.decision is None, reading


def test_the_words_behind_a_decision_are_named() -> None:
    assert read_reply("Désolé mais je ne peux pas la valider", W).words == (
        "ne peux pas la valider",
    )
    assert read_reply("Validé mais corrigez la date", W).words == ("mais",)
    assert read_reply("OK ?", W).words == ("?",)


# -- properties ------------------------------------------------------------------------------

APPROVALS = [t for t in APPROVE if "\n" not in t]
#: Negations as people write them, put anywhere in an approval.
NEGATIONS = ["ne", "n'", "pas", "ne pas", "jamais", "aucunement pas", "not", "non", "sans"]
REFUSALS = ["refusé", "je refuse", "rejeté", "pas d'accord", "impossible de valider", "Non."]
DOUBTS = ["?", "si besoin", "peut-être", "mais", "sous réserve", "pas encore", "je pense"]


def _insert(text: str, at: int, extra: str) -> str:
    tokens = text.split()
    at = at % (len(tokens) + 1)
    return " ".join(tokens[:at] + [extra] + tokens[at:])


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(APPROVALS), st.sampled_from(NEGATIONS), st.integers(0, 30))
def test_adding_a_negation_to_an_approval_never_approves(text: str, neg: str, at: int) -> None:
    assert decision(_insert(text, at, neg)) != "approve"


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(APPROVALS),
    st.sampled_from(REFUSALS),
    st.booleans(),
    st.sampled_from(["\n", ". ", "\n\n", " ; "]),
)
def test_a_refusal_anywhere_wins(text: str, refusal: str, before: bool, sep: str) -> None:
    answer = f"{refusal}{sep}{text}" if before else f"{text}{sep}{refusal}"
    assert decision(answer) == "reject"


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(APPROVALS), st.sampled_from(DOUBTS), st.integers(0, 30))
def test_a_doubt_anywhere_keeps_an_approval_from_counting(text: str, doubt: str, at: int) -> None:
    assert decision(_insert(text, at, doubt)) != "approve"


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(APPROVE + REJECT + UNDECIDED), st.sampled_from(ABSENCE))
def test_an_absence_notice_around_any_answer_never_decides(text: str, notice: str) -> None:
    reading = read_reply(f"{notice}\n\n{text}", W)
    assert reading.automatic and reading.decision is None


# -- the wordings file -----------------------------------------------------------------------


def test_an_admin_adds_a_wording_without_code(tmp_path: Path) -> None:
    text = SHIPPED_WORDINGS.read_text(encoding="utf-8")
    assert decision("Feu orange pour moi") is None
    path = tmp_path / "decisions.yaml"
    path.write_text(
        text.replace("  - feu vert\n", "  - feu vert\n  - feu orange pour moi\n"),
        encoding="utf-8",
    )
    mine = load_wordings(path)
    assert read_reply("Feu orange pour moi.", mine).decision == "approve"
    assert read_reply("Pas feu orange pour moi.", mine).decision == "reject"


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (("  - feu vert\n", "  - feu vert\n  - Feu VERT !\n"), "figure deux fois"),
        (("  - feu vert\n", "  - feu vert\n  - '!!'\n"), "ni lettre ni chiffre"),
        (("  - feu vert\n", "  - feu vert\n  - ref*use\n"), "ne peut que terminer un mot"),
        (("reject_first:\n  - non\n", "reject_first:\n  - non merci\n"), "doit être un seul mot"),
        (("approve:\n", "aprove:\n"), "aprove"),
        (("approve:\n", "approve: [\n"), "syntaxe YAML"),
    ],
)
def test_a_mistake_in_the_wordings_names_the_file(
    tmp_path: Path, change: tuple[str, str], says: str
) -> None:
    path = tmp_path / "decisions.yaml"
    path.write_text(SHIPPED_WORDINGS.read_text(encoding="utf-8").replace(*change, 1), "utf-8")
    with pytest.raises(ParserConfigError) as caught:
        load_wordings(path)
    assert str(path) in str(caught.value) and says in str(caught.value)


def test_the_shipped_wordings_cover_each_kind() -> None:
    import yaml

    raw = WordingsFile.model_validate(yaml.safe_load(SHIPPED_WORDINGS.read_text("utf-8")))
    for kind in ("approve", "reject", "negations", "doubt", "conditions", "absence"):
        assert getattr(raw, kind), kind
