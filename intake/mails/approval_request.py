"""What an approver is sent and can answer by reply: the request (demande-validation), its
reminder (relance-validation) and the question when their answer decided nothing
(demande-precision). One context for the three; each reply address carries a token."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from intake.mails.context import mail_context
from intake.mails.kind import MailKind
from intake.store.records import Ticket
from rules.mail_plan import APPROVAL_REQUEST

REMINDER = "relance-validation"
QUESTION = "demande-precision"

#: The Reply-To of a request, carrying a token (see intake/tickets/tokens.py).
SAMPLE_REPLY_ADDRESS = "signalements-3975+a1r1t0123456789abcdef0123@paris.fr"


def context(
    ticket: Ticket, hidden: list[str], round_: int, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """`extra`: the reminder's `requested_at`, the question's `answer` (the reply it asks
    about)."""
    return {
        **mail_context(ticket, hidden),
        "routing": {"recipients": ticket.recipients},
        "round": round_,
        **(extra or {}),
    }


def _sampler(extra: dict[str, Any] | None = None) -> Callable[[Ticket], dict[str, Any]]:
    def sample(ticket: Ticket) -> dict[str, Any]:
        return {**context(ticket, [], 1, extra), "reply_address": SAMPLE_REPLY_ADDRESS}

    return sample


KINDS = (
    MailKind(APPROVAL_REQUEST, _sampler()),
    MailKind(REMINDER, _sampler({"requested_at": "2026-03-12T16:05:00+00:00"})),
    MailKind(QUESTION, _sampler({"answer": "Je regarde et je reviens vers vous."})),
)
