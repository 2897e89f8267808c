"""The command line: help everywhere, the demo, parse's exit codes, errors without tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from helpers import REPO, SHIPPED

from intake.cli.main import main


def all_commands(group: click.Group = main, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in group.commands.items():
        path = (*prefix, name)
        found.append(path)
        if isinstance(command, click.Group):
            found += all_commands(command, path)
    return found


@pytest.mark.parametrize("path", all_commands(), ids=" ".join)
def test_every_command_has_help_with_an_example_and_is_in_the_readme(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0
    assert len(result.output.strip().splitlines()) > 3
    command = main
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    if not isinstance(command, click.Group):
        assert "Example" in result.output
        assert f"intake {' '.join(path)}" in (REPO / "README.md").read_text(encoding="utf-8")


def test_demo_prints_the_tickets_and_where_the_mails_went(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["demo", "--dir", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    assert "REFERENCE" in result.output and "STATUS" in result.output
    assert "pending_approval" in result.output and "invalid" in result.output
    assert "forwarded" in result.output  # the supervisor's simulated answer was taken
    sent = sorted((tmp_path / "demo" / "outbox").glob("*.eml"))
    assert sent and all(str(p) in result.output for p in sent)
    # Run again: made anew, same result.
    again = CliRunner().invoke(main, ["demo", "--dir", str(tmp_path / "demo")])
    assert again.exit_code == 0
    assert len(list((tmp_path / "demo" / "outbox").glob("*.eml"))) == len(sent)


def test_demo_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("x")
    result = CliRunner().invoke(main, ["demo", "--dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "pick another --dir" in result.output
    assert (tmp_path / "precious.txt").exists()


@pytest.mark.parametrize(
    ("example", "kind", "status"),
    [
        ("01-fiche-texte.eml", "fiche", 0),
        ("04-fiche-incomplete.eml", "invalid", 1),
        ("05-reponse-automatique.eml", "ignored", 0),
    ],
)
def test_parse_prints_the_contract_and_exit_status(example: str, kind: str, status: int) -> None:
    args = ["--config", str(SHIPPED / "intake.yaml"), "parse", str(SHIPPED / "examples" / example)]
    result = CliRunner().invoke(main, [*args, "--json"])
    assert result.exit_code == status, result.output
    assert json.loads(result.output)["kind"] == kind
    human = CliRunner().invoke(main, args)
    assert human.exit_code == status
    assert kind in human.output or "fiche(s)" in human.output


def test_a_missing_config_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("INTAKE_CONFIG", raising=False)
    result = CliRunner().invoke(main, ["tickets", "list"])
    assert result.exit_code == 2
    assert "--config" in result.output


def test_a_config_mistake_names_the_file_and_the_key(tmp_path: Path) -> None:
    bad = tmp_path / "intake.yaml"
    bad.write_text("mailbox: pop3://x\noutbox: dir://out\ndatabase: db\nsender: a@b.fr\n")
    result = CliRunner().invoke(main, ["--config", str(bad), "tickets", "list"])
    assert result.exit_code == 2
    assert f"{bad}: mailbox:" in result.output
