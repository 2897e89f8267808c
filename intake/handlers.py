"""Act on a classified message: each handler commits everything it causes in one transaction."""

from __future__ import annotations

import logging
from typing import Any

from intake.headers import MessageInfo
from intake.runtime import Runtime
from intake.tickets import enqueue_forwarding, fiche_record, mail_context, new_reference
from outbox.fiche_view import LABELS
from parsers.model import FicheResult, IgnoredResult, InvalidResult, ReplyResult
from rules.engine import route

log = logging.getLogger(__name__)


def handle_fiches(rt: Runtime, info: MessageInfo, row: int, result: FicheResult) -> list[str]:
    refs: list[str] = []
    now = rt.clock()
    with rt.store.transaction():
        for index, fiche in enumerate(result.fiches):
            if rt.store.ticket_for_fiche(row, index):
                continue  # already made by an earlier run that stopped before the move
            routing = route(fiche, rt.rules)
            ref, seq = new_reference(rt, now.year)
            status = "pending_approval" if routing.approval_required else "forwarded"
            record: dict[str, Any] = {
                **fiche_record(fiche),
                "ref": ref,
                "year": now.year,
                "seq": seq,
                "status": status,
                "message_row": row,
                "fiche_index": index,
                "warnings": [w.model_dump() for w in result.warnings],
                "rule_id": routing.rule,
                "rules_version": routing.rules_version,
                "approvers": routing.approvers,
                "recipients": routing.recipients + routing.cc,
                "redactions": routing.redactions,
                "created_at": now.isoformat(),
                "updated_at": now.isoformat(),
            }
            ticket_id = rt.store.insert_ticket(record)
            ticket = rt.store.ticket(ticket_id)
            rt.store.add_event(
                at=now.isoformat(),
                actor=info.sender or "unknown",
                kind="ticket_created",
                ticket_id=ticket_id,
                message_row=row,
                status=status,
                source=fiche.source,
            )
            rt.store.add_event(
                at=now.isoformat(),
                actor="rules",
                kind="routed",
                ticket_id=ticket_id,
                rule=routing.rule,
                rules_version=routing.rules_version,
                approvers=routing.approvers,
                recipients=routing.recipients,
                trace=[
                    f"{t.rule}: {'hit' if t.matched else 'miss'} ({t.why})" for t in routing.trace
                ],
            )
            _enqueue_acknowledgement(rt, info, row, ticket, result, routing.approval_required)
            if routing.approval_required:
                _enqueue_approval_requests(rt, row, ticket)
            else:
                enqueue_forwarding(rt, ticket, message_row=row)
            refs.append(ref)
        rt.store.mark_message(row, status="processed", kind="fiche", processed_at=now.isoformat())
    return refs


def _enqueue_acknowledgement(
    rt: Runtime,
    info: MessageInfo,
    row: int,
    ticket: dict[str, Any],
    result: FicheResult,
    approval_required: bool,
) -> None:
    reporter = (ticket.get("reporter_email") or info.reply_to or "").lower()
    if not reporter:
        return
    # A forwarded fiche: the reporter is its author, the person who forwarded it is copied.
    cc = [info.reply_to] if info.reply_to and info.reply_to != reporter else None
    context = {
        **mail_context(ticket),
        "routing": {"approval_required": approval_required},
        "warnings": [w.model_dump() for w in result.warnings],
    }
    mail = rt.mails.make(
        "accuse-reception",
        to=[reporter],
        cc=cc,
        context=context,
        ref=ticket["ref"],
        ticket_id=ticket["id"],
        message_row=row,
        in_reply_to=info.message_id or None,
    )
    _queue(rt, mail, ticket["id"])


def _enqueue_approval_requests(rt: Runtime, row: int, ticket: dict[str, Any]) -> None:
    redactions: dict[str, list[str]] = ticket.get("redactions") or {}
    for approver in ticket["approvers"]:
        hidden = redactions.get(approver, [])
        context = {
            **mail_context(ticket, hidden),
            "routing": {"recipients": ticket["recipients"]},
        }
        mail = rt.mails.make(
            "demande-validation",
            to=[approver],
            context=context,
            ref=ticket["ref"],
            ticket_id=ticket["id"],
            message_row=row,
            auto_submitted="auto-generated",
        )
        _queue(rt, mail, ticket["id"], hidden)


def _queue(
    rt: Runtime, mail: dict[str, Any], ticket_id: int, hidden: list[str] | None = None
) -> None:
    rt.store.enqueue(mail)
    rt.store.add_event(
        at=rt.now_iso(),
        actor="system",
        kind="mail_queued",
        ticket_id=ticket_id,
        template=mail["template"],
        to=mail["recipients"],
        hidden_fields=hidden or [],
    )


def handle_invalid(rt: Runtime, info: MessageInfo, row: int, result: InvalidResult) -> list[str]:
    now = rt.clock()
    errors = [{**e.model_dump(), "label": LABELS.get(e.field, e.field)} for e in result.errors]
    partial = {k: v for k, v in result.partial.items() if k in LABELS and v}
    with rt.store.transaction():
        existing = rt.store.ticket_for_fiche(row, 0)
        if existing:
            return [existing["ref"]]
        ref, seq = new_reference(rt, now.year)
        ticket_id = rt.store.insert_ticket(
            {
                **partial,
                "reporter_email": info.reply_to or None,
                "ref": ref,
                "year": now.year,
                "seq": seq,
                "status": "invalid",
                "message_row": row,
                "fiche_index": 0,
                "errors": errors,
                "created_at": now.isoformat(),
                "updated_at": now.isoformat(),
            }
        )
        ticket = rt.store.ticket(ticket_id)
        rt.store.add_event(
            at=now.isoformat(),
            actor=info.sender or "unknown",
            kind="ticket_invalid",
            ticket_id=ticket_id,
            message_row=row,
            errors=[e["field"] for e in errors],
        )
        if info.reply_to:
            mail = rt.mails.make(
                "fiche-invalide",
                to=[info.reply_to],
                context={**mail_context(ticket), "errors": errors},
                ref=ref,
                ticket_id=ticket_id,
                message_row=row,
                in_reply_to=info.message_id or None,
            )
            _queue(rt, mail, ticket_id)
        rt.store.mark_message(row, status="processed", kind="invalid", processed_at=now.isoformat())
    return [ref]


def handle_ignored(rt: Runtime, info: MessageInfo, row: int, result: IgnoredResult) -> list[str]:
    now = rt.now_iso()
    with rt.store.transaction():
        rt.store.add_event(
            at=now, actor="system", kind="message_ignored", message_row=row, reason=result.reason
        )
        rt.store.mark_message(
            row, status="processed", kind="ignored", error=result.reason, processed_at=now
        )
    return []


def handle_reply(rt: Runtime, info: MessageInfo, row: int, result: ReplyResult) -> list[str]:
    """A reply to one of our mails is kept on its ticket as a comment, never a new fiche."""
    now = rt.now_iso()
    ticket = rt.store.ticket_by_ref(result.ref)
    with rt.store.transaction():
        rt.store.add_event(
            at=now,
            actor=info.sender or "unknown",
            kind="reply_received" if ticket else "reply_unknown_ticket",
            ticket_id=ticket["id"] if ticket else None,
            message_row=row,
            ref=result.ref,
            decision=result.decision,
            comment=result.comment,
        )
        rt.store.mark_message(row, status="processed", kind="reply", processed_at=now)
    return [result.ref] if ticket else []
