"""`intake demo`: the whole path on the shipped examples, with no server at all."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from intake.commands.run import summary
from intake.config import load_settings
from intake.errors import ConfigError
from intake.report import table
from intake.runtime import build_runtime
from intake.sources import open_source
from intake.sources.maildir import deliver_to_maildir
from intake.worker import run_once
from outbox.senders import open_sender

SHIPPED = Path(__file__).resolve().parents[2] / "config"
MARKER = ".intake-demo"


@click.command()
@click.option(
    "--dir",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("var/demo"),
    show_default=True,
    help="Folder for the demo's inbox, outbox and database (made anew).",
)
def demo(folder: Path) -> None:
    """Seed a Maildir inbox with the example fiches, run the worker once, show the result.

    Uses the shipped rules and templates, a SQLite file, and a folder outbox where each
    sent mail lands as a .eml file.

    \b
    Example:
      intake demo --dir /tmp/demo
    """
    examples = sorted((SHIPPED / "examples").glob("*.eml"))
    if not examples:
        raise ConfigError(f"no example fiches in {SHIPPED / 'examples'}: run from a checkout")
    if folder.exists():
        if not (folder / MARKER).exists():
            raise ConfigError(
                f"{folder} exists and was not made by `intake demo`: pick another --dir"
            )
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / MARKER).touch()
    config = folder / "intake.yaml"
    config.write_text(
        "mailbox: maildir://inbox\n"
        "outbox: dir://outbox\n"
        "database: intake.db\n"
        f"rules: {SHIPPED / 'rules.yaml'}\n"
        f"templates: {SHIPPED / 'templates' / 'fr'}\n"
        "sender: Signalements 39 75 <signalements-3975@paris.fr>\n"
        "poll_seconds: 60\n"
        "processed_folder: Traités\n",
        encoding="utf-8",
    )
    for example in examples:
        deliver_to_maildir(
            folder / "inbox", example.read_bytes(), f"0000000000.{example.stem}.demo"
        )
    settings = load_settings(config)
    rt = build_runtime(settings)
    source = open_source(settings)
    sender = open_sender(settings.outbox, settings.base_dir)
    try:
        report = run_once(rt, source, sender)
        click.echo(summary(rt.store.path, source.label, sender.label, report))
        tickets = rt.store.tickets()
        click.echo(f"\n{len(tickets)} ticket(s):\n")
        click.echo(
            table(
                ["REFERENCE", "STATUS", "CATEGORY", "SERVICE"],
                [
                    (
                        t["ref"],
                        t["status"],
                        t["category"] or "-",
                        t["service_id"] or t["service"] or "-",
                    )
                    for t in tickets
                ],
            )
        )
    finally:
        source.close()
        rt.close()
    click.echo(
        f"\nNext: intake --config {config} tickets show {tickets[0]['ref'] if tickets else 'REF'}"
    )
