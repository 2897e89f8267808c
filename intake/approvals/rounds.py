"""Approval rounds: requests with tokens, decisions, reminders and escalation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from intake.approvals.tokens import make_token
from intake.mails.ticket_mails import enqueue_forwarding, mail_context, queue_mail, template_for
from intake.runtime import Runtime
from rules.visibility import hidden_fields


def open_round(
    rt: Runtime,
    ticket: dict[str, Any],
    approvers: list[str],
    round_: int,
    *,
    message_row: int | None,
) -> None:
    """Ask each approver, each with a token bound to them and to this round."""
    now = rt.now_iso()
    rt.store.update_ticket(ticket["id"], approval_round=round_, approvers=approvers, updated_at=now)
    for approver in approvers:
        rt.store.add_approval(
            {"ticket_id": ticket["id"], "round": round_, "approver": approver, "requested_at": now}
        )
        send_request(
            rt,
            ticket,
            approver,
            round_,
            template_for(ticket, "demande-validation"),
            message_row=message_row,
        )


def send_request(
    rt: Runtime,
    ticket: dict[str, Any],
    approver: str,
    round_: int,
    template: str,
    *,
    message_row: int | None,
    extra: dict[str, Any] | None = None,
    procedure: bool = True,
) -> None:
    """A request (or a reminder, or a question) that a reply from `approver` can answer.
    A question in answer to their reply is no mail of the procedure (`procedure=False`):
    the daily cap against loops applies to it."""
    token = make_token(rt.secret, ticket["id"], approver, round_)
    hidden = hidden_fields(rt.rules, ticket, [approver])
    context = {
        **mail_context(ticket, hidden),
        "routing": {"recipients": ticket["recipients"]},
        "round": round_,
        **(extra or {}),
    }
    mail = rt.mails.make(
        template,
        to=[approver],
        context=context,
        ref=ticket["ref"],
        ticket_id=ticket["id"],
        message_row=message_row,
        auto_submitted="auto-generated",
        tag=token.tag,
        # The HTML alternative, where the template has one, carries the two one-click buttons.
        html=rt.mails.renderer.has_html(template),
        procedure=procedure,
    )
    queue_mail(rt, mail, ticket["id"], hidden)


def record_decision(
    rt: Runtime,
    ticket: dict[str, Any],
    approval: dict[str, Any],
    decision: str,
    reason: str | None,
    *,
    message_row: int,
    words: list[str] | None = None,
) -> None:
    """Close the round with this decision and do what follows (inside a transaction).
    `words`: those of the answer that decided, kept in the audit trail."""
    now = rt.now_iso()
    rt.store.update_approval(
        approval["id"], status="decided", decided_at=now, decision=decision, reason=reason
    )
    for other in rt.store.approvals(ticket["id"], ticket["approval_round"]):
        if other["id"] != approval["id"] and other["status"] == "open":
            rt.store.update_approval(other["id"], status="superseded")
    status = "approved" if decision == "approve" else "rejected"
    rt.store.update_ticket(
        ticket["id"], status=status, decided_at=now, decision_reason=reason, updated_at=now
    )
    rt.store.add_event(
        at=now,
        actor=approval["approver"],
        kind="approved" if decision == "approve" else "rejected",
        ticket_id=ticket["id"],
        message_row=message_row,
        round=approval["round"],
        reason=reason,
        words=words or [],
    )
    ticket = rt.store.ticket(ticket["id"])
    if decision == "approve":
        enqueue_forwarding(rt, ticket, message_row=message_row)
        rt.store.update_ticket(ticket["id"], status="forwarded", updated_at=now)
        rt.store.add_event(
            at=now,
            actor="system",
            kind="forwarded",
            ticket_id=ticket["id"],
            recipients=ticket["recipients"],
        )
    _tell_reporter(rt, ticket, decision, reason, approval["approver"], message_row)


def _tell_reporter(
    rt: Runtime,
    ticket: dict[str, Any],
    decision: str,
    reason: str | None,
    approver: str,
    message_row: int,
) -> None:
    reporter = ticket.get("reporter_email")
    if not reporter:
        return
    template = "fiche-validee" if decision == "approve" else "fiche-refusee"
    hidden = hidden_fields(rt.rules, ticket, [reporter])
    now = rt.now_iso()
    # A transmission to an address suppressed after a delivery failure waits: say so.
    waiting = [a for a in ticket["recipients"] or [] if rt.store.suppressed(a.lower(), now)]
    mail = rt.mails.make(
        template,
        to=[reporter],
        context={
            **mail_context(ticket, hidden),
            "reason": reason,
            "approver": approver,
            "waiting": waiting if decision == "approve" else [],
        },
        ref=ticket["ref"],
        ticket_id=ticket["id"],
        message_row=message_row,
        procedure=True,
    )
    queue_mail(rt, mail, ticket["id"], hidden)


def run_deadlines(rt: Runtime) -> int:
    """Reminders, then escalation, for rounds waiting too long. Returns the mails queued."""
    now = rt.clock()
    queued = 0
    with rt.store.transaction():
        for approval in rt.store.overdue_approvals(now.isoformat()):
            ticket = rt.store.ticket(approval["ticket_id"])
            if (
                ticket["status"] != "pending_approval"
                or approval["round"] != ticket["approval_round"]
            ):
                continue
            waited = now - dt.datetime.fromisoformat(approval["requested_at"])
            escalate_to = [
                a for a in (ticket.get("escalate_to") or []) if a not in ticket["approvers"]
            ]
            if escalate_to and waited >= dt.timedelta(hours=ticket["escalate_hours"] or 96):
                queued += _escalate(rt, ticket, escalate_to)
            elif not approval["reminded_at"] and waited >= dt.timedelta(
                hours=ticket["reminder_hours"] or 48
            ):
                rt.store.update_approval(approval["id"], reminded_at=now.isoformat())
                send_request(
                    rt,
                    ticket,
                    approval["approver"],
                    approval["round"],
                    "relance-validation",
                    message_row=None,
                    extra={"requested_at": approval["requested_at"]},
                )
                rt.store.add_event(
                    at=now.isoformat(),
                    actor="system",
                    kind="reminder_sent",
                    ticket_id=ticket["id"],
                    to=approval["approver"],
                    round=approval["round"],
                )
                queued += 1
    return queued


def _escalate(rt: Runtime, ticket: dict[str, Any], escalate_to: list[str]) -> int:
    now = rt.now_iso()
    old_round = ticket["approval_round"]
    for approval in rt.store.approvals(ticket["id"], old_round):
        if approval["status"] == "open":
            rt.store.update_approval(approval["id"], status="superseded")
    rt.store.add_event(
        at=now,
        actor="system",
        kind="escalated",
        ticket_id=ticket["id"],
        round=old_round + 1,
        previous=ticket["approvers"],
        to=escalate_to,
    )
    open_round(rt, ticket, escalate_to, old_round + 1, message_row=None)
    return len(escalate_to)
