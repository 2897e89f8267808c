"""`intake init` then `intake doctor`: from nothing to a checked deployment, on real servers."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from helpers import SHIPPED, write_config
from servers import MailUser, RecordingSMTP
from servers.dovecot import free_port

from intake.cli.main import main
from intake.config.settings import Settings, load_settings
from intake.config.starter import ENTRIES

# These tests read the English catalogue; tests/test_i18n.py checks the French default.
pytestmark = pytest.mark.usefixtures("english")

SECRET = "s" * 32


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("INTAKE_SECRET", "INTAKE_IMAP_PASSWORD", "INTAKE_SMTP_PASSWORD", "INTAKE_CONFIG"):
        monkeypatch.delenv(name, raising=False)


def lines(result: Result) -> dict[str, str]:
    """`doctor` output as {check name: status}."""
    found = {}
    for line in result.output.splitlines():
        status, _, rest = line.partition(" ")
        if status in ("OK", "WARN", "FAIL", "SKIP"):
            name = rest.strip().split("  ")[0].strip()
            found[name] = status
    return found


def test_every_setting_is_explained_in_the_starter_configuration() -> None:
    missing = set(Settings.model_fields) - {"base_dir"} - {e.key for e in ENTRIES}
    assert not missing, f"add an Entry for {sorted(missing)} in intake/config/starter.py"


def test_init_writes_a_commented_deployment_and_refuses_to_overwrite(tmp_path: Path) -> None:
    folder = tmp_path / "etc"
    result = invoke("init", str(folder))
    assert result.exit_code == 0, result.output
    assert "intake --config" in result.output and "doctor" in result.output
    text = (folder / "intake.yaml").read_text(encoding="utf-8")
    for key in Settings.model_fields:
        if key != "base_dir":
            assert f"{key}:" in text, key
    lines = text.splitlines()
    for before, line in zip(lines, lines[1:], strict=False):
        if line and not line.startswith("#"):
            assert before.startswith("# "), f"{line!r} has no comment above it"
    settings = load_settings(folder / "intake.yaml")
    assert settings.path(settings.rules).read_bytes() == (SHIPPED / "rules.yaml").read_bytes()
    assert sorted(p.name for p in (folder / "templates" / "fr").iterdir()) == sorted(
        p.name for p in (SHIPPED / "templates" / "fr").glob("*.j2")
    )
    env = folder / "intake.env"
    assert stat.S_IMODE(env.stat().st_mode) == 0o600
    assert "INTAKE_SECRET=" in env.read_text() and "INTAKE_IMAP_PASSWORD=" in env.read_text()

    (folder / "rules.yaml").write_text("# mine\n")
    again = invoke("init", str(folder))
    assert again.exit_code == 2
    assert "already there" in again.output and "--force" in again.output
    assert (folder / "rules.yaml").read_text() == "# mine\n"  # nothing written
    forced = invoke("init", str(folder), "--force")
    assert forced.exit_code == 0, forced.output
    assert (folder / "rules.yaml").read_bytes() == (SHIPPED / "rules.yaml").read_bytes()


def test_a_fresh_local_deployment_passes_the_doctor(tmp_path: Path) -> None:
    assert invoke("init", str(tmp_path)).exit_code == 0
    config = str(tmp_path / "intake.yaml")
    result = invoke("--config", config, "doctor", env={"INTAKE_SECRET": SECRET})
    assert result.exit_code == 0, result.output
    assert set(lines(result).values()) <= {"OK", "SKIP"}, result.output
    assert "ready" in result.output
    # Without the secret: a warning naming the key file, not a failure.
    result = invoke("--config", config, "doctor")
    assert result.exit_code == 0, result.output
    assert lines(result)["secret"] == "WARN"
    assert "intake.db.key" in result.output


def imap_config(tmp_path: Path, user: MailUser, smtp_port: int) -> str:
    return str(
        write_config(
            tmp_path,
            mailbox=f"imap://{user.user}@{user.host}:{user.imap_port}/INBOX",
            outbox=f"smtp://127.0.0.1:{smtp_port}",
        )
    )


def test_doctor_on_real_servers_creates_the_folder_and_sends_a_test_mail(
    tmp_path: Path, mailbox_user: MailUser, smtp_server: RecordingSMTP
) -> None:
    config = imap_config(tmp_path, mailbox_user, smtp_server.port)
    env = {"INTAKE_SECRET": SECRET, "INTAKE_IMAP_PASSWORD": mailbox_user.password}
    first = invoke("--config", config, "doctor", env=env)
    assert first.exit_code == 0, first.output  # a missing processed folder is a warning
    assert lines(first)["folders"] == "WARN"
    assert "--create-folders" in first.output

    result = invoke(
        "--config", config, "doctor", "--create-folders", "--send-test", "admin@paris.fr", env=env
    )
    assert result.exit_code == 0, result.output
    found = lines(result)
    for name in ("config", "rules", "templates", "database", "secret", "imap login", "idle"):
        assert found[name] == "OK", result.output
    assert found["folders"] == found["smtp"] == found["test mail"] == "OK"
    assert "Traités" in mailbox_user.folders()
    ((_, recipients, raw),) = smtp_server.messages
    assert recipients == ["admin@paris.fr"] and b"intake doctor" in raw


def test_doctor_says_the_password_is_wrong(
    tmp_path: Path, mailbox_user: MailUser, smtp_server: RecordingSMTP
) -> None:
    config = imap_config(tmp_path, mailbox_user, smtp_server.port)
    env = {"INTAKE_SECRET": SECRET, "INTAKE_IMAP_PASSWORD": "wrong"}
    result = invoke("--config", config, "doctor", env=env)
    assert result.exit_code == 1
    assert lines(result)["imap login"] == "FAIL"
    assert "login refused" in result.output and "INTAKE_IMAP_PASSWORD" in result.output
    assert "1 check(s) failed" in result.output


def test_doctor_says_the_smtp_server_is_down(tmp_path: Path, mailbox_user: MailUser) -> None:
    config = imap_config(tmp_path, mailbox_user, free_port())
    env = {"INTAKE_SECRET": SECRET, "INTAKE_IMAP_PASSWORD": mailbox_user.password}
    result = invoke("--config", config, "doctor", env=env)
    assert result.exit_code == 1
    assert lines(result)["smtp"] == "FAIL"
    assert "cannot reach" in result.output and "'outbox'" in result.output


def test_doctor_names_the_first_rules_mistake(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    text = (SHIPPED / "rules.yaml").read_text(encoding="utf-8")
    rules.write_text(text.replace("\nqueue:", "\nqueu:", 1), encoding="utf-8")
    config = write_config(tmp_path, mailbox="maildir://in", outbox="dir://out", rules=rules)
    (tmp_path / "in").mkdir()
    result = invoke("--config", str(config), "doctor", env={"INTAKE_SECRET": SECRET})
    assert result.exit_code == 1
    assert lines(result)["rules"] == "FAIL"
    assert "rules.yaml:" in result.output and "intake rules check" in result.output


def test_doctor_finds_a_template_that_does_not_render(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    for template in (SHIPPED / "templates" / "fr").glob("*.j2"):
        (folder / template.name).write_bytes(template.read_bytes())
    broken = folder / "transmission.txt.j2"
    broken.write_text(broken.read_text().replace("ticket.ref", "ticket.reff"))
    config = write_config(tmp_path, mailbox="maildir://in", outbox="dir://out")
    text = config.read_text().replace(str(SHIPPED / "templates" / "fr"), str(folder))
    config.write_text(text)
    (tmp_path / "in").mkdir()
    result = invoke("--config", str(config), "doctor", env={"INTAKE_SECRET": SECRET})
    assert result.exit_code == 1
    assert lines(result)["templates"] == "FAIL"
    assert "transmission.txt.j2" in result.output and "reff" in result.output


def test_doctor_with_a_broken_configuration_skips_what_depends_on_it(tmp_path: Path) -> None:
    bad = tmp_path / "intake.yaml"
    bad.write_text("mailbox: pop3://x\noutbox: dir://out\ndatabase: db\nsender: a@b.fr\n")
    result = invoke("--config", str(bad), "doctor")
    assert result.exit_code == 1
    found = lines(result)
    assert found["config"] == "FAIL" and found["rules"] == "SKIP"
    assert f"{bad}: mailbox:" in result.output
