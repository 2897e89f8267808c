"""Labels read by their meaning: other wordings, "Label value" lines, ambiguous labels, and
which label each field was read from."""

from __future__ import annotations

import json
import random
from email.message import EmailMessage
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from helpers import SHIPPED, fiche_email, shipped_parse_context
from hypothesis import given
from hypothesis import strategies as st

from intake.cli.main import main
from parsers import classify
from parsers.context import ParseContext
from parsers.errors import ParserConfigError
from parsers.fold import strip_accents
from parsers.form import SHIPPED_FORM, default_form, load_form
from parsers.model import FicheResult, InvalidResult

FORM = default_form()

#: A value per rubrique, and what the fiche holds once it is read.
VALUES: dict[str, tuple[str, str]] = {
    "service": ("Mairie du 12e", "Mairie du 12e"),
    "reporter_name": ("Sophie Martin", "Sophie Martin"),
    "reporter_email": ("s.martin@paris.fr", "s.martin@paris.fr"),
    "call_date": ("12/03/2026", "2026-03-12"),
    "call_time": ("14h30", "14:30"),
    "category": ("Information erronée", "wrong_information"),
    "agent_3975": ("Karim B.", "Karim B."),
    "caller_request": ("Inscription sur les listes électorales",) * 2,
    "expected_service": ("Mairie du 11e", "Mairie du 11e"),
    "wrong_information": ("Bureau ouvert le samedi",) * 2,
    "description": ("L'usager a été transféré à tort vers l'accueil.",) * 2,
    "follow_up": ("Usager rappelé par nos soins",) * 2,
}
REQUIRED = ("service", "call_date", "category", "description")

#: Wordings agents write that form.yaml does not spell out, with the rubrique each means.
WORDINGS = [
    ("Service ou mairie", "service"),
    ("Service/Mairie", "service"),
    ("SERVICE OU MAIRIE", "service"),
    ("Mairie", "service"),
    ("Mairie / service déclarant(e)", "service"),
    ("Heure appel", "call_time"),
    ("a) Heure de l'appel", "call_time"),
    ("Type d'erreur", "category"),
    ("• Type de dysfonctionnement", "category"),
    ("3. Date de l'appel", "call_date"),
    ("II - Objet de la demande de l'usager", "caller_request"),
    ("Nom de l'agent 39 75 (si connu)", "agent_3975"),
    ("Agente déclarante", "reporter_name"),
    ("Informations erronées communiquées", "wrong_information"),
    ("Infos erronées communiquées", "wrong_information"),
    ("Nom des agents déclarants", "reporter_name"),
    ("DATE DE L APPEL", "call_date"),
    ("Objet de la demande de l'usagere", "caller_request"),
    ("Date appel", "call_date"),
    ("Appel (date)", "call_date"),
    ("Nom agent 3975", "agent_3975"),
    ("Nom et prénom du téléconseiller 39 75 (si connu)", "agent_3975"),
    ("Téléconseillère 39-75", "agent_3975"),
    ("Description détaillée de l'incident", "description"),
    ("Obj. demande usager", "caller_request"),
    ("Date de l'appel téléphonique", "call_date"),
    ("Service vers lequel l'usager aurait dû être orienté", "expected_service"),
    ("Suites données", "follow_up"),
    ("Courriel agent déclarant", "reporter_email"),
    ("Tél.", "other"),
]


@pytest.fixture(scope="module")
def ctx() -> ParseContext:
    return shipped_parse_context()


def body(lines: list[tuple[str, str]], sep: str = " : ") -> str:
    return "Bonjour,\n\n" + "\n".join(f"{k}{sep}{v}" for k, v in lines) + "\n\nCordialement,\n"


def printed_lines(skip: set[str]) -> list[tuple[str, str]]:
    return [(FORM.labels[f], VALUES[f][0]) for f in REQUIRED if f not in skip]


def read(raw: bytes, ctx: ParseContext) -> tuple[dict[str, object], dict[str, str], list[str]]:
    result = classify(raw, ctx)
    assert isinstance(result, FicheResult), result
    fiche = result.fiches[0].model_dump(mode="json")
    return fiche, result.read[0].read_from, [w.field for w in result.warnings]


@pytest.mark.parametrize(("label", "field"), WORDINGS)
def test_a_wording_means_its_rubrique(label: str, field: str) -> None:
    assert FORM.match_label(label) == field
    assert FORM.match_label(label.upper() + " :") == field


#: The label shown as read, without the list's numbering or bullet.
SHOWN = {
    "a) Heure de l'appel": "Heure de l'appel",
    "• Type de dysfonctionnement": "Type de dysfonctionnement",
    "3. Date de l'appel": "Date de l'appel",
    "II - Objet de la demande de l'usager": "Objet de la demande de l'usager",
}


