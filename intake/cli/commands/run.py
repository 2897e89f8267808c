"""`intake run`: the worker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from intake.cli.options import config_option, settings_from
from intake.cli.tables import table
from intake.runtime import build_runtime, open_outbox
from intake.sources import open_source
from intake.store.queues import deferred
from intake.worker.lock import WorkerLock
from intake.worker.loop import RunReport, Worker, run_once
from outbox.deliver import Delivery
from outbox.sample import Sample


@click.command()
@click.option("--once", is_flag=True, help="Process all waiting mail, deliver the outbox, exit.")
@config_option
def run(once: bool, config_path: Path | None) -> None:
    """Read the mailbox, make tickets, send acknowledgements and requests.

    Without --once, keeps running: waits for new mail with IMAP IDLE when the server
    offers it, else polls every `poll_seconds`. SIGTERM stops it after the current message.

    \b
    Example:
      INTAKE_IMAP_PASSWORD=... intake --config /etc/intake/intake.yaml run
    """
    settings = settings_from(config_path)
    with WorkerLock(settings.path(settings.database)):
        rt = build_runtime(settings)
        sender = open_outbox(settings)
        source = open_source(settings)
        try:
            if once:
                report = run_once(rt, source, sender)
                click.echo(summary(rt.store.path, source.label, sender.label, report))
                waiting = deferred(rt.store, rt.now_iso())
                if waiting.count:
                    click.echo(f"\n{waiting.describe()}")
            else:
                Worker(rt, source, sender).run()
        finally:
            source.close()
            rt.close()


def summary(database: Path, source: str, outbox: str, report: RunReport) -> str:
    lines = [f"{report.outcomes.total} message(s) read from {source}"]
    if report.outcomes:
        rows = [(o.kind, " ".join(o.refs) or "-", o.message_id or "-") for o in report.outcomes]
        lines += ["", table(["RESULT", "TICKETS", "MESSAGE-ID"], rows), *_more(report.outcomes)]
    lines += ["", *delivered(outbox, report.deliveries), f"\ndatabase: {database}"]
    return "\n".join(lines)


def delivered(outbox: str, deliveries: Sample[Delivery]) -> list[str]:
    """How many mails a delivery round handed over, and where each went (or why not)."""
    lines = [f"{deliveries.total} mail(s) sent through {outbox}"]
    if deliveries:
        rows = [
            (d.ref or "-", ", ".join(d.recipients), d.where or f"NOT SENT: {d.error}")
            for d in deliveries
        ]
        lines += ["", table(["TICKET", "TO", "DELIVERED TO"], rows), *_more(deliveries)]
    return lines


def _more(sample: Sample[Any]) -> list[str]:
    hidden = sample.total - len(sample)
    return [f"... and {hidden} more (see `intake tickets list`)"] if hidden else []
