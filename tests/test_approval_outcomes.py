"""The approvals' decisions on plain values, without a store, a mailbox or a clock: what a
reply does, and what a round waiting too long calls for."""

from __future__ import annotations

import datetime as dt
from typing import Any

from intake.sources.envelope import MessageInfo
from intake.store.records import Approval, ApprovalStatus, Ticket, TicketStatus
from intake.tickets.deadlines import Escalate, Remind, deadline_action
from intake.tickets.reply_decision import (
    Comment,
    Decided,
    DecisionRefused,
    Unclear,
    decide_reply,
)
from intake.tickets.tokens import make_token
from parsers.model import ReplyResult

SECRET = b"0123456789abcdef0123456789abcdef"
CHEF = "chef@paris.fr"
T0 = dt.datetime(2026, 3, 12, 9, 0, tzinfo=dt.UTC)


def ticket(**fields: Any) -> Ticket:
    values: dict[str, Any] = {
        "id": 7,
        "ref": "3975-2026-00007",
        "year": 2026,
        "seq": 7,
        "status": TicketStatus.PENDING_APPROVAL,
        "message_row": 1,
        "fiche_index": 0,
        "created_at": "2026-03-12T09:00:00+00:00",
        "approval_round": 1,
        "approvers": [CHEF],
        "recipients": ["responsables-3975@paris.fr"],
        "reporter_email": "agent@paris.fr",
        "escalate_to": ["file-attente-3975@paris.fr"],
        "escalate_hours": 96,
        "reminder_hours": 48,
    }
    return Ticket(**{**values, **fields})


def reply_from(sender: str, *, token_for: str | None = None) -> MessageInfo:
    tag = make_token(SECRET, 7, token_for, 1).tag if token_for else ""
    return MessageInfo(
        message_id="<r@paris.fr>",
        sha256="0" * 64,
        sender=sender,
        reply_to=sender,
        subject="RE: [3975-2026-00007]",
        size=100,
        threading=f"<{tag}@paris.fr>" if tag else "",
        from_fields=(sender,),
    )


def approval(**fields: Any) -> Approval:
    values: dict[str, Any] = {
        "id": 1,
        "ticket_id": 7,
        "round": 1,
        "approver": CHEF,
        "status": ApprovalStatus.OPEN,
        "requested_at": T0.isoformat(),
    }
    return Approval(**{**values, **fields})


def decide(info: MessageInfo, result: ReplyResult, **facts: Any) -> Any:
    values: dict[str, Any] = {"approval": approval(), "known_colleague": True, **facts}
    return decide_reply(ticket(), result, info, secret=SECRET, authserv=None, **values)


def test_an_approver_answering_their_request_decides() -> None:
    result = ReplyResult(ref="3975-2026-00007", decision="approve", decided_by=["ok"])
    outcome = decide(reply_from(CHEF, token_for=CHEF), result)
    assert isinstance(outcome, Decided)
    assert (outcome.decision, outcome.words) == ("approve", ["ok"])


def test_a_token_made_for_someone_else_decides_nothing() -> None:
    result = ReplyResult(ref="3975-2026-00007", decision="approve")
    outcome = decide(reply_from("other@paris.fr", token_for=CHEF), result, approval=None)
    assert outcome == DecisionRefused("token_other_address", None, explain=True)


def test_an_unclear_answer_is_asked_about_once() -> None:
    result = ReplyResult(ref="3975-2026-00007", comment="je regarde")
    first = decide(reply_from(CHEF, token_for=CHEF), result)
    again = decide(
        reply_from(CHEF, token_for=CHEF), result, approval=approval(clarification_at="x")
    )
    assert isinstance(first, Unclear) and first.ask_again
    assert isinstance(again, Unclear) and not again.ask_again


def test_the_reporter_thanking_us_comments() -> None:
    result = ReplyResult(ref="3975-2026-00007", comment="merci")
    assert decide(reply_from("agent@paris.fr"), result, approval=None) == Comment()


def test_a_round_is_reminded_then_escalated() -> None:
    assert deadline_action(ticket(), approval(), T0 + dt.timedelta(hours=47)) is None
    assert deadline_action(ticket(), approval(), T0 + dt.timedelta(hours=48)) == Remind()
    reminded = approval(reminded_at=(T0 + dt.timedelta(hours=48)).isoformat())
    assert deadline_action(ticket(), reminded, T0 + dt.timedelta(hours=60)) is None
    assert deadline_action(ticket(), reminded, T0 + dt.timedelta(hours=96)) == Escalate(
        ["file-attente-3975@paris.fr"]
    )
    late = T0 + dt.timedelta(days=9)
    assert deadline_action(ticket(status=TicketStatus.FORWARDED), approval(), late) is None
