"""What each parse result makes: a fiche becomes a ticket, an invalid one is answered, an ignored
message is recorded; each commits everything it causes in one transaction."""

from __future__ import annotations

from collections import Counter
from typing import Any

from intake.mails import acknowledgement, invalid
from intake.mails.enqueue import queue_mail
from intake.mails.forwarding import queue_forwarding
from intake.privacy.policy import without_agent_name
from intake.runtime import Runtime
from intake.sources.envelope import MessageInfo
from intake.store.records import Ticket, TicketStatus
from intake.tickets.fields import fiche_record, new_reference
from intake.tickets.rounds import open_round
from intake.tickets.tokens import COMPLETION_ROUND, make_token
from outbox.fiche_view import LABELS
from parsers.model import Fiche, FicheRead, FicheResult, FieldError, IgnoredResult, InvalidResult
from rules.engine import route
from rules.mail_plan import PlannedMail, mail_plan
from rules.visibility import hidden_fields


def handle_fiches(rt: Runtime, info: MessageInfo, row: int, result: FicheResult) -> list[str]:
    refs: list[str] = []
    with rt.store.transaction():
        for index, fiche in enumerate(result.fiches):
            if rt.store.ticket_for_fiche(row, index):
                continue  # already made by an earlier run that stopped before the move
            refs.append(register_fiche(rt, info, row, fiche, result, index=index))
        rt.store.mark_message(row, status="processed", kind="fiche", processed_at=rt.now_iso())
    return refs


def register_fiche(
    rt: Runtime,
    info: MessageInfo,
    row: int,
    fiche: Fiche,
    result: FicheResult,
    *,
    index: int = 0,
    existing: Ticket | None = None,
) -> str:
    """Route a valid fiche and queue what follows; `existing` is an invalid ticket now fixed."""
    now = rt.clock()
    written = fiche.reporter_email
    fiche = fiche.model_copy(update={"reporter_email": correspondent(rt, info, fiche)})
    replaced = (written or "").lower() not in ("", fiche.reporter_email)
    notes = [not_written_to(written)] if replaced else []
    routing = route(fiche, rt.rules)
    read = _read(result, index)
    record: dict[str, Any] = {
        **fiche_record(fiche),
        "status": (
            TicketStatus.PENDING_APPROVAL if routing.approval_required else TicketStatus.FORWARDED
        ),
        "errors": None,
        "warnings": [w.model_dump() for w in read.warnings],
        "rule_id": routing.rule,
        "rules_version": routing.rules_version,
        "approvers": routing.approvers,
        "recipients": routing.recipients + routing.cc,
        "redactions": routing.redactions,
        "reminder_hours": routing.reminder_hours,
        "escalate_hours": routing.escalate_hours,
        "escalate_to": routing.escalate_to,
        "templates": routing.templates,
        "relay_to": routing.relay_to,
        "updated_at": now.isoformat(),
    }
    if existing is None:
        ref, seq = new_reference(rt, now.year)
        ticket_id = rt.store.insert_ticket(
            {
                **record,
                "ref": ref,
                "year": now.year,
                "seq": seq,
                "message_row": row,
                "fiche_index": index,
                "created_at": now.isoformat(),
            }
        )
    else:
        ticket_id = existing.id
        rt.store.update_ticket(ticket_id, **record)
    ticket = rt.store.ticket(ticket_id)
    rt.store.add_event(
        at=now.isoformat(),
        actor=info.sender or "unknown",
        kind="ticket_created" if existing is None else "ticket_completed",
        ticket_id=ticket_id,
        message_row=row,
        status=ticket.status,
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
        trace=[f"{t.rule}: {'hit' if t.matched else 'miss'} ({t.why})" for t in routing.trace],
    )
    plan = mail_plan(
        rt.rules,
        ticket,
        approval_required=routing.approval_required,
        forwarded_by=info.reply_to or None,
    )
    if plan.acknowledgement is not None:
        _acknowledge(
            rt,
            info,
            row,
            ticket,
            plan.acknowledgement,
            result,
            read,
            routing.approval_required,
            first=index == 0,
            notes=notes,
        )
    if routing.approval_required:
        open_round(rt, ticket, plan.requests, 1, message_row=row)
    else:
        queue_forwarding(rt, ticket, plan.forwarding, message_row=row)
    return str(ticket.ref)


def _read(result: FicheResult, index: int) -> FicheRead:
    """How fiche `index` was read, with its own warnings and the mail's (an attachment that
    could not be read), not those of the other fiches of the same mail."""
    if index >= len(result.read):  # a result made before readings were kept
        return FicheRead(warnings=result.warnings)
    of_fiches = Counter((w.field, w.message) for r in result.read for w in r.warnings)
    of_mail: list[FieldError] = []
    for w in result.warnings:
        if of_fiches[(w.field, w.message)]:
            of_fiches[(w.field, w.message)] -= 1
        else:
            of_mail.append(w)
    own = result.read[index]
    return FicheRead(
        written=own.written, warnings=[*own.warnings, *of_mail], read_from=own.read_from
    )


