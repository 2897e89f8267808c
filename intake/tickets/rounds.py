"""Approval rounds: requests with tokens, decisions, reminders and escalation."""

from __future__ import annotations

from typing import Any

from intake.mails import approval_request, decision_notice
from intake.mails.enqueue import queue_mail
from intake.mails.forwarding import queue_forwarding
from intake.runtime import Runtime
from intake.store.records import Approval, ApprovalStatus, Ticket, TicketStatus
from intake.tickets.deadlines import Escalate, Remind, deadline_action
from intake.tickets.tokens import make_token
from rules.mail_plan import PlannedMail, approval_requests, forwarding, to_approver
from rules.visibility import hidden_fields


def open_round(
    rt: Runtime,
    ticket: Ticket,
    requests: list[PlannedMail],
    round_: int,
    *,
    message_row: int | None,
) -> None:
    """Ask each approver the plan names, each with a token bound to them and to this round."""
    now = rt.now_iso()
    approvers = [r.to for r in requests]
    rt.store.update_ticket(ticket.id, approval_round=round_, approvers=approvers, updated_at=now)
    for request in requests:
        approval = {"ticket_id": ticket.id, "round": round_, "approver": request.to}
        rt.store.add_approval({**approval, "requested_at": now})
        send_request(rt, ticket, request, round_, message_row=message_row)


def send_request(
    rt: Runtime,
    ticket: Ticket,
    request: PlannedMail,
    round_: int,
    *,
    message_row: int | None,
    extra: dict[str, Any] | None = None,
    procedure: bool = True,
) -> None:
    """A request (or a reminder, or a question) that a reply from its approver can answer.
    A question in answer to their reply is no mail of the procedure (`procedure=False`):
    the daily cap against loops applies to it."""
    token = make_token(rt.secret, ticket.id, request.to, round_)
    mail = rt.mails.make(
        request.template,
        to=[request.to],
        context=approval_request.context(ticket, request.hidden, round_, extra),
        ref=ticket.ref,
        ticket_id=ticket.id,
        message_row=message_row,
        auto_submitted="auto-generated",
        tag=token.tag,
        # The HTML alternative, where the template has one, carries the two one-click buttons.
        html=rt.mails.renderer.has_html(request.template),
        procedure=procedure,
    )
    queue_mail(rt, mail, ticket.id, request.hidden)


def record_decision(
    rt: Runtime,
    ticket: Ticket,
    approval: Approval,
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
        approval.id,
        status=ApprovalStatus.DECIDED,
        decided_at=now,
        decision=decision,
        reason=reason,
    )
    for other in rt.store.approvals(ticket.id, ticket.approval_round):
        if other.id != approval.id and other.status == ApprovalStatus.OPEN:
            rt.store.update_approval(other.id, status=ApprovalStatus.SUPERSEDED)
    status = TicketStatus.APPROVED if decision == "approve" else TicketStatus.REJECTED
    rt.store.update_ticket(
        ticket.id, status=status, decided_at=now, decision_reason=reason, updated_at=now
    )
    rt.store.add_event(
        at=now,
        actor=approval.approver,
        kind="approved" if decision == "approve" else "rejected",
        ticket_id=ticket.id,
        message_row=message_row,
        round=approval.round,
        reason=reason,
        words=words or [],
    )
    ticket = rt.store.ticket(ticket.id)
    if decision == "approve":
        queue_forwarding(rt, ticket, forwarding(rt.rules, ticket), message_row=message_row)
        rt.store.update_ticket(ticket.id, status=TicketStatus.FORWARDED, updated_at=now)
        rt.store.add_event(
            at=now,
            actor="system",
            kind="forwarded",
            ticket_id=ticket.id,
            recipients=ticket.recipients,
        )
    _tell_reporter(rt, ticket, decision, reason, approval.approver, message_row)


def _tell_reporter(
    rt: Runtime,
    ticket: Ticket,
    decision: str,
    reason: str | None,
    approver: str,
    message_row: int,
) -> None:
    reporter = ticket.reporter_email
    if not reporter:
        return
    hidden = hidden_fields(rt.rules, ticket, [reporter])
    now = rt.now_iso()
    # A transmission to an address suppressed after a delivery failure waits: say so.
    waiting = [a for a in ticket.recipients or [] if rt.store.suppressed(a.lower(), now)]
    mail = rt.mails.make(
        decision_notice.template(decision),
        to=[reporter],
        context=decision_notice.context(
            ticket,
            hidden,
            reason=reason,
            approver=approver,
            waiting=waiting if decision == "approve" else [],
        ),
        ref=ticket.ref,
        ticket_id=ticket.id,
        message_row=message_row,
        procedure=True,
    )
    queue_mail(rt, mail, ticket.id, hidden)


def run_deadlines(rt: Runtime) -> int:
    """Reminders, then escalation, for rounds waiting too long. Returns the mails queued."""
    now = rt.clock()
    queued = 0
    with rt.store.transaction():
        for approval in rt.store.overdue_approvals(now.isoformat()):
            ticket = rt.store.ticket(approval.ticket_id)
            action = deadline_action(ticket, approval, now)
            if isinstance(action, Escalate):
                queued += _escalate(rt, ticket, action.to)
            elif isinstance(action, Remind):
                _remind(rt, ticket, approval, now.isoformat())
                queued += 1
    return queued


def _remind(rt: Runtime, ticket: Ticket, approval: Approval, now: str) -> None:
    rt.store.update_approval(approval.id, reminded_at=now)
    reminder = to_approver(rt.rules, ticket, approval.approver, approval_request.REMINDER)
    send_request(
        rt,
        ticket,
        reminder,
        approval.round,
        message_row=None,
        extra={"requested_at": approval.requested_at},
    )
    rt.store.add_event(
        at=now,
        actor="system",
        kind="reminder_sent",
        ticket_id=ticket.id,
        to=approval.approver,
        round=approval.round,
    )


def _escalate(rt: Runtime, ticket: Ticket, escalate_to: list[str]) -> int:
    now = rt.now_iso()
    old_round = ticket.approval_round or 0
    for approval in rt.store.approvals(ticket.id, old_round):
        if approval.status == ApprovalStatus.OPEN:
            rt.store.update_approval(approval.id, status=ApprovalStatus.SUPERSEDED)
    rt.store.add_event(
        at=now,
        actor="system",
        kind="escalated",
        ticket_id=ticket.id,
        round=old_round + 1,
        previous=ticket.approvers,
        to=escalate_to,
    )
    requests = approval_requests(rt.rules, ticket, escalate_to)
    open_round(rt, ticket, requests, old_round + 1, message_row=None)
    return len(escalate_to)
