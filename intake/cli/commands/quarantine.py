"""`intake quarantine list|retry`: messages that failed to process, kept whole for a retry."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from intake.cli.options import config_option, emit_json, settings_from
from intake.cli.tables import table
from intake.runtime import build_runtime
from intake.sources.base import SourceMessage
from intake.worker.pipeline import process_message


@click.group()
def quarantine() -> None:
    """Messages that could not be processed: stored with the reason, moved aside in the mailbox."""


@quarantine.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@config_option
def list_quarantine(as_json: bool, config_path: Path | None) -> None:
    """One line per quarantined message: id, when, sender, reason.

    \b
    Example:
      intake quarantine list
    """
    rt = build_runtime(settings_from(config_path))
    rows = rt.store.quarantined()
    if as_json:
        emit_json(
            [
                {k: r[k] for k in ("id", "message_id", "received_at", "sender", "subject", "error")}
                for r in rows
            ]
        )
        return
    if not rows:
        click.echo("quarantine is empty")
        return
    click.echo(
        table(
            ["ID", "RECEIVED", "FROM", "REASON"],
            [
                (
                    r["id"],
                    r["received_at"][:19],
                    r["sender"],
                    (r["error"] or "").splitlines()[0][:70],
                )
                for r in rows
            ],
        )
    )


@quarantine.command("retry")
@click.argument("ids", nargs=-1, type=int)
@click.option("--all", "retry_all", is_flag=True, help="Retry every quarantined message.")
@config_option
def retry_quarantine(ids: tuple[int, ...], retry_all: bool, config_path: Path | None) -> None:
    """Process quarantined messages again from their stored copy, e.g. after a fix.

    \b
    Example:
      intake quarantine retry 42
      intake quarantine retry --all
    """
    if bool(ids) == retry_all:
        click.echo("error: give message ids or --all (see `intake quarantine list`)", err=True)
        sys.exit(2)
    rt = build_runtime(settings_from(config_path))
    held = {r["id"]: r for r in rt.store.quarantined()}
    wanted = list(held) if retry_all else list(ids)
    unknown = [i for i in wanted if i not in held]
    if unknown:
        click.echo(f"error: not in quarantine: {unknown}; see `intake quarantine list`", err=True)
        sys.exit(1)
    rows = []
    for row_id in wanted:
        rt.store.mark_message(row_id, status="received", error=None)
        raw = rt.store.message(row_id)["raw"]
        outcome = process_message(rt, SourceMessage(f"db:{row_id}", raw), "quarantine")
        rows.append((row_id, outcome.kind, " ".join(outcome.refs) or "-", outcome.error or ""))
    click.echo(table(["ID", "RESULT", "TICKETS", "ERROR"], rows))
    click.echo("Mails are sent by the worker, or now with `intake run --once`.")
