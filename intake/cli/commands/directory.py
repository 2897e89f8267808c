"""`intake directory export`: the annuaire for the téléconseillers, from rules.yaml."""

from __future__ import annotations

from pathlib import Path

import click

from intake.cli.options import config_option, settings_from
from rules.directory_export import to_csv, to_html, to_xlsx
from rules.loader import load_rules


@click.group()
def directory() -> None:
    """The directory (annuaire) of mairies and services."""


@directory.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "csv", "xlsx"]),
    required=True,
    help="html: a page to open or print; csv: for any spreadsheet; xlsx: Excel.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="File to write (default: standard output; required for xlsx).",
)
@config_option
def export(fmt: str, output: Path | None, config_path: Path | None) -> None:
    """Export the directory as one table: name, kind, aliases, address, phone, hours, what
    each service handles.

    Read from the rules file of the configuration, the same one the worker routes with.

    \b
    Example:
      intake directory export --format html -o annuaire.html
    """
    settings = settings_from(config_path)
    loaded = load_rules(settings.path(settings.rules))
    if fmt == "xlsx":
        if output is None:
            raise click.UsageError("--format xlsx writes a binary file: give -o FILE.xlsx")
        to_xlsx(loaded.directory, output)
    else:
        text = to_csv(loaded.directory) if fmt == "csv" else to_html(loaded.directory)
        if output is None:
            click.echo(text, nl=False)
            return
        # A byte order mark lets Excel recognise UTF-8 in a CSV file.
        output.write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
    click.echo(f"{len(loaded.directory)} entries written to {output}")
