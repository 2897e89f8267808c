"""`intake reprocess`: read stored messages again after a parser or form improvement."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from intake.cli.options import config_option, settings_from
from intake.errors import IntakeError
from intake.operations.reprocess import Reread, apply, reread
from intake.runtime import build_runtime
from intake.store.records import Ticket


@click.command()
@click.argument("ref", required=False)
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Every ticket created on this day (YYYY-MM-DD) or later.",
)
@click.option("--apply", "do_apply", is_flag=True, help="Update the tickets (else only show).")
@config_option
def reprocess(
    ref: str | None, since: dt.datetime | None, do_apply: bool, config_path: Path | None
) -> None:
    """Parse the stored raw message of tickets again, and show what would change.

    After an improvement of the parser or of form.yaml (a new wording, a new synonym),
    each ticket's message is read again as the worker would now read it, and the fields
    that differ are shown, old and new. With --apply the tickets are updated and an
    event `reparsed` names the fields changed. Nothing is routed again and no mail is
    sent. Exit status 2 for an unknown REF.

    \b
    Example:
      intake reprocess 3975-2026-00042
      intake reprocess --since 2026-03-01 --apply
    """
    if (ref is None) == (since is None):
        raise click.UsageError("give either REF or --since DATE")
    rt = build_runtime(settings_from(config_path))
    try:
        tickets = _tickets(rt.store.tickets(), ref, since)
        items = [reread(rt, t) for t in tickets]
        for item in items:
            click.echo(_describe(item, do_apply))
            if do_apply and item.changes:
                apply(rt.store, item, now=rt.now_iso())
    finally:
        rt.close()
    changed = sum(bool(i.changes) for i in items)
    if do_apply:
        tail = f"{changed} updated (event `reparsed`); no mail was sent, routing was not redone"
    elif changed:
        tail = f"{changed} would change: run again with --apply to update them"
    else:
        tail = "nothing would change"
    click.echo(f"\n{len(items)} ticket(s) read again: {tail}.")


def _tickets(tickets: list[Ticket], ref: str | None, since: dt.datetime | None) -> list[Ticket]:
    if ref is not None:
        found = [t for t in tickets if t.ref == ref]
        if not found:
            raise IntakeError(f"no ticket {ref}; see `intake tickets list`")
        return found
    assert since is not None
    day = since.date().isoformat()
    return [t for t in tickets if (t.created_at or "")[:10] >= day]


def _describe(item: Reread, applied: bool) -> str:
    if item.note:
        return f"{item.ref}: {item.note}"
    if not item.changes:
        return f"{item.ref}: unchanged"
    verb = "changed" if applied else "would change"
    width = max(len(k) for k in item.changes)
    lines = [f"{item.ref}: {len(item.changes)} field(s) {verb}"]
    for name, (old, new) in item.changes.items():
        lines.append(f"  {name:<{width}}  {_show(old)} -> {_show(new)}")
    return "\n".join(lines)


def _show(value: Any) -> str:
    if value in (None, ""):
        return "(empty)"
    text = " ".join(str(value).split())
    return repr(text if len(text) <= 60 else text[:57] + "...")
