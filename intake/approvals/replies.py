"""Replies to our mails: an approver's decision, a corrected fiche, or a comment on the ticket.

A reply is read again knowing the mails we sent for its ticket (their bytes are in the
outbox): any line of them it quotes, whatever marks it, is our text and never the answer.
Only an approver named for the ticket's current round, replying with the token we made for
them, can decide; only the reporter of an incomplete fiche, replying with the token of our
« fiche incomplète » answer, can complete it. Either needs a From naming one address beyond
doubt (intake/approvals/reply_author.py). Anything else changes nothing: it is recorded, and a
colleague we know gets a polite explanation, at most one per ticket and day (a stranger gets
nothing, so forged mail cannot make us write to anyone, nor fill anyone's mailbox).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

from intake.approvals.reply_author import authenticated, author_problem
from intake.approvals.rounds import record_decision, send_request
from intake.approvals.tokens import COMPLETION_ROUND, Token, find_tokens, verify
from intake.mails import approval_request, reply_not_counted
from intake.mails import comment as comment_mail
from intake.mails.enqueue import queue_mail
from intake.runtime import Runtime
from intake.worker.envelope import MessageInfo
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
        elif ticket["status"] == "invalid":
            _completion(rt, info, row, ticket, result, raw)
        elif ticket["status"] == "pending_approval" and _tries_to_decide(info, ticket):
            _decision(rt, info, row, ticket, result)
        else:
            _event(
                rt, info, row, ticket, "comment", decision=result.decision, comment=result.comment
            )
            _relay(rt, info, row, ticket, result.comment)
        rt.store.mark_message(row, status="processed", kind="reply", processed_at=now)
    return [result.ref] if ticket else []


def _read_knowing_our_mails(
    rt: Runtime, ticket: dict[str, Any], result: ReplyResult, raw: bytes
) -> ReplyResult:
    mails = [m["raw"] for m in rt.store.mail_for_ticket(ticket["id"])]
    if not mails:
        return result
    own = OwnText.of_mails(mails)
    again = classify(raw, dataclasses.replace(rt.parse_context, sent=own))
    return again if isinstance(again, ReplyResult) else result


def _relay(
    rt: Runtime, info: MessageInfo, row: int, ticket: dict[str, Any], comment: str | None
) -> None:
    """A copy of the comment to whoever the routing rule named, never back to its author,
    and only from someone who answers a mail we sent them about the ticket: anyone can write
    « RE: [ref] », and what we relay goes out under our name to supervisors and managers."""
    targets = [a for a in ticket.get("relay_to") or [] if a != info.sender]
    if not comment or not targets or not _answers_our_mail(rt, info, ticket):
        return
    hidden = hidden_fields(rt.rules, ticket, targets)
    mail = rt.mails.make(
        template_for(ticket, comment_mail.TEMPLATE),
        to=targets,
        context=comment_mail.context(ticket, hidden, comment=comment, author=info.sender),
        ref=ticket["ref"],
        ticket_id=ticket["id"],
        message_row=row,
        auto_submitted="auto-generated",
    )
    queue_mail(rt, mail, ticket["id"], hidden)


#: A Message-ID in a threading header; the first ones only (In-Reply-To comes first), a
#: References header can be long.
_MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}>")
_THREAD_DEPTH = 50


def _answers_our_mail(rt: Runtime, info: MessageInfo, ticket: dict[str, Any]) -> bool:
    """The reply quotes the Message-ID of a mail we sent its author about this ticket, which
    nobody else can know (a random part in each)."""
    ids = _MESSAGE_ID.findall(info.threading)[:_THREAD_DEPTH]
    return any(
        m["ticket_id"] == ticket["id"] and info.sender in m["recipients"]
        for m in rt.store.sent_mails(ids)
    )


def _event(
    rt: Runtime,
    info: MessageInfo,
    row: int,
    ticket: dict[str, Any] | None,
    kind: str,
    **detail: Any,
) -> None:
    rt.store.add_event(
        at=rt.now_iso(),
        actor=info.sender or "unknown",
        kind=kind,
        ticket_id=ticket["id"] if ticket else None,
        message_row=row,
        **detail,
    )


def _ticket_tokens(info: MessageInfo, ticket: dict[str, Any], *, completion: bool) -> list[Token]:
    """The reply's tokens for this ticket: those of its approval rounds, or (`completion`)
    that of our « fiche incomplète » answer."""
    return [
        t
        for t in find_tokens(info.threading)
        if t.ticket_id == ticket["id"] and (t.round == COMPLETION_ROUND) == completion
    ]


def _tries_to_decide(info: MessageInfo, ticket: dict[str, Any]) -> bool:
    """A reply that carries an approval token or comes from an approver. An agent answering
    "ok merci" to an acknowledgement is only commenting."""
    return bool(
        _ticket_tokens(info, ticket, completion=False) or info.sender in ticket["approvers"]
    )


def _completion(
    rt: Runtime,
    info: MessageInfo,
    row: int,
    ticket: dict[str, Any],
    result: ReplyResult,
    raw: bytes,
) -> None:
    """A reply about a fiche not yet complete. Only its reporter, answering our « fiche
    incomplète » mail, may complete it: anyone else would be sent the fiche back and could
    route it anywhere. Their reply changes nothing and is sent nothing; a reply that only
    claims the reporter's address gets them, at that address, how to do it."""
    why = _not_the_reporter(rt, info, ticket)
    if why is None:
        _corrected_fiche(rt, info, row, ticket, result, raw)
        return
    _event(
        rt,
        info,
        row,
        ticket,
        "completion_refused",
        reason=why,
        problem=author_problem(info.from_fields),
    )
    if why in ("no_token", "unauthenticated") and info.sender == ticket.get("reporter_email"):
        _explain(rt, info, row, ticket, why)


