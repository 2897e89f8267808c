"""JSON Schemas of the configuration files: complete, in French, true to the shipped files."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from helpers import SHIPPED
from jsonschema import Draft202012Validator

from intake.cli.main import main
from intake.config.schemas import FILES, modeline, render, schema, schema_name


def validator(config_file: str) -> Draft202012Validator:
    generated = schema(config_file)
    Draft202012Validator.check_schema(generated)
    return Draft202012Validator(generated)


def objects(node: dict[str, Any], where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    yield where, node
    yield from node.get("$defs", {}).items()


@pytest.mark.parametrize("config_file", list(FILES))
def test_every_key_is_described_in_french(config_file: str) -> None:
    undescribed = [
        f"{where}.{key}"
        for where, node in objects(schema(config_file), config_file)
        for key, prop in node.get("properties", {}).items()
        if not prop.get("description")
    ]
    assert not undescribed, f"add a description in intake/config/schema_fr.py: {undescribed}"


@pytest.mark.parametrize("config_file", list(FILES))
def test_shipped_file_validates_and_points_at_its_schema(config_file: str) -> None:
    text = (SHIPPED / config_file).read_text(encoding="utf-8")
    assert text.startswith(modeline(config_file))
    errors = list(validator(config_file).iter_errors(yaml.safe_load(text)))
    assert not errors, [e.message for e in errors]


@pytest.mark.parametrize("config_file", list(FILES))
def test_schemas_in_config_are_the_generated_ones(config_file: str) -> None:
    committed = (SHIPPED / schema_name(config_file)).read_text(encoding="utf-8")
    assert committed == render(config_file), "run `intake schema --output config`"


def rules_with_typos() -> str:
    text = (SHIPPED / "rules.yaml").read_text(encoding="utf-8")
    assert "\n    approvers:" in text and "\nrules:" in text
    text = text.replace("\n    approvers:", "\n    aprovers:", 1)
    return text + "\nroutnig_rules: []\n"


def test_a_typo_is_rejected_by_the_schema_as_by_rules_check(tmp_path: Path) -> None:
    text = rules_with_typos()
    messages = [e.message for e in validator("rules.yaml").iter_errors(yaml.safe_load(text))]
    assert any("'routnig_rules' was unexpected" in m for m in messages), messages
    assert any("'aprovers' was unexpected" in m for m in messages), messages

    broken = tmp_path / "rules.yaml"
    broken.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["rules", "check", str(broken)], env={"LANGUAGE": "en"})
    assert result.exit_code == 1
    assert "'aprovers': did you mean 'approvers'?" in result.output
    assert "'routnig_rules'" in result.output


@pytest.mark.parametrize(
    ("config_file", "typo"),
    [
        ("intake.yaml", ("\noutbox:", "\noutbx:")),
        ("form.yaml", ("\n    synonyms:", "\n    synonymes:")),
        ("decisions.yaml", ("\napprove:", "\naprove:")),
    ],
)
def test_a_typo_in_the_other_files_is_underlined(config_file: str, typo: tuple[str, str]) -> None:
    text = (SHIPPED / config_file).read_text(encoding="utf-8")
    assert typo[0] in text
    data = yaml.safe_load(text.replace(*typo, 1))
    wrong = typo[1].strip().rstrip(":")
    messages = [e.message for e in validator(config_file).iter_errors(data)]
    assert any(f"'{wrong}' was unexpected" in m for m in messages), messages


def test_init_writes_the_schemas_beside_the_files_that_name_them(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for config_file in FILES:
        first = (tmp_path / config_file).read_text(encoding="utf-8").splitlines()[0]
        named = first.split("$schema=")[1]
        assert json.loads((tmp_path / named).read_text(encoding="utf-8")) == schema(config_file)
    starter = yaml.safe_load((tmp_path / "intake.yaml").read_text(encoding="utf-8"))
    assert not list(validator("intake.yaml").iter_errors(starter))


def test_schema_command_prints_one_or_writes_all(tmp_path: Path) -> None:
    printed = CliRunner().invoke(main, ["schema", "rules.yaml"])
    assert printed.exit_code == 0 and json.loads(printed.output) == schema("rules.yaml")
    written = CliRunner().invoke(main, ["schema", "--output", str(tmp_path)])
    assert written.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(map(schema_name, FILES))
    assert CliRunner().invoke(main, ["schema"]).exit_code == 2
