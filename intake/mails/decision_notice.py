"""The reporter told of the approvers' decision: validated (fiche-validee, with the recipients
still waiting because an earlier mail to them bounced) or refused (fiche-refusee, with why)."""

from __future__ import annotations

from typing import Any

from intake.mails.context import mail_context
from intake.mails.kind import MailKind
from intake.store.records import Ticket

APPROVED = "fiche-validee"
REJECTED = "fiche-refusee"


def template(decision: str) -> str:
    return APPROVED if decision == "approve" else REJECTED


def context(
    ticket: Ticket,
    hidden: list[str],
    *,
    reason: str | None,
    approver: str,
    waiting: list[str],
) -> dict[str, Any]:
    return {
        **mail_context(ticket, hidden),
        "reason": reason,
        "approver": approver,
        "waiting": waiting,
    }


KINDS = (
    MailKind(
        APPROVED,
        lambda ticket: context(
            ticket, [], reason=None, approver="chef.accueil.m12@paris.fr", waiting=[]
        ),
    ),
    MailKind(
        REJECTED,
        lambda ticket: context(
            ticket,
            [],
            reason="Doublon du signalement d'hier.",
            approver="chef@paris.fr",
            waiting=[],
        ),
    ),
)
