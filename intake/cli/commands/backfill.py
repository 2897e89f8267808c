"""`intake backfill`: import the fiches already sitting in a mailbox folder."""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from pathlib import Path

import click
from tqdm import tqdm

from intake.cli.options import config_option, settings_from
from intake.cli.tables import table
from intake.operations.backfill import open_folder
from intake.runtime import build_runtime
from intake.worker.pipeline import process_message

ORDER = ("fiche", "invalid", "reply", "ignored", "duplicate", "quarantined")


@click.command()
@click.option("--folder", required=True, help="IMAP folder of the account (Maildir: subfolder).")
@click.option(
    "--since",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Only messages of this day (YYYY-MM-DD) or later.",
)
@config_option
def backfill(folder: str, since: dt.datetime, config_path: Path | None) -> None:
    """Import the fiches already sitting in a mailbox folder, as the worker would.

    Each message is stored and processed like new mail: tickets, acknowledgements and
    approval requests (queued; the worker sends them). A message already imported
    (same Message-ID and bytes) is counted as a duplicate and left alone, so running it
    twice is harmless. Nothing is flagged or moved in the mailbox. Exit status 2 when the
    folder cannot be read (login refused, server down, no such folder).

    \b
    Example:
      intake backfill --folder "Fiches 2025" --since 2025-09-01
    """
    settings = settings_from(config_path)
    rt = build_runtime(settings)
    try:
        source = open_folder(settings, folder, since.date())
        try:
            pending_before = rt.store.pending_mail_count()
            kinds: Counter[str] = Counter()
            refs: dict[str, list[str]] = {}
            bar = tqdm(total=source.count, unit="msg", desc=folder, file=sys.stderr, disable=None)
            with bar:
                for message in source.messages:
                    outcome = process_message(rt, message, f"{source.label} (backfill)")
                    kinds[outcome.kind] += 1
                    refs.setdefault(outcome.kind, []).extend(outcome.refs)
                    bar.update(1)
        finally:
            source.close()
        queued = rt.store.pending_mail_count() - pending_before
    finally:
        rt.close()
    click.echo(f"{source.count} message(s) in {source.label} since {since.date()}")
    if source.count:
        rows = [
            (kind, kinds[kind], _refs(refs.get(kind, [])))
            for kind in (*ORDER, *sorted(set(kinds) - set(ORDER)))
            if kinds[kind]
        ]
        click.echo("\n" + table(["RESULT", "COUNT", "TICKETS"], rows))
    click.echo(
        f"\n{max(queued, 0)} mail(s) queued: the worker sends them (or `intake run --once`)."
        "\nNothing was moved in the mailbox."
    )


def _refs(refs: list[str], shown: int = 6) -> str:
    if not refs:
        return "-"
    more = f" (+{len(refs) - shown})" if len(refs) > shown else ""
    return " ".join(refs[:shown]) + more
