"""Why a reply changed nothing (reponse-non-prise-en-compte), to a colleague we know: the
ticket's reference and state, the reason as a code the template words, and who may decide."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from intake.mails.kind import MailKind
from intake.store.records import Ticket, TicketStatus

TEMPLATE = "reponse-non-prise-en-compte"


def context(ticket: Ticket, reason: str) -> dict[str, Any]:
    return {
        "ticket": {"ref": ticket.ref, "status": ticket.status},
        "reason": reason,
        "approvers": ticket.approvers,
    }


KIND = MailKind(
    TEMPLATE,
    lambda ticket: context(replace(ticket, status=TicketStatus.APPROVED), "already_decided"),
)
