"""`intake digest`: preview or send the weekly digest to the 39 75 managers."""

from __future__ import annotations

from pathlib import Path

import click

from intake.cli.options import config_option, settings_from
from intake.reports.digest import TEMPLATE, build_digest, previous_week, queue_digest
from intake.runtime import build_runtime
from intake.store.audit import current_user


@click.command()
@click.option("--week", metavar="YYYY-Www", help="ISO week (default: last week).")
@click.option("--send", is_flag=True, help="Queue it for the 39 75 managers (the worker sends it).")
@click.option(
    "--chart",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write the chart to this PNG file.",
)
@config_option
def digest(week: str | None, send: bool, chart: Path | None, config_path: Path | None) -> None:
    """The weekly digest: figures, a chart, wrong information by topic, wrong transfers.

    Without --send, prints the text part (the HTML part has the same content, with the
    chart inline). The worker queues it by itself every Monday for the week before; the
    recipients are the contacts of the rules' `platform` entry.

    \b
    Example:
      intake digest --week 2026-W11 --chart semaine.png
      intake digest --send
    """
    settings = settings_from(config_path)
    rt = build_runtime(settings)
    try:
        built = build_digest(rt, week or previous_week(rt.clock()))
        if chart:
            chart.write_bytes(built.chart)
            click.echo(f"{chart}: chart of {built.week}", err=True)
        if send:
            mail_id = queue_digest(rt, built, actor=current_user())
            click.echo(f"digest {built.week} queued as mail #{mail_id}; the worker sends it")
        else:
            rendered = rt.mails.renderer.render(
                TEMPLATE, {**built.context, "sender": settings.sender}
            )
            click.echo(f"Subject: {rendered.subject}\n\n{rendered.body}", nl=False)
    finally:
        rt.close()