@pytest.mark.parametrize(("label", "field"), [w for w in WORDINGS if w[1] != "other"])
def test_a_wording_is_read_in_a_whole_fiche(label: str, field: str, ctx: ParseContext) -> None:
    lines = [*printed_lines({field}), (label, VALUES[field][0])]
    fiche, read_from, _ = read(fiche_email(body=body(lines)), ctx)
    assert fiche[field] == VALUES[field][1]
    assert read_from[field] == SHOWN.get(label, label)


def test_a_phone_number_line_ends_the_rubrique_above(ctx: ParseContext) -> None:
    lines = [("Agent déclarant", "Sophie Martin"), ("Tél.", "01 42 76 40 40"),
             *printed_lines(set())]
    fiche, read_from, _ = read(fiche_email(body=body(lines)), ctx)
    assert fiche["reporter_name"] == "Sophie Martin"
    assert "other" not in read_from


def test_commentaire_as_the_only_free_text_is_the_description(ctx: ParseContext) -> None:
    lines = [*printed_lines({"description"}), ("Commentaire", "Usager renvoyé vers la DPE.")]
    fiche, read_from, warnings = read(fiche_email(body=body(lines)), ctx)
    assert fiche["description"] == "Usager renvoyé vers la DPE."
    assert fiche["follow_up"] is None
    assert read_from["description"] == "Commentaire"
    assert warnings == ["description"]


def test_commentaire_beside_a_description_is_the_follow_up(ctx: ParseContext) -> None:
    lines = [*printed_lines(set()), ("Commentaires", "Rappel prévu lundi")]
    fiche, _, warnings = read(fiche_email(body=body(lines)), ctx)
    assert fiche["follow_up"] == "Rappel prévu lundi"
    assert fiche["description"] == VALUES["description"][1]
    assert warnings == ["follow_up"]


def test_a_second_service_is_the_expected_one(ctx: ParseContext) -> None:
    lines = [("Service", "Mairie du 12e"), *printed_lines({"service"}), ("Service", "DPE")]
    fiche, read_from, warnings = read(fiche_email(body=body(lines)), ctx)
    assert (fiche["service_id"], fiche["expected_service"]) == ("mairie-12", "DPE")
    assert read_from["expected_service"] == "Service"
    assert sorted(warnings) == ["expected_service", "service"]


def test_the_service_found_in_the_directory_is_the_declaring_one(ctx: ParseContext) -> None:
    lines = [("Service", "Bureau des élections"), ("Mairie", "Mairie du 15e"),
             *printed_lines({"service"})]
    fiche, _, warnings = read(fiche_email(body=body(lines)), ctx)
    assert fiche["service_id"] == "mairie-15"
    assert fiche["expected_service"] == "Bureau des élections"
    assert sorted(warnings) == ["expected_service", "service"]


def test_service_unknown_to_the_directory_still_declares(ctx: ParseContext) -> None:
    lines = [("Service", "Bureau des élections"), *printed_lines({"service"})]
    fiche, _, _ = read(fiche_email(body=body(lines)), ctx)
    assert fiche["service"] == "Bureau des élections"
    assert fiche["expected_service"] is None


def test_date_alone_is_the_call_date_unless_the_fiche_has_one(ctx: ParseContext) -> None:
    lines = [*printed_lines({"call_date"}), ("Date", "10/03/2026")]
    fiche, _, warnings = read(fiche_email(body=body(lines)), ctx)
    assert fiche["call_date"] == "2026-03-10"
    assert warnings == []
    # The fiche's own date, written first, does not replace the date of the call.
    lines = [("Date", "13/03/2026 à 9h"), *printed_lines(set())]
    fiche, read_from, _ = read(fiche_email(body=body(lines)), ctx)
    assert fiche["call_date"] == "2026-03-12"
    assert read_from["call_date"] == "Date de l'appel"
    assert fiche["call_time"] is None


@pytest.mark.parametrize("heading", ["Agent 39 75", "Téléconseiller du 39 75"])
def test_nom_in_the_3975_block_is_the_3975_agent(heading: str, ctx: ParseContext) -> None:
    text = body([*printed_lines(set()), ("Agent déclarant", "Sophie Martin")])
    text = text.replace("\n\nCordialement", f"\n{heading} :\nNom : Karim B.\n\nCordialement")
    fiche, read_from, warnings = read(fiche_email(body=text), ctx)
    assert (fiche["agent_3975"], fiche["reporter_name"]) == ("Karim B.", "Sophie Martin")
    assert read_from["agent_3975"] == "Nom"
    assert warnings == ["agent_3975"]


