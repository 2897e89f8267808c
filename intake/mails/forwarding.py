"""The forwarding of a fiche to its recipients (transmission): one mail per recipient, each
showing only what that recipient may see, as the mail plan says (rules/mail_plan.py)."""

from __future__ import annotations

from typing import Any

from intake.mails.context import mail_context
from intake.mails.enqueue import queue_mail
from intake.mails.kind import MailKind
from intake.runtime import Runtime
from intake.store.records import Ticket
from rules.mail_plan import FORWARDING, PlannedMail


def context(ticket: Ticket, hidden: list[str]) -> dict[str, Any]:
    return mail_context(ticket, hidden)


def queue_forwarding(
    rt: Runtime, ticket: Ticket, planned: list[PlannedMail], *, message_row: int | None
) -> None:
    """The planned forwarding mails into the outbox, now (no approval needed, or approved)."""
    for mail in planned:
        row = rt.mails.make(
            mail.template,
            to=[mail.to],
            context=context(ticket, mail.hidden),
            ref=ticket.ref,
            ticket_id=ticket.id,
            message_row=message_row,
            auto_submitted="auto-generated",
            procedure=True,
        )
        queue_mail(rt, row, ticket.id, mail.hidden)


KIND = MailKind(FORWARDING, lambda ticket: context(ticket, []))