def correspondent(rt: Runtime, info: MessageInfo, fiche: Fiche) -> str | None:
    """Whom the ticket's mails to its reporter go to: the address the fiche gives when it is
    the sender's or one the directory knows, else the sender. An address merely written in
    a fiche (a row of a spreadsheet, a forwarded text) never gets our mail: one message
    could otherwise make us write to thousands of strangers."""
    written = (fiche.reporter_email or "").lower()
    if written and (written == info.reply_to or rt.rules.directory.knows(written)):
        return written
    return info.reply_to or None


def not_written_to(address: str | None) -> FieldError:
    return FieldError(
        field="reporter_email",
        message=(
            f"L'adresse « {address} » indiquée comme courriel de l'agent déclarant ne reçoit pas "
            "nos messages : elle n'est pas celle de l'expéditeur et ne figure pas dans "
            "l'annuaire. Les messages sur cette fiche vous sont adressés."
        ),
    )


def _acknowledge(
    rt: Runtime,
    info: MessageInfo,
    row: int,
    ticket: Ticket,
    planned: PlannedMail,
    result: FicheResult,
    read: FicheRead,
    approval_required: bool,
    *,
    first: bool,
    notes: list[FieldError],
) -> None:
    entry = rt.rules.directory.get(ticket.service_id)
    context = acknowledgement.context(
        ticket,
        planned.hidden,
        read.model_copy(update={"warnings": [*read.warnings, *notes]}),
        official_service=entry.name if entry is not None else None,
        approval_required=approval_required,
        # Rows of the same email that could not be registered: told once, with the first.
        rejected=[r.model_dump() for r in result.rejected] if first else [],
    )
    mail = rt.mails.make(
        planned.template,
        to=[planned.to],
        cc=planned.cc or None,
        context=context,
        ref=ticket.ref,
        ticket_id=ticket.id,
        message_row=row,
        in_reply_to=info.message_id or None,
    )
    queue_mail(rt, mail, ticket.id, planned.hidden)


def handle_invalid(rt: Runtime, info: MessageInfo, row: int, result: InvalidResult) -> list[str]:
    now = rt.clock()
    partial = without_agent_name({k: v for k, v in result.partial.items() if k in LABELS and v})
    with rt.store.transaction():
        existing = rt.store.ticket_for_fiche(row, 0)
        if existing:
            return [existing.ref]
        ref, seq = new_reference(rt, now.year)
        ticket_id = rt.store.insert_ticket(
            {
                **partial,
                "reporter_email": info.reply_to or None,
                "ref": ref,
                "year": now.year,
                "seq": seq,
                "status": TicketStatus.INVALID,
                "message_row": row,
                "fiche_index": 0,
                "created_at": now.isoformat(),
                "updated_at": now.isoformat(),
            }
        )
        reject_again(rt, info, row, rt.store.ticket(ticket_id), result)
        rt.store.mark_message(row, status="processed", kind="invalid", processed_at=now.isoformat())
    return [ref]


def reject_again(
    rt: Runtime, info: MessageInfo, row: int, ticket: Ticket, result: InvalidResult
) -> None:
    """Record the problems on the ticket and tell its reporter, in French, how to fix them.

    The reporter is the address the first answer went to (the sender's). The answer carries
    a token made for that address: only a reply to it, from it, completes the fiche."""
    errors = [{**e.model_dump(), "label": LABELS.get(e.field, e.field)} for e in result.errors]
    rt.store.update_ticket(ticket.id, errors=errors, updated_at=rt.now_iso())
    rt.store.add_event(
        at=rt.now_iso(),
        actor=info.sender or "unknown",
        kind="ticket_invalid",
        ticket_id=ticket.id,
        message_row=row,
        errors=[e["field"] for e in errors],
    )
    reporter = ticket.reporter_email
    if not reporter:
        return
    hidden = hidden_fields(rt.rules, ticket, [reporter])
    token = make_token(rt.secret, ticket.id, reporter, COMPLETION_ROUND)
    mail = rt.mails.make(
        invalid.TEMPLATE,
        to=[reporter],
        context=invalid.context(ticket, hidden, errors),
        ref=ticket.ref,
        ticket_id=ticket.id,
        message_row=row,
        in_reply_to=info.message_id or None,
        tag=token.tag,
    )
    queue_mail(rt, mail, ticket.id, hidden)


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
