"""Replies to our mails, acted on: an approver's decision, a corrected fiche, or a comment.

A reply is read again knowing the mails we sent for its ticket (their bytes are in the
outbox): any line of them it quotes, whatever marks it, is our text and never the answer.
What it does is decided by intake/tickets/reply_decision.py from what is gathered here;
this module records it and queues the mails it causes. A reply that changes nothing is
recorded, and a colleague we know gets a polite explanation, at most one per ticket and day
(a stranger gets nothing, so forged mail cannot make us write to anyone, nor fill anyone's
mailbox).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

from intake.mails import approval_request, reply_not_counted
from intake.mails import comment as comment_mail
from intake.mails.enqueue import queue_mail
from intake.runtime import Runtime
from intake.sources.envelope import MessageInfo
from intake.store.records import Approval, Ticket
from intake.tickets.register import register_fiche, reject_again
from intake.tickets.reply_decision import (
    Comment,
    Completion,
    CompletionRefused,
    Decided,
    DecisionRefused,
    Outcome,
    Unclear,
    decide_reply,
)
from intake.tickets.rounds import record_decision, send_request
from parsers import classify
from parsers.model import FicheResult, InvalidResult, ReplyResult
from parsers.own import OwnText
from rules.mail_plan import template_for, to_approver
from rules.visibility import hidden_fields


def handle_reply(
    rt: Runtime, info: MessageInfo, row: int, result: ReplyResult, raw: bytes
) -> list[str]:
    ticket = rt.store.ticket_by_ref(result.ref)
    if ticket is not None:
        result = _read_knowing_our_mails(rt, ticket, result, raw)
    now = rt.now_iso()
    with rt.store.transaction():
        if ticket is None:
            _event(rt, info, row, None, "reply_unknown_ticket", ref=result.ref)
        else:
            outcome = decide_reply(
                ticket,
                result,
                info,
                secret=rt.secret,
                authserv=rt.settings.require_authenticated_replies,
                approval=_approval_of(rt, info.sender, ticket),
                known_colleague=_is_known_colleague(rt, info.sender, ticket),
            )
            _act(rt, info, row, ticket, result, raw, outcome)
        rt.store.mark_message(row, status="processed", kind="reply", processed_at=now)
    return [result.ref] if ticket else []


def _act(
    rt: Runtime,
    info: MessageInfo,
    row: int,
    ticket: Ticket,
    result: ReplyResult,
    raw: bytes,
    outcome: Outcome,
) -> None:
    """Record what the decision says, and queue the mails it causes."""
    match outcome:
        case Comment():
            _event(
                rt, info, row, ticket, "comment", decision=result.decision, comment=result.comment
            )
            _relay(rt, info, row, ticket, result.comment)
        case Completion():
            _corrected_fiche(rt, info, row, ticket, result, raw)
        case CompletionRefused(reason=why, problem=problem, explain=explain):
            _event(rt, info, row, ticket, "completion_refused", reason=why, problem=problem)
            if explain:
                _explain(rt, info, row, ticket, why)
        case DecisionRefused(reason=why, problem=problem, explain=explain):
            refused = {"reason": why, "problem": problem} if problem else {"reason": why}
            _event(rt, info, row, ticket, "decision_refused", **refused, decision=result.decision)
            if explain:
                _explain(rt, info, row, ticket, why)
        case Unclear(approval=approval, ask_again=ask_again):
            _event(
                rt,
                info,
                row,
                ticket,
                "decision_unclear",
                comment=result.comment,
                why=result.decided_by,
            )
            if ask_again:
                _ask_again(rt, info, row, ticket, approval, result.comment or "")
        case Decided(approval=approval, decision=decision, reason=reason, words=words):
            record_decision(rt, ticket, approval, decision, reason, message_row=row, words=words)


def _approval_of(rt: Runtime, sender: str, ticket: Ticket) -> Approval | None:
    """The sender's approval of the ticket's current round, if they are asked in it."""
    approvals = rt.store.approvals(ticket.id, ticket.approval_round)
    return next((a for a in approvals if a.approver == sender), None)


def _ask_again(
    rt: Runtime,
    info: MessageInfo,
    row: int,
    ticket: Ticket,
    approval: Approval,
    answer: str,
) -> None:
    """What do you decide? Once per round, to an answer that decided nothing."""
    rt.store.update_approval(approval.id, clarification_at=rt.now_iso())
    question = to_approver(rt.rules, ticket, info.sender, approval_request.QUESTION)
    send_request(
        rt,
        ticket,
        question,
        ticket.approval_round or 0,
        message_row=row,
        extra={"answer": answer},
        procedure=False,
    )


def _read_knowing_our_mails(
    rt: Runtime, ticket: Ticket, result: ReplyResult, raw: bytes
) -> ReplyResult:
    mails = [m.raw for m in rt.store.mail_for_ticket(ticket.id)]
    if not mails:
        return result
    own = OwnText.of_mails(mails)
    again = classify(raw, dataclasses.replace(rt.parse_context, sent=own))
    return again if isinstance(again, ReplyResult) else result


def _relay(
    rt: Runtime, info: MessageInfo, row: int, ticket: Ticket, comment: str | None
) -> None:
    """A copy of the comment to whoever the routing rule named, never back to its author,
    and only from someone who answers a mail we sent them about the ticket: anyone can write
    « RE: [ref] », and what we relay goes out under our name to supervisors and managers."""
    targets = [a for a in ticket.relay_to or [] if a != info.sender]
    if not comment or not targets or not _answers_our_mail(rt, info, ticket):
        return
    hidden = hidden_fields(rt.rules, ticket, targets)
    mail = rt.mails.make(
        template_for(ticket, comment_mail.TEMPLATE),
        to=targets,
        context=comment_mail.context(ticket, hidden, comment=comment, author=info.sender),
        ref=ticket.ref,
        ticket_id=ticket.id,
        message_row=row,
        auto_submitted="auto-generated",
    )
    queue_mail(rt, mail, ticket.id, hidden)


#: A Message-ID in a threading header; the first ones only (In-Reply-To comes first), a
#: References header can be long.
_MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}>")
_THREAD_DEPTH = 50


def _answers_our_mail(rt: Runtime, info: MessageInfo, ticket: Ticket) -> bool:
    """The reply quotes the Message-ID of a mail we sent its author about this ticket, which
    nobody else can know (a random part in each)."""
    ids = _MESSAGE_ID.findall(info.threading)[:_THREAD_DEPTH]
    return any(
        m.ticket_id == ticket.id and info.sender in m.recipients
        for m in rt.store.sent_mails(ids)
    )


def _event(
    rt: Runtime,
    info: MessageInfo,
    row: int,
    ticket: Ticket | None,
    kind: str,
    **detail: Any,
) -> None:
    rt.store.add_event(
        at=rt.now_iso(),
        actor=info.sender or "unknown",
        kind=kind,
        ticket_id=ticket.id if ticket else None,
        message_row=row,
        **detail,
    )


def _is_known_colleague(rt: Runtime, address: str, ticket: Ticket) -> bool:
    if not address:
        return False
    people = {(ticket.reporter_email or "").lower(), rt.rules.rules.queue.lower()}
    people.update(ticket.approvers or [], ticket.recipients or [])
    return address in people or rt.rules.directory.knows(address)


def _explain(rt: Runtime, info: MessageInfo, row: int, ticket: Ticket, why: str) -> None:
    """Why the reply did not count; one per ticket and day at most, so forged replies cannot
    fill anyone's mailbox (nor the daily cap of answers to their address)."""
    since = (rt.clock() - dt.timedelta(days=1)).isoformat()
    if rt.store.queued_since(ticket.id, reply_not_counted.TEMPLATE, since):
        return
    mail = rt.mails.make(
        reply_not_counted.TEMPLATE,
        to=[info.sender],
        context=reply_not_counted.context(ticket, why),
        ref=ticket.ref,
        ticket_id=ticket.id,
        message_row=row,
        in_reply_to=info.message_id or None,
    )
    queue_mail(rt, mail, ticket.id)


def _corrected_fiche(
    rt: Runtime,
    info: MessageInfo,
    row: int,
    ticket: Ticket,
    result: ReplyResult,
    raw: bytes,
) -> None:
    """The reporter answers our "incomplete fiche" mail: read the answer as a new fiche."""
    # Without a reference prefix the parser does not see a reply, only what the mail holds.
    as_new = classify(raw, dataclasses.replace(rt.parse_context, reference_prefix=""))
    if isinstance(as_new, FicheResult) and as_new.fiches:
        _event(rt, info, row, ticket, "fiche_corrected")
        register_fiche(rt, info, row, as_new.fiches[0], as_new, existing=ticket)
    elif isinstance(as_new, InvalidResult) and any(e.field for e in as_new.errors):
        reject_again(rt, info, row, ticket, as_new)
    else:
        _event(rt, info, row, ticket, "comment", decision=result.decision, comment=result.comment)
