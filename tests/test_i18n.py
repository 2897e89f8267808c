"""`rules check` and `doctor` in French by default, in English when the locale asks for it."""

from __future__ import annotations

import gettext
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from click.testing import CliRunner, Result
from helpers import REPO

from intake.cli.main import main
from parsers.i18n import DOMAIN, LOCALE_DIR, LOCALE_ENV

CATALOGUE = LOCALE_DIR / "en" / "LC_MESSAGES" / f"{DOMAIN}.po"
TYPOS = """\
queue: file-attente@paris.fr
platform: mairie-12
directory:
  - {id: mairie-12, name: Mairie du 12e, kind: mairie, supervisors: [chef@paris.fr]}
rules:
  - id: default
    aprovers: [service.supervisors]
routnig_rules: []
"""


def invoke(*args: str, **locale: str) -> Result:
    env: dict[str, str | None] = dict.fromkeys(LOCALE_ENV)
    env.update(locale)
    return CliRunner().invoke(main, list(args), env=env)


@pytest.fixture
def typos(tmp_path: Path) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(TYPOS, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "locale",
    [{}, {"LANG": "C.UTF-8"}, {"LANG": "fr_FR.UTF-8"}, {"LANGUAGE": "fr:en", "LANG": "en_US"}],
)
def test_rules_check_speaks_french_by_default(typos: Path, locale: dict[str, str]) -> None:
    result = invoke("rules", "check", str(typos), **locale)
    assert result.exit_code == 1
    assert f"{typos}:7:5: clé « aprovers » inconnue : vouliez-vous dire « approvers » ?" in (
        result.output
    )
    assert f"{typos}:8:1: clé « routnig_rules » inconnue : supprimez-la, ou écrivez" in (
        result.output
    )
    assert "2 erreur(s) : corrigez chaque ligne indiquée" in result.output


@pytest.mark.parametrize("locale", [{"LANG": "en_US.UTF-8"}, {"LC_ALL": "en_GB.UTF-8"}])
def test_rules_check_speaks_english_when_the_locale_asks(
    typos: Path, locale: dict[str, str]
) -> None:
    result = invoke("rules", "check", str(typos), **locale)
    assert f"{typos}:7:5: unknown key 'aprovers': did you mean 'approvers'?" in result.output
    assert "2 mistake(s): nothing was changed" in result.output


def test_doctor_speaks_french_by_default_and_english_on_demand(tmp_path: Path) -> None:
    assert invoke("init", str(tmp_path)).exit_code == 0
    config = str(tmp_path / "intake.yaml")
    french = invoke("--config", config, "doctor", LANG="C.UTF-8")
    assert french.exit_code == 0, french.output
    assert "entrées dans l'annuaire" in french.output
    assert "prêt : démarrez le programme" in french.output
    english = invoke("--config", config, "doctor", LANG="en_US.UTF-8")
    assert "directory entries" in english.output and "ready: start the worker" in english.output


def _fields(text: str) -> set[str] | None:
    """The placeholders `str.format` fills in; None for a message never formatted ("{ *")."""
    try:
        return {name for _, name, _spec, _conv in string.Formatter().parse(text) if name}
    except ValueError:
        return None


def test_every_message_has_its_english_with_the_same_placeholders() -> None:
    in_code = {
        message
        for package in ("intake", "rules", "parsers")
        for _file, _line, message, _comments, _context in extract_from_dir(
            REPO / package, keywords={"_": None, "N_": None}
        )
    }
    with CATALOGUE.open("rb") as po:
        catalogue = {m.id: m.string for m in read_po(po) if m.id}
    assert sorted(in_code - set(catalogue)) == [], "run scripts/update-catalogues, translate"
    assert sorted(set(catalogue) - in_code) == [], "run scripts/update-catalogues"
    untranslated = [msgid for msgid, english in catalogue.items() if not english]
    assert untranslated == [], f"translate in {CATALOGUE.relative_to(REPO)}"
    for msgid, english in catalogue.items():
        wanted = _fields(msgid)
        if wanted is not None and "{field:" not in msgid:  # a condition's shape: not formatted
            assert _fields(english) == wanted, msgid


def test_the_compiled_catalogue_is_the_one_of_the_po_file() -> None:
    with CATALOGUE.open("rb") as po:
        source = {str(m.id): str(m.string) for m in read_po(po) if m.id}
    with CATALOGUE.with_suffix(".mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    assert {msgid: compiled.gettext(msgid) for msgid in source} == source, (
        "run scripts/update-catalogues"
    )
