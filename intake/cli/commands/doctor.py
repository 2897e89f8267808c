"""`intake doctor`: is this deployment ready? One line per check, and what to do."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from intake.cli.options import config_option
from intake.config.settings import Settings, find_config, load_settings
from intake.errors import ConfigError
from intake.operations.doctor_local import (
    FAIL,
    SKIP,
    Check,
    config_check,
    database_check,
    decisions_check,
    form_check,
    readers_check,
    rules_check,
    secret_check,
    templates_check,
)
from intake.operations.doctor_servers import mailbox_checks, outbox_check, send_test
from parsers.i18n import _

NEEDS_CONFIG = ("rules", "form", "decisions", "templates", "database", "secret", "mailbox", "smtp")


@click.command()
@click.option(
    "--send-test",
    "address",
    metavar="ADDRESS",
    help="Also send a test mail to ADDRESS through the configured outbox.",
)
@click.option(
    "--create-folders",
    is_flag=True,
    help="Create the processed folder on the IMAP server when it is missing.",
)
@config_option
def doctor(address: str | None, create_folders: bool, config_path: Path | None) -> None:
    """Check a deployment: one line per check, OK, WARN, FAIL or SKIP, and what to do.

    Checks that the configuration parses, the rules pass `rules check`, the form
    definition loads, every template renders with a sample fiche, the database opens
    and is migrated, the approval secret is set, the IMAP login works and the folders
    exist, IDLE is available, and the SMTP server accepts a connection. Passwords and
    the secret are read from the environment, as the worker reads them: run it with the
    same environment file. Exit status 1 when any check fails, else 0 (warnings included).

    \b
    Example:
      set -a; . /etc/intake/intake.env; set +a
      intake --config /etc/intake/intake.yaml doctor --send-test admin@paris.fr
    """
    checks = run_checks(config_path, address, create_folders)
    width = max(len(c.name) for c in checks)
    for check in checks:
        click.echo(check.line(width))
    failed = sum(c.status == FAIL for c in checks)
    if failed:
        message = _(
            "{count} vérification(s) en échec : corrigez-les, puis relancez `intake doctor`"
        )
        click.echo("\n" + message.format(count=failed))
        sys.exit(1)
    click.echo("\n" + _("prêt : démarrez le programme (`intake run`, ou `systemctl start intake`)"))


def run_checks(config_path: Path | None, address: str | None, create: bool) -> list[Check]:
    ctx = click.get_current_context()
    path: Path | None = None
    settings: Settings | None = None
    error: str | None = None
    try:
        path = find_config(config_path or (ctx.obj or {}).get("config_path"))
        settings = load_settings(path)
    except ConfigError as exc:
        error = str(exc).replace("\n", "; ")
    checks = [config_check(path or Path("intake.yaml"), settings, error)]
    if settings is None:
        skipped = _("attend un intake.yaml valide")
        return checks + [Check(SKIP, name, skipped) for name in NEEDS_CONFIG]
    checks += [
        rules_check(settings),
        form_check(settings),
        decisions_check(settings),
        templates_check(settings),
        database_check(settings),
        secret_check(settings),
        readers_check(),
        *mailbox_checks(settings, create_folders=create),
        outbox_check(settings),
    ]
    if address:
        checks.append(send_test(settings, address))
    return checks
