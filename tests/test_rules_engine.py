"""Routing decisions on the shipped rules and on small rule files written for each case."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from helpers import SHIPPED

from parsers.model import Fiche
from rules.engine import route
from rules.errors import RulesConfigError
from rules.loader import LoadedRules, load_rules

# These tests read the English catalogue; tests/test_i18n.py checks the French default.
pytestmark = pytest.mark.usefixtures("english")


def fiche(**changes: object) -> Fiche:
    base = Fiche(
        service="Mairie du 12e",
        service_id="mairie-12",
        reporter_email="sophie.martin@paris.fr",
        call_date=dt.date(2026, 3, 12),
        category="transfer_error",
        agent_3975="Karim B.",
        description="Mauvais transfert",
    )
    return base.model_copy(update=changes)


@pytest.fixture(scope="module")
def shipped() -> LoadedRules:
    return load_rules(SHIPPED / "rules.yaml")


def test_a_mairie_fiche_goes_to_its_supervisors_then_the_platform(shipped: LoadedRules) -> None:
    routing = route(fiche(), shipped)
    assert routing.rule == "mairies"
    assert routing.approval_required
    assert routing.approvers == ["chef.accueil.m12@paris.fr"]
    assert routing.recipients == ["responsables-3975@paris.fr", "accueil.m12@paris.fr"]
    assert routing.rules_version == shipped.version


def test_the_3975_agent_name_is_hidden_from_the_mairie_by_default(shipped: LoadedRules) -> None:
    routing = route(fiche(), shipped)
    assert routing.redactions["accueil.m12@paris.fr"] == ["agent_3975"]
    assert routing.redactions["chef.accueil.m12@paris.fr"] == ["agent_3975"]
    assert "responsables-3975@paris.fr" not in routing.redactions


def test_an_unknown_service_falls_to_the_default_rule_and_the_queue(shipped: LoadedRules) -> None:
    routing = route(fiche(service="Bibliothèque Picpus", service_id=None), shipped)
    assert routing.rule == "default"
    assert routing.approvers == ["file-attente-3975@paris.fr"]
    assert [t.matched for t in routing.trace] == [False, False, True]


def test_a_direction_fiche_matches_the_directions_rule(shipped: LoadedRules) -> None:
    routing = route(fiche(service="DPE", service_id="dpe"), shipped)
    assert routing.rule == "directions"
    assert routing.approvers == ["encadrement.dpe@paris.fr"]


def write_rules(tmp_path: Path, rules: list[dict]) -> LoadedRules:
    data = yaml.safe_load((SHIPPED / "rules.yaml").read_text(encoding="utf-8"))
    data["rules"] = rules
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_rules(path)


DEFAULT = {"id": "default", "approvers": ["file@paris.fr"], "recipients": ["plateforme-3975"]}


@pytest.mark.parametrize(
    ("when", "matches"),
    [
        ({"field": "category", "equals": "TRANSFER_ERROR"}, True),
        ({"field": "category", "in": ["other", "wrong_information"]}, False),
        ({"field": "description", "contains": "transfert"}, True),
        ({"field": "reporter_domain", "equals": "paris.fr"}, True),
        ({"field": "reporter_email", "equals": "Sophie.Martin@paris.fr"}, True),
        ({"field": "service_id", "in": ["mairie-11", "mairie-12"]}, True),
        ({"field": "service.kind", "equals": "direction"}, False),
        ({"field": "call_weekday", "equals": "jeudi"}, True),  # 2026-03-12 is a Thursday
        ({"field": "call_weekday", "in": ["samedi", "dimanche"]}, False),
        ({"field": "call_hour", "min": 8}, False),  # no time: a bound never matches None
        ({"field": "call_time", "regex": "^14:"}, False),  # no time: a regex never matches None
        ({"not": {"field": "service.kind", "equals": "direction"}}, True),
        (
            {
                "any": [
                    {"field": "category", "equals": "other"},
                    {"field": "service_id", "equals": "mairie-12"},
                ]
            },
            True,
        ),
        (
            {
                "all": [
                    {"field": "category", "equals": "other"},
                    {"field": "service_id", "equals": "mairie-12"},
                ]
            },
            False,
        ),
    ],
)
def test_conditions(tmp_path: Path, when: dict, matches: bool) -> None:
    rule = {"id": "r", "when": when, "approval": "none", "recipients": ["x@paris.fr"]}
    loaded = write_rules(tmp_path, [rule, DEFAULT])
    assert (route(fiche(), loaded).rule == "r") is matches


def test_stop_false_lets_later_rules_add_recipients(tmp_path: Path) -> None:
    first = {
        "id": "copy",
        "when": {"field": "category", "equals": "transfer_error"},
        "recipients": ["copie@paris.fr"],
        "stop": False,
    }
    loaded = write_rules(tmp_path, [first, DEFAULT])
    routing = route(fiche(), loaded)
    assert routing.rule == "copy"
    assert routing.recipients == ["copie@paris.fr", "responsables-3975@paris.fr"]
    assert routing.approvers == ["file@paris.fr"]


def test_approval_none_skips_approvers(tmp_path: Path) -> None:
    rule = {
        "id": "direct",
        "when": {"field": "category", "equals": "transfer_error"},
        "approval": "none",
        "recipients": ["service.contacts"],
    }
    routing = route(fiche(), write_rules(tmp_path, [rule, DEFAULT]))
    assert not routing.approval_required
    assert routing.approvers == []
    assert routing.recipients == ["accueil.m12@paris.fr"]


def test_nobody_named_means_the_human_queue(tmp_path: Path) -> None:
    rule = {"id": "empty", "approvers": ["service.supervisors"], "recipients": ["service.contacts"]}
    routing = route(fiche(service="?", service_id=None), write_rules(tmp_path, [rule]))
    assert routing.approvers == ["file-attente-3975@paris.fr"]
    assert routing.recipients == ["file-attente-3975@paris.fr"]


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ([{"id": "r", "when": {"field": "x", "equals": "y"}}], "default"),
        ([{"id": "r", "when": {"field": "x", "regex": "("}}, DEFAULT], "regex"),
        ([{"id": "r", "recipients": ["pas une adresse"], "bogus": 1}], "bogus"),
    ],
)
def test_broken_rules_are_refused_with_the_reason(
    tmp_path: Path, rules: list, message: str
) -> None:
    with pytest.raises(RulesConfigError, match=message):
        write_rules(tmp_path, rules)


@pytest.mark.parametrize(
    ("when", "time", "matches"),
    [
        ({"field": "call_hour", "min": 14, "max": 17}, "14:30", True),
        ({"field": "call_hour", "min": 18}, "17:59", False),
        ({"field": "call_hour", "max": 8}, "08:45", True),
        ({"field": "call_hour", "in": [12, 13]}, "13:05", True),
        ({"field": "call_hour", "equals": 9}, "09:00", True),
    ],
)
def test_call_hour(tmp_path: Path, when: dict, time: str, matches: bool) -> None:
    rule = {"id": "r", "when": when, "approval": "none", "recipients": ["x@paris.fr"]}
    loaded = write_rules(tmp_path, [rule, DEFAULT])
    routing = route(fiche(call_time=time), loaded)
    assert (routing.rule == "r") is matches
    assert routing.trace[0].why.startswith(f"call_hour ('{int(time[:2])}')")


def test_approvers_and_cc_take_references_and_addresses(tmp_path: Path) -> None:
    rule = {
        "id": "r",
        "approvers": ["dpe.supervisors", "chef@paris.fr"],
        "recipients": ["plateforme-3975"],
        "cc": ["service.supervisors", "Copie@Paris.fr"],
    }
    routing = route(fiche(), write_rules(tmp_path, [rule]))
    assert routing.approvers == ["encadrement.dpe@paris.fr", "chef@paris.fr"]
    assert routing.cc == ["chef.accueil.m12@paris.fr", "copie@paris.fr"]


def test_redact_hides_fields_from_the_addresses_a_reference_names(tmp_path: Path) -> None:
    rule = {
        "id": "r",
        "recipients": ["plateforme-3975", "dpe"],
        "redact": {"dpe": ["agent_3975", "reporter_name"]},
    }
    routing = route(fiche(), write_rules(tmp_path, [rule]))
    assert routing.redactions == {"contact.dpe@paris.fr": ["agent_3975", "reporter_name"]}


def test_reminder_and_escalation_delays_and_target(tmp_path: Path) -> None:
    rule = {
        "id": "r",
        "reminder_hours": 24,
        "escalate_hours": 72,
        "escalate_to": ["ddct.supervisors"],
    }
    routing = route(fiche(), write_rules(tmp_path, [rule]))
    assert (routing.reminder_hours, routing.escalate_hours) == (24, 72)
    assert routing.escalate_to == ["encadrement.ddct@paris.fr"]
    plain = route(fiche(), write_rules(tmp_path, [{"id": "r"}]))
    assert (plain.reminder_hours, plain.escalate_hours) == (48, 96)
    assert plain.escalate_to == ["file-attente-3975@paris.fr"]


def test_templates_default_to_the_shipped_names_and_a_rule_may_change_them(
    tmp_path: Path,
) -> None:
    first = {
        "id": "dpe",
        "when": {"field": "category", "equals": "transfer_error"},
        "templates": {"transmission": "transmission-dpe"},
        "stop": False,
    }
    last = {"id": "default", "templates": {"transmission": "autre", "accuse-reception": "ar"}}
    routing = route(fiche(), write_rules(tmp_path, [first, last]))
    assert routing.templates == {
        "accuse-reception": "ar",
        "demande-validation": "demande-validation",
        "transmission": "transmission-dpe",  # the first matching rule that names one wins
        "fiche-invalide": "fiche-invalide",
        "commentaire": "commentaire",
    }
    assert route(fiche(), write_rules(tmp_path, [{"id": "d"}])).templates["transmission"] == (
        "transmission"
    )
