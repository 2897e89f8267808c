"""Read a ticket's stored message again with today's parser and form: what would change.

Only the fiche's fields are compared and, when asked, updated, with an audit event naming the
fields. Nothing is routed again and no mail is sent: the people concerned were told already.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from intake.runtime import Runtime
from intake.store.audit import current_user
from intake.store.database import Store
from intake.store.records import Ticket, TicketStatus
from intake.tickets.fields import fiche_record
from outbox.fiche_view import LABELS
from parsers import classify
from parsers.model import Fiche, FicheResult, InvalidResult

FIELDS = tuple(Fiche.model_fields)


@dataclass
class Reread:
    ref: str
    ticket_id: int
    #: field -> (stored value, value read now)
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    #: Why nothing can be applied (the message now reads differently, or is gone).
    note: str | None = None


def reread(rt: Runtime, ticket: Ticket) -> Reread:
    item = Reread(ticket.ref, ticket.id)
    if ticket.purged_at:
        item.note = "personal data erased by the retention policy: nothing to read again"
        return item
    row, corrected = _source_row(rt, ticket)
    raw = rt.store.message(row).get("raw")
    if not raw:
        item.note = f"the raw message (row {row}) is no longer stored"
        return item
    context = rt.parse_context
    if corrected:  # a corrected fiche sent as a reply: read it as the worker did
        context = dataclasses.replace(context, reference_prefix="")
    result = classify(raw, context)
    if ticket.status == TicketStatus.INVALID:
        if isinstance(result, InvalidResult):
            partial = {k: v for k, v in result.partial.items() if k in LABELS and v}
            item.changes = _diff(ticket, partial, tuple(partial))
        else:
            item.note = (
                f"now reads as {result.kind}: left invalid (no routing, no mail); ask the "
                "sender to send the fiche again"
            )
        return item
    index = 0 if corrected else ticket.fiche_index
    if not isinstance(result, FicheResult) or index >= len(result.fiches):
        item.note = f"now reads as {result.kind}, not as fiche {index + 1}: left as it is"
        return item
    item.changes = _diff(ticket, fiche_record(result.fiches[index]), FIELDS)
    return item


def _source_row(rt: Runtime, ticket: Ticket) -> tuple[int, bool]:
    """The message the ticket's fields were last read from, and whether it was a correction."""
    made = [
        e
        for e in rt.store.events(ticket.id)
        if e["kind"] in ("ticket_created", "ticket_completed") and e["message_row"]
    ]
    if made:
        return int(made[-1]["message_row"]), made[-1]["kind"] == "ticket_completed"
    return ticket.message_row, False


def _diff(
    ticket: Ticket, fresh: dict[str, Any], fields: tuple[str, ...]
) -> dict[str, tuple[Any, Any]]:
    changes = {}
    stored = ticket.as_dict()
    for name in fields:
        old, new = stored.get(name), fresh.get(name)
        if (old or None) != (new or None):
            changes[name] = (old, new)
    return changes


def apply(store: Store, item: Reread, *, now: str) -> None:
    """Write the new values and an audit event naming the fields (not the values)."""
    with store.transaction():
        store.update_ticket(
            item.ticket_id, **{k: new for k, (_, new) in item.changes.items()}, updated_at=now
        )
        store.add_event(
            at=now,
            actor=current_user(),
            kind="reparsed",
            ticket_id=item.ticket_id,
            fields=sorted(item.changes),
        )
