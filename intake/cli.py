"""The `intake` command."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from intake.config import Settings, find_config, load_settings
from intake.errors import USER_ERRORS
from intake.logs import FORMATS
from intake.logs import configure as configure_logging
from intake.store import Store
from parsers.i18n import _

F = TypeVar("F", bound=Callable[..., Any])


def config_option(func: F) -> F:
    """Every command takes --config, so it can be given after the command name too."""
    return click.option(
        "--config",
        "config_path",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="intake.yaml to use (default: $INTAKE_CONFIG, ./intake.yaml, ./config/intake.yaml).",
    )(func)


def settings_from(config_path: Path | None) -> Settings:
    ctx = click.get_current_context()
    path = config_path or (ctx.obj or {}).get("config_path")
    return load_settings(find_config(path))


def store_from(config_path: Path | None) -> Store:
    """The database of the configuration, for commands that need nothing else."""
    settings = settings_from(config_path)
    return Store(settings.path(settings.database))


class Group(click.Group):
    """Turns our own errors into a clear message and exit status 2, without a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except USER_ERRORS as exc:
            click.echo(_("erreur : {message}").format(message=exc), err=True)
            sys.exit(2)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
# The version is the one pyproject.toml gives the installed distribution: set in one place.
@click.version_option(
    package_name="intake-3975", prog_name="intake", message="%(prog)s %(version)s"
)
@config_option
@click.option("-v", "--verbose", is_flag=True, help="Log each step to stderr.")
@click.option(
    "--log-format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Log lines as text or as one JSON object per line.",
)
@click.pass_context
def main(ctx: click.Context, config_path: Path | None, verbose: bool, log_format: str) -> None:
    """Fiches de signalement du 39 75: mailbox -> tickets -> validation -> forwarding.

    Logs go to stderr: warnings only, except for `run` (the service), which logs one
    line per event (Message-ID, ticket reference; never what a fiche says).

    \b
    Example:
      intake --config config/intake.yaml run --once
      intake --log-format json run
    """
    ctx.obj = {"config_path": config_path}
    service = ctx.invoked_subcommand == "run"
    configure_logging(logging.INFO if verbose or service else logging.WARNING, log_format)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def privacy_commands() -> tuple[click.Command, ...]:
    from intake.commands import digest, export, purge, stats

    return (stats.stats, purge.purge_cmd, digest.digest, export.export)


def _register() -> None:
    from intake.commands import (
        demo,
        directory,
        form,
        outbox,
        parse,
        quarantine,
        run,
        schema,
        tickets,
    )
    from intake.commands import rules as rules_commands
    from intake.commands.ops import commands as ops_commands

    for command in (
        run.run,
        parse.parse,
        demo.demo,
        tickets.tickets,
        form.form,
        rules_commands.rules,
        directory.directory,
        outbox.outbox,
        schema.schema,
        quarantine.quarantine,
        *ops_commands(),
        *privacy_commands(),
    ):
        main.add_command(command)


_register()
