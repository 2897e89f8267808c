"""`intake form`: the official blank fiche, generated from the form definition."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import click

from intake.cli.options import config_option, settings_from
from intake.errors import ConfigError
from intake.operations.blank_form import FORMATS, Format, blank_fiche
from parsers.form import FormDefinition, default_form, load_form


def _form(config_path: Path | None) -> FormDefinition:
    # Agents need the blank fiche without any installation: no configuration, shipped form.
    try:
        settings = settings_from(config_path)
    except ConfigError:
        if config_path is not None:
            raise
        return default_form()
    return default_form() if settings.form is None else load_form(settings.path(settings.form))


def _format_of(output: Path | None) -> Format:
    """The format the file's name asks for ("fiche.odt": odt); docx without a file."""
    if output is None:
        return "docx"
    extension = output.suffix.lower().removeprefix(".")
    if extension not in FORMATS:
        raise click.UsageError(
            f"{output}: end the name with .{', .'.join(FORMATS)}, or give --format"
        )
    return cast(Format, extension)


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="docx (Word), xlsx (Excel), odt (LibreOffice Writer) or txt (to paste in a mail); "
    "default: the extension of -o FILE, else docx.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="File to write (default: fiche-signalement.FORMAT in the current folder).",
)
@config_option
def form(fmt: Format | None, output: Path | None, config_path: Path | None) -> None:
    """Write the official blank fiche de signalement, for agents to fill in and send.

    The labels, hints and category boxes come from the form definition (form: in
    intake.yaml, else the shipped config/form.yaml), so the parser reads the filled-in
    fiche back exactly.

    \b
    Example:
      intake form -o fiche-signalement.odt
    """
    fmt = fmt or _format_of(output)
    target = output or Path(f"fiche-signalement.{fmt}")
    target.write_bytes(blank_fiche(_form(config_path), fmt))
    click.echo(f"{target}: fiche vierge ({fmt})")
