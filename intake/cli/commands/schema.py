"""`intake schema`: the JSON Schemas of the configuration files, for editors that read them."""

from __future__ import annotations

from pathlib import Path

import click

from intake.config.schemas import FILES, render, write_schemas


@click.command()
@click.argument("config_file", required=False, type=click.Choice(list(FILES)))
@click.option(
    "--output",
    "-o",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Write every schema into this folder (NAME.schema.json), beside the YAML files.",
)
def schema(config_file: str | None, folder: Path | None) -> None:
    """Print the JSON Schema of CONFIG_FILE, or write them all with --output.

    Each configuration file's first line, `# yaml-language-server: $schema=NAME.schema.json`,
    lets VS Code's YAML extension and other editors complete keys, describe them in French
    and underline mistakes while typing. `intake init` writes the schemas already; run this
    after an upgrade of intake to refresh them. `intake rules check` remains the full check.

    \b
    Example:
      intake schema --output /etc/intake
      intake schema rules.yaml
    """
    if folder is None:
        if config_file is None:
            raise click.UsageError("name a file (intake.yaml, rules.yaml...) or give --output DIR")
        click.echo(render(config_file), nl=False)
        return
    folder.mkdir(parents=True, exist_ok=True)
    for path in write_schemas(folder):
        click.echo(f"wrote {path}")
