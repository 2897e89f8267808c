"""`intake purge`: erase personal data past the retention delay (dry run first)."""

from __future__ import annotations

from pathlib import Path

import click

from intake.cli.options import config_option, settings_from
from intake.clock import system_clock
from intake.operations.retention import PurgePlan, outbox_folder, plan_purge, purge
from intake.store.audit import current_user
from intake.store.database import Store


def describe(plan: PurgePlan, days: int, done: bool) -> str:
    verb = "erased" if done else "would erase"
    counts = plan.counts()
    lines = [
        f"retention: {days} days (last activity before {plan.cutoff[:10]})",
        f"{verb}: personal data of {counts['tickets']} ticket(s), {counts['messages']} raw"
        f" message(s), {counts['mails']} sent mail(s), {counts['events']} event(s),"
        f" {counts['approvals']} approval reason(s)",
    ]
    if plan.tickets:
        lines.append("tickets: " + " ".join(sorted(plan.tickets.values())))
    if plan.messages:
        lines.append("messages: " + " ".join(f"#{m}" for m in plan.messages))
    if plan.waiting:
        lines.append("kept, still waiting for a decision: " + " ".join(plan.waiting))
    return "\n".join(lines)


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Say what would be erased; change nothing.")
@config_option
def purge_cmd(dry_run: bool, config_path: Path | None) -> None:
    """Erase personal data older than `retention_days` (intake.yaml, default 365).

    For each closed ticket (forwarded, rejected, invalid) untouched for that long: the
    39 75 agent's name, the reporter's name and address, the description and comments,
    the raw messages with their attachments, the bytes and addresses of the mails sent,
    names in its audit trail. Service, category, dates, expected service, the wrong
    information, status and decision times stay for statistics. The purge is an audit
    event naming who ran it; the worker also runs it every day.

    \b
    Example:
      intake purge --dry-run
      intake purge
    """
    settings = settings_from(config_path)
    store = Store(settings.path(settings.database))
    try:
        now = system_clock()
        plan = plan_purge(store, now, settings.retention_days)
        if not dry_run:
            purge(
                store,
                plan,
                now=now.isoformat(),
                actor=current_user(),
                outbox_dir=outbox_folder(settings),
            )
        click.echo(describe(plan, settings.retention_days, done=not dry_run))
    finally:
        store.close()