def test_nom_alone_is_the_reporter(ctx: ParseContext) -> None:
    lines = [("Nom", "Paul Durand"), *printed_lines(set())]
    fiche, _, warnings = read(fiche_email(body=body(lines), sender="x@paris.fr"), ctx)
    assert (fiche["reporter_name"], fiche["agent_3975"]) == ("Paul Durand", None)
    assert warnings == ["reporter_name"]


def test_the_warning_names_the_label_and_the_reading(ctx: ParseContext) -> None:
    lines = [*printed_lines({"description"}), ("Commentaire", "Usager renvoyé vers la DPE.")]
    result = classify(fiche_email(body=body(lines)), ctx)
    assert isinstance(result, FicheResult)
    message = result.warnings[0].message
    assert "« Commentaire »" in message and "« Description »" in message
    assert "Suite donnée / commentaire" in message


# --- "Label value" lines, as a PDF of a table gives them --------------------------------------

TABLE_AS_TEXT = """Service / mairie déclarant Mairie du 15e
Agent déclarant Paul Durand
Date de l'appel 12/03/2026
Heure de l'appel 14:30
Type de dysfonctionnement Information erronée
Nom de l'agent 39 75 Julie
Objet de la demande de l'usager Carte d'identité
Description L'usager a été orienté vers la mauvaise mairie.
{sentence}
Suite donnée / commentaire Rappel de l'usager
"""
SENTENCES = [
    "Service de la voirie contacté par l'usager ensuite.",
    "Mairie du 12e fermée ce jour-là.",
    "Date à laquelle il a rappelé inconnue.",
    "Date limite 15/03/2026 pour le dossier.",
    "Demande de renseignements restée sans réponse.",
    "Heure de fermeture 17h ce jour-là.",
    "Type de réponse donnée par le 39 75 : inexacte.",
    "Le service m'a répondu : rappelez demain.",
    "Nom de famille de l'usager : Dupont.",
    "Description faite par l'usager au guichet.",
    "Agent 39 75 très aimable mais mal informé.",
    "Date : le lendemain, l'usager a rappelé.",
    "Agent déclarant : moi-même, à l'accueil.",
    "Pour info : l'usager est revenu le lendemain.",
    "Objet : renouvellement de passeport.",
    "Motif : déménagement.",
    "Téléphone en panne à l'accueil ce jour-là.",
]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_label_value_lines_and_sentences_that_stay_text(sentence: str, ctx: ParseContext) -> None:
    raw = fiche_email(body=TABLE_AS_TEXT.format(sentence=sentence))
    fiche, read_from, _ = read(raw, ctx)
    assert fiche["service_id"] == "mairie-15"
    assert (fiche["call_date"], fiche["call_time"]) == ("2026-03-12", "14:30")
    assert fiche["category"] == "wrong_information"
    assert (fiche["agent_3975"], fiche["caller_request"]) == ("Julie", "Carte d'identité")
    assert fiche["description"] == f"L'usager a été orienté vers la mauvaise mairie. {sentence}"
    assert fiche["expected_service"] is None
    assert fiche["follow_up"] == "Rappel de l'usager"
    assert read_from["call_date"] == "Date de l'appel"
    assert read_from["agent_3975"] == "Nom de l'agent 39 75"


def test_a_label_with_extra_words_then_its_value(ctx: ParseContext) -> None:
    text = TABLE_AS_TEXT.format(sentence="").replace(
        "Date de l'appel 12/03/2026", "Date de l'appel téléphonique 11/03/2026"
    )
    fiche, read_from, _ = read(fiche_email(body=text), ctx)
    assert fiche["call_date"] == "2026-03-11"
    assert read_from["call_date"] == "Date de l'appel téléphonique"


@pytest.mark.parametrize(
    ("line", "replaces", "field", "value"),
    [
        ("Date de l'appel le 10 mars 2026", "Date de", "call_date", "2026-03-10"),
        ("Date et heure de l'appel 12/03/2026 9h05", "Heure de", "call_time", "09:05"),
        ("Type de dysfonctionnement erreur de transfert", "Type de", "category", "transfer_error"),
        ("Courriel de l'agent déclarant s.martin@paris.fr", "", "reporter_email",
         "s.martin@paris.fr"),
        ("Nom agent 3975 Karim", "Nom de", "agent_3975", "Karim"),
        ("Service Mairie du 14e", "Service /", "service_id", "mairie-14"),
    ],
)
def test_a_typed_value_after_its_label(
    line: str, replaces: str, field: str, value: str, ctx: ParseContext
) -> None:
    lines = TABLE_AS_TEXT.format(sentence="").splitlines()
    text = "\n".join([line, *(ln for ln in lines if not (replaces and ln.startswith(replaces)))])
    fiche, _, _ = read(fiche_email(body=text), ctx)
    assert fiche[field] == value


# --- every wording of form.yaml, however written ---------------------------------------------

WRITTEN = [
    (f.name, text)
    for f in FORM.fields
    if f.name != "call_datetime"
    for text in (f.label, *f.synonyms)
]


