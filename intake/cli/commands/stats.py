"""`intake stats`: counts, time to approval, rejections, wrong transfers and information."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import click

from intake.cli.options import config_option, emit_json, settings_from
from intake.cli.tables import table
from intake.privacy.policy import PERSONAL_COLUMNS
from intake.reports.stats import BY_CHOICES, compute
from intake.store.database import Store
from rules.cells import inert
from rules.loader import load_rules

FIGURES = (
    "tickets",
    "invalid",
    "approved",
    "forwarded",
    "rejected",
    "waiting",
    "rejection_rate",
    "median_hours_to_approval",
    "mean_hours_to_approval",
)
REFUSED = (
    "--by {value} is refused by design: statistics point at what to fix (the transfer"
    " directory, the information given), never at people; there is no count by 39 75 agent,"
    " reporter or approver. Use --by service, category or week."
)


def check_by(value: str | None) -> str | None:
    if value is None or value in BY_CHOICES:
        return value
    people = {c for cols in PERSONAL_COLUMNS.values() for c in cols} | {"agent", "approver"}
    if value in people or "agent" in value or "reporter" in value:
        raise click.UsageError(REFUSED.format(value=value))
    raise click.UsageError(f"--by {value}: choose service, category or week")


def as_text(data: dict[str, Any]) -> str:
    period = f"{data['since'] or 'the start'} to {data['until'] or 'today'}"
    lines = [f"Fiches received from {period}", ""]
    rows = [("all", *(data["totals"][f] for f in FIGURES))]
    rows += [(g["group"], *(g[f] for f in FIGURES)) for g in data["groups"]]
    headers = [
        data["by"] or "",
        "tickets",
        "invalid",
        "approved",
        "forwarded",
        "rejected",
        "waiting",
        "rejection rate",
        "median h",
        "mean h",
    ]
    lines += [table(headers, [["-" if v is None else v for v in r] for r in rows]), ""]
    lines.append("Most frequent wrong transfers (service reached -> service expected):")
    transfers = [(t["from"], t["expected"], t["count"]) for t in data["wrong_transfers"]]
    lines += [table(["FROM", "EXPECTED", "COUNT"], transfers) if transfers else "  none", ""]
    lines.append("Most frequent wrong-information topics (by shared keyword):")
    topics = [
        (t["topic"], t["count"], " ".join(t["refs"])) for t in data["wrong_information_topics"]
    ]
    lines.append(table(["TOPIC", "COUNT", "TICKETS"], topics) if topics else "  none")
    return "\n".join(lines)


def as_csv(data: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([data["by"] or "group", *FIGURES])
    # Service names come from the directory an admin edits: text, never a formula.
    groups = data["groups"] or [{"group": "all", **data["totals"]}]
    for g in groups:
        writer.writerow([inert(g["group"]), *("" if g[f] is None else g[f] for f in FIGURES)])
    return out.getvalue()


@click.command()
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="First day (YYYY-MM-DD).")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Last day, included.")
@click.option("--by", "by", metavar="service|category|week", help="One line per group.")
@click.option("--json", "as_json", is_flag=True, help="Everything as one JSON object.")
@click.option("--csv", "as_csv_", is_flag=True, help="The figures table as CSV.")
@config_option
def stats(
    since: dt.datetime | None,
    until: dt.datetime | None,
    by: str | None,
    as_json: bool,
    as_csv_: bool,
    config_path: Path | None,
) -> None:
    """Quality figures of the fiches received in a period.

    Counts by status, rejection rate, median and mean hours from receipt to approval,
    the most frequent wrong transfers (service reached -> service expected, resolved
    through the directory) and wrong-information topics (reports grouped by their most
    shared keyword). Computed on anonymous facts only: grouping or counting by 39 75
    agent (or any person) is refused, by design.

    \b
    Example:
      intake stats --since 2026-01-01 --by service
      intake stats --by week --csv > semaines.csv
    """
    by = check_by(by)
    settings = settings_from(config_path)
    directory = load_rules(settings.path(settings.rules)).directory
    store = Store(settings.path(settings.database))
    try:
        data = compute(
            store,
            since=since.date() if since else None,
            until=until.date() if until else None,
            by=by,
            directory=directory,
        )
    finally:
        store.close()
    if as_json:
        emit_json(data)
    elif as_csv_:
        click.echo(as_csv(data), nl=False)
    else:
        click.echo(as_text(data))
