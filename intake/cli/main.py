"""The `intake` command."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import click

from intake.cli.options import config_option
from intake.cli.registry import COMMANDS
from intake.errors import IntakeError
from intake.logs import FORMATS
from intake.logs import configure as configure_logging
from outbox.errors import OutboxError
from parsers.i18n import _


class Group(click.Group):
    """Turns our own errors into a clear message and exit status 2, without a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (IntakeError, OutboxError) as exc:
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


for _command in COMMANDS:
    main.add_command(_command)
