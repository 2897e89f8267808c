"""What a round waiting too long calls for, decided from plain values: escalation to the
rule's `escalate_to` after `escalate_hours`, else one reminder after `reminder_hours`, else
nothing (the ticket moved on, or the round is not the current one). Acting on it is
intake/tickets/rounds.py's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from intake.store.records import Approval, Ticket, TicketStatus


@dataclass(frozen=True)
class Escalate:
    """A new round, asking these approvers (the current ones are not asked again)."""

    to: list[str]


@dataclass(frozen=True)
class Remind:
    """The approver of this round is reminded, once."""


def deadline_action(
    ticket: Ticket, approval: Approval, now: dt.datetime
) -> Escalate | Remind | None:
    """For an open approval of `ticket` that the store found overdue at `now`."""
    if ticket.status != TicketStatus.PENDING_APPROVAL or approval.round != ticket.approval_round:
        return None
    waited = now - dt.datetime.fromisoformat(approval.requested_at)
    escalate_to = [a for a in (ticket.escalate_to or []) if a not in (ticket.approvers or [])]
    if escalate_to and waited >= dt.timedelta(hours=ticket.escalate_hours or 96):
        return Escalate(escalate_to)
    if not approval.reminded_at and waited >= dt.timedelta(hours=ticket.reminder_hours or 48):
        return Remind()
    return None
