"""`intake rules check` and `intake rules explain` as an admin runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import REPO, SHIPPED, fiche_email, write_config

from intake.cli.main import main

# These tests read the English catalogue; tests/test_i18n.py checks the French default.
pytestmark = pytest.mark.usefixtures("english")

CONFIG = ["--config", str(SHIPPED / "intake.yaml")]
SHARED = Path("/work/shared/samples")
# The shared samples, or their copies in tests/emails where the shared folder is absent.
SAMPLES = sorted((SHARED if SHARED.is_dir() else REPO / "tests" / "emails").glob("*.eml"))
EXAMPLES = sorted((SHIPPED / "examples").glob("*.eml"))


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*CONFIG, *args])
    return result.exit_code, result.output


def test_check_on_the_shipped_config_prints_one_summary_line() -> None:
    code, output = run("rules", "check")
    assert code == 0
    assert output.strip().endswith(
        "rules.yaml: 23 directory entries, 3 rules, default rule 'default': OK"
    )


def test_check_prints_every_mistake_and_exits_1(tmp_path: Path) -> None:
    text = (SHIPPED / "rules.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "    approvers: [service.supervisors]\n", "    approver: [dpe.supervisor]\n"
    )
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    code, output = run("rules", "check", str(path))
    assert code == 1
    lines = [line for line in output.splitlines() if line.startswith(str(path))]
    assert len(lines) == 2  # both rules that had `approvers: [service.supervisors]`
    assert all(line.endswith("unknown key 'approver': did you mean 'approvers'?") for line in lines)
    assert "2 mistake(s)" in output


def test_check_without_configuration_checks_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("INTAKE_CONFIG", raising=False)
    result = CliRunner().invoke(main, ["rules", "check", str(SHIPPED / "rules.yaml")])
    assert result.exit_code == 0
    assert "OK (templates not checked: no configuration found)" in result.output


@pytest.mark.parametrize("example", EXAMPLES + SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_explain_on_the_examples_and_samples(example: Path) -> None:
    code, output = run("rules", "explain", str(example), "--json")
    data = json.loads(output)
    if data["kind"] != "fiche":
        assert code == 1
        return
    assert code == 0
    assert data["rule"] in {"mairies", "directions", "default"}
    assert data["approvers"] and data["recipients"]
    assert [t["rule"] for t in data["trace"]] == ["mairies", "directions", "default"]
    assert "hit" in [t["result"] for t in data["trace"]]
    code, human = run("rules", "explain", str(example))
    assert code == 0
    assert f"decision: rule {data['rule']!r}" in human


def test_explain_shows_what_each_recipient_sees() -> None:
    code, output = run(
        "rules", "explain", str(SHIPPED / "examples" / "01-fiche-texte.eml"), "--json"
    )
    assert code == 0
    data = json.loads(output)
    assert data["rule"] == "mairies"
    assert data["approvers"] == ["chef.accueil.m12@paris.fr"]
    assert data["recipients"] == ["responsables-3975@paris.fr", "accueil.m12@paris.fr"]
    assert data["trace"][0] == {
        "rule": "mairies",
        "result": "hit",
        "why": "service.kind ('mairie') == 'mairie'",
    }
    assert data["redactions"]["accueil.m12@paris.fr"] == ["agent_3975"]
    seen = {(m["template"], m["to"]): m["hidden"] for m in data["mails"]}
    assert seen[("transmission", "accueil.m12@paris.fr")] == ["agent_3975"]
    assert seen[("transmission", "responsables-3975@paris.fr")] == []
    assert data["fiche"]["service_id"] == "mairie-12"


def test_explain_a_stored_ticket(tmp_path: Path) -> None:
    config = write_config(tmp_path, mailbox="maildir://inbox", outbox="dir://outbox")
    (tmp_path / "inbox" / "new").mkdir(parents=True)
    (tmp_path / "inbox" / "new" / "1.eml").write_bytes(fiche_email(service="DPE"))
    runner = CliRunner()
    assert runner.invoke(main, ["--config", str(config), "run", "--once"]).exit_code == 0
    listed = runner.invoke(main, ["--config", str(config), "tickets", "list", "--json"])
    (ticket,) = json.loads(listed.output)
    args = ["--config", str(config), "rules", "explain", "--ticket"]
    result = runner.invoke(main, [*args, ticket["ref"], "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["rule"] == "directions"
    assert data["routed_with"]["rule"] == "directions"
    assert data["approvers"] == ["encadrement.dpe@paris.fr"]
    missing = runner.invoke(main, [*args, "3975-2026-09999"])
    assert missing.exit_code == 2
    assert "no ticket 3975-2026-09999" in missing.output


def test_explain_needs_a_file_or_a_ticket() -> None:
    code, output = run("rules", "explain")
    assert code == 2
    assert "give either FILE.eml or --ticket REF" in output


def test_explain_follows_the_privacy_policy_beyond_the_rules(tmp_path: Path) -> None:
    # An unknown service goes to the default rule, which redacts nothing: the human queue
    # still does not see the 39 75 agent's name, in the mails as in what explain shows.
    eml = tmp_path / "inconnu.eml"
    eml.write_bytes(fiche_email(service="Bibliothèque Picpus"))
    code, output = run("rules", "explain", str(eml), "--json")
    assert code == 0
    data = json.loads(output)
    assert data["rule"] == "default" and data["redactions"] == {}
    seen = {(m["template"], m["to"]): m["hidden"] for m in data["mails"]}
    assert seen[("demande-validation", "file-attente-3975@paris.fr")] == ["agent_3975"]
    assert seen[("transmission", "responsables-3975@paris.fr")] == []
