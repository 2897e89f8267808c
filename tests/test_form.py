"""config/form.yaml: loaded and checked, and an admin's new synonym works without code."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from helpers import SHIPPED, fiche_email, write_config

from intake.config.settings import load_settings
from intake.runtime import make_parse_context
from parsers import classify
from parsers.errors import ParserConfigError
from parsers.form import SHIPPED_FORM, default_form, load_form
from parsers.model import FICHE_FIELDS, FicheResult, InvalidResult
from rules.loader import load_rules

BODY = """Service / mairie déclarant : Mairie du 12e
Date de l'appel : 12/03/2026
Type de dysfonctionnement : Autre
Ressenti de l'usager : très mécontent
Description : Transfert vers le mauvais service.
"""


def _edited(tmp_path: Path, change: object) -> Path:
    data = yaml.safe_load(SHIPPED_FORM.read_text(encoding="utf-8"))
    assert callable(change)
    change(data)
    path = tmp_path / "form.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_shipped_form_covers_every_field() -> None:
    form = default_form()
    names = {f.name for f in form.fields}
    assert set(FICHE_FIELDS) - {"service_id"} <= names
    assert {f.name for f in form.required} == {"service", "call_date", "category", "description"}
    assert form.labels["call_date"] == "Date de l'appel"
    assert form.match_label("NATURE DU DYSFONCTIONNEMENT :") == "category"


def test_admin_adds_a_synonym_in_yaml(tmp_path: Path) -> None:
    def add(data: dict) -> None:  # type: ignore[type-arg]
        field = next(f for f in data["fields"] if f["name"] == "follow_up")
        field["synonyms"].append("Ressenti de l'usager")

    form_path = _edited(tmp_path, add)
    config = write_config(tmp_path, mailbox="maildir://inbox", outbox="dir://outbox")
    config.write_text(config.read_text() + "form: form.yaml\n", encoding="utf-8")
    settings = load_settings(config)
    ctx = make_parse_context(settings, load_rules(SHIPPED / "rules.yaml"))
    assert ctx.form.match_label("Ressenti de l'usager") == "follow_up"
    result = classify(fiche_email(body=BODY), ctx)
    assert isinstance(result, FicheResult)
    assert result.fiches[0].follow_up == "très mécontent"
    # The shipped form does not know the wording: the line is not a rubrique there.
    assert default_form().match_label("Ressenti de l'usager") is None
    assert form_path.exists()


def test_admin_makes_a_rubrique_required(tmp_path: Path) -> None:
    def require(data: dict) -> None:  # type: ignore[type-arg]
        field = next(f for f in data["fields"] if f["name"] == "agent_3975")
        field["required"] = True

    ctx = make_parse_context(
        load_settings(_config_with(tmp_path, _edited(tmp_path, require))),
        load_rules(SHIPPED / "rules.yaml"),
    )
    result = classify(fiche_email(body=BODY), ctx)
    assert isinstance(result, InvalidResult)
    assert [e.field for e in result.errors] == ["agent_3975"]
    assert "Nom de l'agent 39 75" in result.errors[0].message


def _config_with(tmp_path: Path, form: Path) -> Path:
    config = write_config(tmp_path, mailbox="maildir://inbox", outbox="dir://outbox")
    config.write_text(config.read_text() + f"form: {form}\n", encoding="utf-8")
    return config


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["fields"][0]["synonyms"].append("Date"), "libellé de deux rubriques"),
        (lambda d: d["fields"].pop(), "doit figurer une fois et une seule"),
        (lambda d: d["fields"].append({"name": "humeur", "label": "Humeur"}), "inconnue"),
        (lambda d: d["fields"][0].update(required=False), "doivent rester obligatoires"),
        (lambda d: d["categories"].pop(), "categories"),
        (lambda d: d["fields"][0].update(type="colour"), "fields.0.type"),
    ],
)
def test_bad_form_is_a_clear_config_error(tmp_path: Path, change: object, message: str) -> None:
    path = _edited(tmp_path, change)
    with pytest.raises(ParserConfigError, match=message) as info:
        load_form(path)
    assert str(path) in str(info.value)


def test_missing_form_file(tmp_path: Path) -> None:
    with pytest.raises(ParserConfigError, match="impossible de lire"):
        load_form(tmp_path / "absent.yaml")


def test_an_edit_is_read_without_a_restart_and_only_then(tmp_path: Path) -> None:
    path = _edited(tmp_path, lambda data: None)
    first = load_form(path)
    assert load_form(path) is first  # read once while the file stays as it is
    assert first.match_label("Ressenti de l'usager") is None
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    next(f for f in data["fields"] if f["name"] == "follow_up")["synonyms"].append(
        "Ressenti de l'usager"
    )
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    stamp = path.stat().st_mtime_ns + 1_000_000_000  # a later edit, whatever the clock's grain
    os.utime(path, ns=(stamp, stamp))
    assert load_form(path).match_label("Ressenti de l'usager") == "follow_up"
    path.write_text("fields: [\n", encoding="utf-8")
    os.utime(path, ns=(stamp + 10**9, stamp + 10**9))
    with pytest.raises(ParserConfigError, match="syntaxe YAML"):
        load_form(path)


def test_a_mistake_in_the_form_is_said_in_english_when_the_locale_asks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANGUAGE", "en")
    path = _edited(tmp_path, lambda d: d["fields"].pop())
    with pytest.raises(ParserConfigError, match="must appear exactly once"):
        load_form(path)