def _shuffle_words(text: str, seed: int) -> str:
    words = text.replace("39 75", "39\u00a075").split(" ")  # a number stays one word
    random.Random(seed).shuffle(words)
    return " ".join(words)


@given(
    st.sampled_from(WRITTEN),
    st.sampled_from([str.upper, str.lower, str.title, strip_accents, lambda s: s]),
    st.sampled_from(["", "3. ", "12) ", "a) ", "II - ", "• ", "- ", "➢ "]),
    st.sampled_from(["", " :", ":", " (si connu)", " (si connu) :", "*", " (facultatif)"]),
    st.integers(0, 3),
)
def test_every_wording_matches_its_rubrique_however_written(
    wording: tuple[str, str], case: object, numbering: str, tail: str, seed: int
) -> None:
    name, text = wording
    assert callable(case)
    text = _shuffle_words(text, seed) if seed else text
    written = numbering + str(case(text)) + tail
    assert FORM.match_label(written) == name, written


# --- which label each field was read from, in `intake parse --json` -----------------------------


def _parse_json(path: Path) -> tuple[int, dict[str, object]]:
    args = ["--config", str(SHIPPED / "intake.yaml"), "parse", str(path), "--json"]
    result = CliRunner().invoke(main, args)
    return result.exit_code, json.loads(result.output)


def test_parse_json_says_which_label_each_field_was_read_from(tmp_path: Path) -> None:
    lines = [("SERVICE OU MAIRIE", "Mairie du 12e"), ("3. Date appel", "12/03/2026"),
             ("Type d'erreur", "Erreur de transfert"), ("Obj. demande usager", "Horaires"),
             ("Description détaillée de l'incident", "Transfert vers la mauvaise mairie.")]
    path = tmp_path / "fiche.eml"
    path.write_bytes(fiche_email(body=body(lines)))
    status, out = _parse_json(path)
    assert status == 0 and out["kind"] == "fiche"
    assert [r["read_from"] for r in out["read"]] == [{
        "service": "SERVICE OU MAIRIE", "call_date": "Date appel", "category": "Type d'erreur",
        "caller_request": "Obj. demande usager",
        "description": "Description détaillée de l'incident",
    }]
    assert [w["field"] for w in out["warnings"]] == ["service"]


def test_parse_json_of_an_invalid_fiche_says_where_fields_were_read(tmp_path: Path) -> None:
    lines = [("Mairie", "Mairie du 12e"), ("Heure appel", "14h30"), ("Type d'erreur", "Autre")]
    path = tmp_path / "fiche.eml"
    path.write_bytes(fiche_email(body=body(lines)))
    status, out = _parse_json(path)
    assert status == 1 and out["kind"] == "invalid"
    assert {e["field"] for e in out["errors"]} == {"call_date", "description"}
    assert out["read_from"] == {
        "service": "Mairie", "call_time": "Heure appel", "category": "Type d'erreur"
    }
    assert InvalidResult.model_validate(out).read_from == out["read_from"]


def test_a_grid_reads_labels_by_meaning_and_shows_the_cell(ctx: ParseContext) -> None:
    rows = [("Mairie / service déclarant(e) :", "Mairie du 12e"), ("Date appel", "12/03/2026"),
            ("TYPE D'ERREUR", "Information erronée"), ("Commentaire", "Usager mal renseigné."),
            ("Infos erronées communiquées", "Fermé le samedi")]
    cells = "".join(f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in rows)
    msg = EmailMessage()
    msg["From"], msg["Subject"] = "Sophie Martin <sophie.martin@paris.fr>", "Fiche"
    msg["Date"] = "Fri, 13 Mar 2026 09:12:00 +0100"
    msg.set_content("Voir le tableau.")
    msg.add_alternative(f"<html><body><table>{cells}</table></body></html>", subtype="html")
    fiche, read_from, warnings = read(msg.as_bytes(), ctx)
    assert (fiche["service_id"], fiche["call_date"]) == ("mairie-12", "2026-03-12")
    assert fiche["description"] == "Usager mal renseigné."
    assert fiche["wrong_information"] == "Fermé le samedi"
    assert read_from["service"] == "Mairie / service déclarant(e)"  # the colon is no part of it
    assert read_from["description"] == "Commentaire"
    assert warnings == ["description"]


def test_an_ambiguous_wording_naming_no_rubrique_is_a_config_error(tmp_path: Path) -> None:
    data = yaml.safe_load(SHIPPED_FORM.read_text(encoding="utf-8"))
    data["ambiguous"].append({"wording": "Heure", "rubriques": ["call_time", "heure_de_fin"]})
    path = tmp_path / "form.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ParserConfigError, match="heure_de_fin"):
        load_form(path)