def _not_the_reporter(rt: Runtime, info: MessageInfo, ticket: dict[str, Any]) -> str | None:
    """Why this reply is not proven to come from the fiche's reporter (None when it is)."""
    if author_problem(info.from_fields):
        return "ambiguous_from"
    reporter = (ticket.get("reporter_email") or "").lower()
    tokens = _ticket_tokens(info, ticket, completion=True)
    if not (reporter and info.sender == reporter):
        return "token_other_address" if tokens else "not_the_reporter"
    if not any(verify(rt.secret, t, reporter) for t in tokens):
        return "no_token"
    authserv = rt.settings.require_authenticated_replies
    if authserv and not authenticated(info.auth_results, authserv, info.sender):
        return "unauthenticated"
    return None


def _decision(
    rt: Runtime, info: MessageInfo, row: int, ticket: dict[str, Any], result: ReplyResult
) -> None:
    round_ = ticket["approval_round"]
    tokens = _ticket_tokens(info, ticket, completion=False)
    if problem := author_problem(info.from_fields):
        # Who wrote it is in doubt: no decision, and nobody to explain it to.
        _event(
            rt,
            info,
            row,
            ticket,
            "decision_refused",
            reason="ambiguous_from",
            problem=problem,
            decision=result.decision,
        )
        return
    mine = [t for t in tokens if verify(rt.secret, t, info.sender)]
    current = [t for t in mine if t.round == round_]
    approval = next(
        (a for a in rt.store.approvals(ticket["id"], round_) if a["approver"] == info.sender), None
    )
    authserv = rt.settings.require_authenticated_replies
    if current and authserv and not authenticated(info.auth_results, authserv, info.sender):
        _event(
            rt,
            info,
            row,
            ticket,
            "decision_refused",
            reason="unauthenticated",
            decision=result.decision,
        )
        _explain(rt, info, row, ticket, "unauthenticated")
        return
    if approval is None or approval["status"] != "open" or not current:
        why = _refusal_reason(ticket, tokens, mine, approval)
        _event(rt, info, row, ticket, "decision_refused", reason=why, decision=result.decision)
        if _is_known_colleague(rt, info.sender, ticket):
            _explain(rt, info, row, ticket, why)
        return
    if result.decision is None:
        _event(
            rt, info, row, ticket, "decision_unclear", comment=result.comment, why=result.decided_by
        )
        if not approval["clarification_at"]:
            rt.store.update_approval(approval["id"], clarification_at=rt.now_iso())
            question = to_approver(rt.rules, ticket, info.sender, approval_request.QUESTION)
            send_request(
                rt,
                ticket,
                question,
                round_,
                message_row=row,
                extra={"answer": result.comment or ""},
                procedure=False,
            )
        return
    record_decision(
        rt,
        ticket,
        approval,
        result.decision,
        result.comment,
        message_row=row,
        words=result.decided_by,
    )


def _refusal_reason(
    ticket: dict[str, Any],
    tokens: list[Token],
    mine: list[Token],
    approval: dict[str, Any] | None,
) -> str:
    """Why a reply could not decide, as a code the explanation template turns into French."""
    if approval is not None and approval["status"] == "decided":
        return "already_decided"
    if mine and all(t.round < ticket["approval_round"] for t in mine):
        return "stale_round"
    if tokens and not mine:
        return "token_other_address"
    return "no_token"


def _is_known_colleague(rt: Runtime, address: str, ticket: dict[str, Any]) -> bool:
    if not address:
        return False
    people = {(ticket.get("reporter_email") or "").lower(), rt.rules.rules.queue.lower()}
    people.update(ticket["approvers"] or [], ticket["recipients"] or [])
    return address in people or rt.rules.directory.knows(address)


def _explain(rt: Runtime, info: MessageInfo, row: int, ticket: dict[str, Any], why: str) -> None:
    """Why the reply did not count; one per ticket and day at most, so forged replies cannot
    fill anyone's mailbox (nor the daily cap of answers to their address)."""
    since = (rt.clock() - dt.timedelta(days=1)).isoformat()
    if rt.store.queued_since(ticket["id"], reply_not_counted.TEMPLATE, since):
        return
    mail = rt.mails.make(
        reply_not_counted.TEMPLATE,
        to=[info.sender],
        context=reply_not_counted.context(ticket, why),
        ref=ticket["ref"],
        ticket_id=ticket["id"],
        message_row=row,
        in_reply_to=info.message_id or None,
    )
    queue_mail(rt, mail, ticket["id"])


def _corrected_fiche(
    rt: Runtime,
    info: MessageInfo,
    row: int,
    ticket: dict[str, Any],
    result: ReplyResult,
    raw: bytes,
) -> None:
    """The reporter answers our "incomplete fiche" mail: read the answer as a new fiche."""
    from intake.worker.outcomes import register_fiche, reject_again

    # Without a reference prefix the parser does not see a reply, only what the mail holds.
    as_new = classify(raw, dataclasses.replace(rt.parse_context, reference_prefix=""))
    if isinstance(as_new, FicheResult) and as_new.fiches:
        _event(rt, info, row, ticket, "fiche_corrected")
        register_fiche(rt, info, row, as_new.fiches[0], as_new, existing=ticket)
    elif isinstance(as_new, InvalidResult) and any(e.field for e in as_new.errors):
        reject_again(rt, info, row, ticket, as_new)
    else:
        _event(rt, info, row, ticket, "comment", decision=result.decision, comment=result.comment)
