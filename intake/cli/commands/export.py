"""`intake export`: the tickets as CSV or XLSX, without personal data unless asked."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from intake.cli.options import config_option, settings_from
from intake.clock import system_clock
from intake.privacy.policy import PERSONAL_TICKET_FIELDS
from intake.reports.export import columns, rows, to_csv, to_xlsx
from intake.store.audit import record_export
from intake.store.database import Store


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx"]),
    default="csv",
    show_default=True,
    help="CSV (UTF-8) or Excel.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="File to write (default: standard output for CSV).",
)
@click.option(
    "--with-personal-data",
    is_flag=True,
    help="Add the 39 75 agent's name, the reporter, description and comments "
    "(recorded as an audit event naming you).",
)
@config_option
def export(
    fmt: str, output: Path | None, with_personal_data: bool, config_path: Path | None
) -> None:
    """Every ticket, one row each: reference, status, category, service, dates, expected
    service, wrong information, decision time.

    Personal fields (the 39 75 agent's name, the reporter's name and address, the
    description, comments and decision reason) are left out unless --with-personal-data
    is given; that export is then an audit event with the time, the OS user, the fields
    and the tickets. Cells that a spreadsheet would run as formulas are neutralised.

    \b
    Example:
      intake export --format xlsx -o fiches.xlsx
      intake export --with-personal-data -o fiches-nominatives.csv
    """
    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx needs -o FILE.xlsx")
    settings = settings_from(config_path)
    store = Store(settings.path(settings.database))
    try:
        cols = columns(with_personal_data)
        ids, data = rows(store, cols)
        payload = to_csv(cols, data) if fmt == "csv" else to_xlsx(cols, data)
        if with_personal_data:
            record_export(
                store,
                at=system_clock().isoformat(),
                what=f"tickets {fmt}",
                fields=list(PERSONAL_TICKET_FIELDS),
                ticket_ids=ids,
                to=str(output) if output else "stdout",
            )
    finally:
        store.close()
    if output:
        output.write_bytes(payload)
        click.echo(
            f"{output}: {len(data)} ticket(s)"
            + (" WITH personal data (recorded)" if with_personal_data else ""),
            err=True,
        )
    else:
        sys.stdout.buffer.write(payload)
