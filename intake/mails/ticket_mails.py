"""Ticket records and the mails that carry them: shared by every stage that changes a ticket."""

from __future__ import annotations

from typing import Any

from intake.privacy.masking import mask_all
from intake.privacy.policy import AGENT_FIELD, hidden_fields, without_agent_name
from intake.runtime import Runtime
from intake.store.records import Ticket
from outbox.faults import crash_point
from outbox.fiche_view import CATEGORY_LABELS, fiche_lines
from parsers.model import Fiche


def new_reference(rt: Runtime, year: int) -> tuple[str, int]:
    """The next free reference of the year, e.g. 3975-2026-00042 (inside a transaction)."""
    seq = rt.store.next_sequence(year)
    return f"{rt.rules.rules.reference_prefix}-{year}-{seq:05d}", seq


def fiche_record(fiche: Fiche) -> dict[str, Any]:
    """The fiche's fields as stored: the text kept for statistics never names the agent."""
    return without_agent_name(fiche.model_dump(mode="json"))


def template_for(ticket: Ticket, kind: str) -> str:
    """The template the ticket's routing rule chose for this kind of mail (default: the kind)."""
    return str((ticket.templates or {}).get(kind, kind))


def withheld_name(ticket: Ticket, hidden: list[str] | None) -> str | None:
    """The 39 75 agent's name when it is withheld from a mail (every form of it in any text
    the mail carries must be masked), else None."""
    return ticket.agent_3975 if AGENT_FIELD in (hidden or []) else None


def mail_context(ticket: Ticket, hidden: list[str] | None = None) -> dict[str, Any]:
    """What every template sees: the ticket and the fiche lines the recipient may read. When
    the agent's name is withheld, every form of it in the free text is masked too."""
    name = withheld_name(ticket, hidden)
    fields = ticket.as_dict()
    shown = mask_all({k: v for k, v in fields.items() if k not in (hidden or [])}, name)
    return {
        "ticket": shown,
        "fiche": mask_all(fiche_lines(fields, hidden or []), name),
        "category_label": CATEGORY_LABELS.get(ticket.category or "", "Signalement"),
    }


def enqueue_forwarding(rt: Runtime, ticket: Ticket, *, message_row: int | None) -> None:
    """One mail per recipient, each showing only what that recipient may see."""
    for address in ticket.recipients or []:
        hidden = hidden_fields(rt.rules, ticket, [address])
        row = rt.mails.make(
            template_for(ticket, "transmission"),
            to=[address],
            context=mail_context(ticket, hidden),
            ref=ticket.ref,
            ticket_id=ticket.id,
            message_row=message_row,
            auto_submitted="auto-generated",
            procedure=True,
        )
        queue_mail(rt, row, ticket.id, hidden)


def queue_mail(
    rt: Runtime, mail: dict[str, Any], ticket_id: int | None, hidden: list[str] | None = None
) -> None:
    """Into the outbox, with an audit event saying to whom and which fields were withheld."""
    rt.store.enqueue(mail)
    crash_point("mid_transaction")
    rt.store.add_event(
        at=rt.now_iso(),
        actor="system",
        kind="mail_queued",
        ticket_id=ticket_id,
        message_row=mail.get("message_row"),
        template=mail["template"],
        to=mail["recipients"],
        hidden_fields=hidden or [],
    )
