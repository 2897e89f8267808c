"""`intake tickets list|show`: what the worker made."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from intake.cli.options import config_option, emit_json, store_from
from intake.cli.tables import table
from intake.clock import system_clock
from intake.privacy.policy import PERSONAL_TICKET_FIELDS
from intake.store.audit import record_export
from intake.store.database import Store
from intake.store.records import Ticket, TicketStatus

LIST_COLUMNS = ("ref", "status", "category", "service_id", "service", "call_date", "created_at")
MAIL_COLUMNS = (
    "id",
    "template",
    "recipients",
    "subject",
    "status",
    "message_id",
    "attempts",
    "last_error",
    "created_at",
    "sent_at",
    "delivered_to",
)


@click.group()
def tickets() -> None:
    """List and inspect tickets."""


@tickets.command("list")
@click.option("--status", help="Only tickets in this status (e.g. pending_approval, invalid).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@config_option
def list_tickets(status: str | None, as_json: bool, config_path: Path | None) -> None:
    """One line per ticket: reference, status, category, service.

    \b
    Example:
      intake tickets list --status pending_approval
    """
    store = store_from(config_path)
    rows = _listed(store, status)
    if as_json:
        emit_json([{k: r.as_dict()[k] for k in LIST_COLUMNS} for r in rows])
        return
    if not rows:
        click.echo("no tickets" + (f" with status {status}" if status else ""))
        return
    click.echo(
        table(
            ["REFERENCE", "STATUS", "CATEGORY", "SERVICE", "CALL DATE"],
            [
                (r.ref, r.status, r.category, r.service_id or r.service or "?", r.call_date)
                for r in rows
            ],
        )
    )


def _listed(store: Store, status: str | None) -> list[Ticket]:
    """Every ticket, or those in `status` (none for a word that is no status)."""
    if not status:
        return store.tickets()
    if status not in set(TicketStatus):
        return []
    return store.tickets(status=TicketStatus(status))


@tickets.command("show")
@click.argument("ref")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@config_option
def show_ticket(ref: str, as_json: bool, config_path: Path | None) -> None:
    """A ticket's fields, its events and the mails sent for it.

    Showing a ticket's personal data (the 39 75 agent's name, the reporter...) is recorded
    as an audit event on the ticket, with the time and the OS user.

    \b
    Example:
      intake tickets show 3975-2026-00001 --json
    """
    store = store_from(config_path)
    ticket = store.ticket_by_ref(ref)
    if ticket is None:
        click.echo(f"error: no ticket {ref}; see `intake tickets list`", err=True)
        sys.exit(1)
    fields = ticket.as_dict()
    events = store.events(ticket.id)
    mails = [
        {k: row[k] for k in MAIL_COLUMNS}
        for row in (m.as_dict() for m in store.mail_for_ticket(ticket.id))
    ]
    shown = [f for f in PERSONAL_TICKET_FIELDS if fields[f]]
    if shown:
        at = system_clock().isoformat()
        record_export(store, at=at, what="tickets show", fields=shown, ticket_ids=[ticket.id])
    if as_json:
        emit_json({"ticket": fields, "events": events, "mails": mails})
        return
    click.echo(_describe(fields, events, mails))


def _describe(
    ticket: dict[str, Any], events: list[dict[str, Any]], mails: list[dict[str, Any]]
) -> str:
    lines = [f"{ticket['ref']}  {ticket['status']}"]
    lines += [
        f"  {k}: {v}" for k, v in ticket.items() if v not in (None, "", [], {}) and k != "ref"
    ]
    lines += ["", "events:"]
    lines += [f"  {e['at']}  {e['kind']:<22} {e['actor']}" for e in events]
    lines += ["", "mails:"]
    lines += [
        f"  #{m['id']} {m['status']:<8} {m['template']:<20} -> {', '.join(m['recipients'])}"
        for m in mails
    ]
    return "\n".join(lines)
