"""`rules check`: every mistake an admin can make, reported at its line with what to change."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import SHIPPED

from rules.check import check_text
from rules.errors import RulesConfigError
from rules.loader import load_rules

# These tests read the English catalogue; tests/test_i18n.py checks the French default.
pytestmark = pytest.mark.usefixtures("english")

TEMPLATES = SHIPPED / "templates" / "fr"

# A small but complete file; each test breaks one line of it.
BASE = """\
queue: file@paris.fr
admins: [admin@paris.fr]
directory:
  - id: plateforme-3975
    name: Plateforme
    kind: plateforme
    contacts: [responsables@paris.fr]
  - id: mairie-12
    name: Mairie du 12e
    kind: mairie
    supervisors: [chef.m12@paris.fr]
    contacts: [accueil.m12@paris.fr]
  - id: dpe
    name: Propreté
    kind: direction
    attached_mairies: [mairie-12]
rules:
  - id: mairies
    when: {field: service.kind, equals: mairie}
    approvers: [service.supervisors]
    recipients: [plateforme-3975]
    templates: {transmission: transmission}
  - id: default
    recipients: [plateforme-3975]
"""


def problems(text: str) -> list[str]:
    return [
        f"{p.line}:{p.column}: {p.message}"
        for p in check_text(Path("rules.yaml"), text, TEMPLATES).problems
    ]


def edit(old: str, new: str) -> str:
    assert old in BASE
    return BASE.replace(old, new, 1)


def test_the_base_file_and_the_shipped_file_are_clean() -> None:
    assert problems(BASE) == []
    assert load_rules(SHIPPED / "rules.yaml", TEMPLATES).rules.admins == ["admin-3975@paris.fr"]


def test_unknown_key_suggests_the_right_one() -> None:
    found = problems(edit("    approvers: [service", "    approver: [service"))
    assert found == ["20:5: unknown key 'approver': did you mean 'approvers'?"]


def test_unknown_key_without_a_close_match_lists_the_keys() -> None:
    (found,) = problems(edit("queue: file@paris.fr", "queue: file@paris.fr\ncolour: blue"))
    assert found.startswith("2:1: unknown key 'colour': remove it, or use one of directory, queue")


def test_unknown_key_in_a_condition() -> None:
    (found,) = problems(edit("equals: mairie}", "equal: mairie}"))
    assert found == "19:33: unknown key 'equal': did you mean 'equals'?"


def test_unknown_directory_id_in_a_reference() -> None:
    (found,) = problems(
        edit("approvers: [service.supervisors]", "approvers: [mairie-13.supervisors]")
    )
    assert (
        found == "20:17: unknown directory id 'mairie-13' in 'mairie-13.supervisors':"
        " did you mean 'mairie-12'?"
    )


def test_unknown_directory_id_in_attached_mairies() -> None:
    (found,) = problems(edit("attached_mairies: [mairie-12]", "attached_mairies: [mairie-21]"))
    assert (
        found
        == "16:24: unknown directory id 'mairie-21' in attached_mairies: did you mean 'mairie-12'?"
    )


def test_unknown_platform() -> None:
    (found,) = problems(edit("queue: file@paris.fr", "queue: file@paris.fr\nplatform: plateforme"))
    assert (
        found
        == "2:11: platform 'plateforme' is not a directory id: did you mean 'plateforme-3975'?"
    )


def test_a_reference_that_is_neither_an_address_nor_an_id() -> None:
    (found,) = problems(
        edit("recipients: [plateforme-3975]\n    templates", "recipients: [le chef]\n    templates")
    )
    assert found.startswith("21:18: unknown reference 'le chef': not a directory id nor an address")


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("supervisors: [chef.m12@paris.fr]", "supervisors: [chef.m12-paris.fr]", "11:19"),
        ("queue: file@paris.fr", "queue: file@paris", "1:8"),
        ("admins: [admin@paris.fr]", "admins: [admin]", "2:10"),
        (
            "  - id: default\n    recipients: [plateforme-3975]",
            "  - id: default\n    recipients: [x@y]",
            "24:18",
        ),
    ],
)
def test_malformed_address(old: str, new: str, where: str) -> None:
    (found,) = problems(edit(old, new))
    assert found.startswith(f"{where}: malformed address")
    assert found.endswith("write name@domain.fr")


def test_invalid_regex() -> None:
    (found,) = problems(edit("equals: mairie}", 'regex: "mairie("}'))
    assert found.startswith("19:40: invalid regex 'mairie(': missing ), unterminated subpattern")


def test_a_rule_after_a_catch_all_can_never_match() -> None:
    text = BASE + "  - id: late\n    when: {field: category, equals: other}\n"
    found = problems(text)
    assert found == [
        "25:9: rule 'late' can never match: rule 'default' (line 23) has no 'when' and stops"
        " at every fiche; move 'late' above it",
        "26:5: the last rule 'late' has a 'when': end the rules with a default rule without"
        " 'when', so that every fiche is routed",
    ]


def test_the_default_rule_must_come_last() -> None:
    text = edit(
        "  - id: mairies\n    when: {field: service.kind, equals: mairie}\n", "  - id: mairies\n"
    )
    found = problems(text)
    assert found[0].startswith("22:9: rule 'default' can never match: rule 'mairies' (line 18)")


def test_a_catch_all_that_does_not_stop_hides_nothing() -> None:
    text = edit(
        "  - id: mairies\n    when: {field: service.kind, equals: mairie}\n",
        "  - id: mairies\n    stop: false\n",
    )
    assert problems(text) == []


def test_missing_template() -> None:
    (found,) = problems(edit("{transmission: transmission}", "{transmission: transmision-dpe}"))
    assert found == (
        "22:31: template 'transmision-dpe' not found: no file transmision-dpe.txt.j2"
        f" in {TEMPLATES}: did you mean 'transmission'?"
    )


def test_unknown_mail_kind_and_a_template_path() -> None:
    found = problems(edit("{transmission: transmission}", "{transmision: ../secret}"))
    assert found == [
        "22:17: unknown mail kind 'transmision': did you mean 'transmission'?",
        "22:30: template name '../secret': a file name without folder or extension,"
        " e.g. transmission-dpe for transmission-dpe.txt.j2",
    ]


@pytest.mark.parametrize(
    ("old", "new", "where", "line_of_first"),
    [
        ("  - id: dpe\n", "  - id: mairie-12\n", "13:9", 8),
        ("  - id: default\n", "  - id: mairies\n", "23:9", 18),
    ],
)
def test_duplicate_id(old: str, new: str, where: str, line_of_first: int) -> None:
    (found,) = problems(edit(old, new))
    assert found.endswith(f"already used at line {line_of_first}; give each its own id")
    assert found.startswith(f"{where}: duplicate id")


def test_duplicate_key() -> None:
    (found,) = problems(edit("    kind: direction\n", "    kind: direction\n    name: DPE\n"))
    assert (
        found
        == "16:5: key 'name' given twice (first at line 14): the first would be ignored; keep one"
    )


def test_yaml_syntax_error_has_its_position() -> None:
    (found,) = problems(
        edit("    approvers: [service.supervisors]", "    approvers: [service.supervisors")
    )
    assert found.startswith("21:15: YAML syntax: expected ',' or ']', but got ':'")


def test_unknown_condition_field() -> None:
    (found,) = problems(edit("{field: service.kind,", "{field: categry,"))
    assert found.startswith(
        "19:19: unknown field 'categry' in a condition: did you mean 'category'?"
    )


def test_a_value_that_can_never_match() -> None:
    (found,) = problems(
        edit("{field: service.kind, equals: mairie}", "{field: call_weekday, in: [lundi, mardy]}")
    )
    assert found == "19:45: 'mardy' can never be the value of call_weekday: did you mean 'mardi'?"


def test_min_max_only_on_numbers() -> None:
    (found,) = problems(edit("{field: service.kind, equals: mairie}", "{field: category, min: 3}"))
    assert found.startswith("19:11: min/max compare numbers, and 'category' is not one")


def test_redacting_a_field_that_does_not_exist() -> None:
    text = edit("    templates:", "    redact: {service.contacts: [agent]}\n    templates:")
    assert problems(text) == [
        "22:33: cannot redact 'agent': not a fiche field: did you mean 'agent_3975'?"
    ]


def test_every_mistake_is_reported_not_just_the_first() -> None:
    text = edit("approvers: [service.supervisors]", "approver: [mairie-13.supervisors]")
    text = text.replace("{transmission: transmission}", "{transmission: nope}")
    text = text.replace("kind: direction", "kind: directoin")
    found = problems(text)
    assert [f.split(":")[0] for f in found] == ["15", "20", "22"]
    assert "is not one of 'mairie', 'direction', 'plateforme' or 'autre'" in found[0]


def test_load_rules_raises_the_same_lines(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(edit("    approvers: [service", "    approver: [service"), encoding="utf-8")
    with pytest.raises(RulesConfigError) as caught:
        load_rules(path, TEMPLATES)
    assert str(caught.value) == f"{path}:20:5: unknown key 'approver': did you mean 'approvers'?"


def test_yaml_surprises_are_explained() -> None:
    found = problems(
        edit(
            "    approvers: [service",
            "    approval: no\n    cc: x@paris.fr\n    approvers: [service",
        )
    )
    assert found == [
        "20:15: approval: False is not one of 'required' or 'none'"
        " (YAML reads yes/no/on/off as true/false)",
        "21:9: cc: expected a list; write cc: [a, b]",
    ]
