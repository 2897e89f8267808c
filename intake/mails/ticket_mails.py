"""Ticket records and the mails that carry them: shared by every stage that changes a ticket."""

from __future__ import annotations

from typing import Any

from intake.faults import crash_point
from intake.privacy.masking import mask_all
from intake.privacy.policy import without_agent_name
from intake.runtime import Runtime
from outbox.fiche_view import CATEGORY_LABELS, fiche_lines
from parsers.model import Fiche
from rules.visibility import AGENT_FIELD, hidden_fields


def new_reference(rt: Runtime, year: int) -> tuple[str, int]:
    """The next free reference of the year, e.g. 3975-2026-00042 (inside a transaction)."""
    seq = rt.store.next_sequence(year)
    return f"{rt.rules.rules.reference_prefix}-{year}-{seq:05d}", seq


def fiche_record(fiche: Fiche) -> dict[str, Any]:
    """The fiche's fields as stored: the text kept for statistics never names the agent."""
    return without_agent_name(fiche.model_dump(mode="json"))


def template_for(ticket: dict[str, Any], kind: str) -> str:
    """The template the ticket's routing rule chose for this kind of mail (default: the kind)."""
    return str((ticket.get("templates") or {}).get(kind, kind))


def withheld_name(ticket: dict[str, Any], hidden: list[str] | None) -> str | None:
    """The 39 75 agent's name when it is withheld from a mail (every form of it in any text
    the mail carries must be masked), else None."""
    return ticket.get(AGENT_FIELD) if AGENT_FIELD in (hidden or []) else None


def mail_context(ticket: dict[str, Any], hidden: list[str] | None = None) -> dict[str, Any]:
    """What every template sees: the ticket and the fiche lines the recipient may read. When
    the agent's name is withheld, every form of it in the free text is masked too."""
    name = withheld_name(ticket, hidden)
    shown = mask_all({k: v for k, v in ticket.items() if k not in (hidden or [])}, name)
    return {
        "ticket": shown,
        "fiche": mask_all(fiche_lines(ticket, hidden or []), name),
        "category_label": CATEGORY_LABELS.get(ticket.get("category") or "", "Signalement"),
    }


def enqueue_forwarding(rt: Runtime, ticket: dict[str, Any], *, message_row: int | None) -> None:
    """One mail per recipient, each showing only what that recipient may see."""
    for address in ticket["recipients"]:
        hidden = hidden_fields(rt.rules, ticket, [address])
        row = rt.mails.make(
            template_for(ticket, "transmission"),
            to=[address],
            context=mail_context(ticket, hidden),
            ref=ticket["ref"],
            ticket_id=ticket["id"],
            message_row=message_row,
            auto_submitted="auto-generated",
            procedure=True,
        )
        queue_mail(rt, row, ticket["id"], hidden)


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
