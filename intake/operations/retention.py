"""Retention: after `retention_days`, erase the personal data of closed tickets, keep the facts.

A ticket is due when it is closed (forwarded, rejected or invalid) and nothing happened to it
for `retention_days`. Its personal fields, the raw messages it came from or that answered it
(and their attachments, which live inside the raw bytes), the bytes and addresses of the mails
sent for it and the names in its audit trail are erased; service, category, dates, times,
expected service, the wrong-information text, status and decision times stay for statistics.
Every erased row is marked with `purged_at`. A message with no ticket (an auto-reply, a reply
to an unknown reference) is due `retention_days` after it was received.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from typing import Any

from intake.config.settings import Settings
from intake.privacy.masking import mask_all, mask_name, names_in
from intake.privacy.policy import KEPT_FREE_TEXT, PERSONAL_TICKET_FIELDS
from intake.store import retention_queries as queries
from intake.store.database import Store
from intake.store.records import Ticket, TicketStatus

CLOSED = (TicketStatus.FORWARDED, TicketStatus.REJECTED, TicketStatus.INVALID)
ERASED = "(effacé)"
#: Event detail keys holding someone's own words: dropped whole.
FREE_TEXT_KEYS = frozenset({"comment", "reason", "answer"})


@dataclass
class PurgePlan:
    cutoff: str
    tickets: dict[int, str] = field(default_factory=dict)  # id -> reference
    messages: list[int] = field(default_factory=list)
    mails: list[int] = field(default_factory=list)
    events: list[int] = field(default_factory=list)
    approvals: list[int] = field(default_factory=list)
    #: Past the delay but still waiting for a decision: kept until it is closed.
    waiting: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "tickets": len(self.tickets),
            "messages": len(self.messages),
            "mails": len(self.mails),
            "events": len(self.events),
            "approvals": len(self.approvals),
        }


def outbox_folder(settings: Settings) -> Path | None:
    """The dir:// outbox, whose .eml files are copies of sent mail; None for SMTP."""
    if settings.outbox.startswith("dir://"):
        return settings.path(settings.outbox.removeprefix("dir://"))
    return None


def plan_purge(store: Store, now: dt.datetime, retention_days: int) -> PurgePlan:
    """What a purge at `now` would erase; changes nothing."""
    cutoff = (now - dt.timedelta(days=retention_days)).isoformat()
    plan = PurgePlan(cutoff)
    for ticket_id, ref, status in queries.untouched_tickets(store, cutoff):
        if status in CLOSED:
            plan.tickets[ticket_id] = ref
        else:
            plan.waiting.append(ref)
    # A message goes when it is old enough and every ticket it made or answered goes too.
    kept = queries.unpurged_tickets(store) - set(plan.tickets)
    links = queries.tickets_of_messages(store)
    old = queries.messages_received_before(store, cutoff)
    plan.messages = [m for m in old if not links.get(m, set()) & kept]
    tickets, messages = list(plan.tickets), plan.messages
    plan.mails = queries.mails_of(store, tickets, messages)
    plan.events = queries.events_of(store, tickets, messages)
    plan.approvals = queries.approvals_of(store, tickets)
    return plan


def _names(store: Store, plan: PurgePlan) -> dict[int | None, set[str]]:
    """Per ticket (None: any), the strings that identify its people. Approvers are left out:
    who decided, from the directory, stays in the audit trail."""
    names: dict[int | None, set[str]] = {}
    for ticket_id in plan.tickets:
        ticket = store.ticket(ticket_id)
        names[ticket_id] = {
            str(v).lower()
            for v in (ticket.agent_3975, ticket.reporter_name, ticket.reporter_email)
            if v
        }
    approvers = {a.lower() for a in queries.approvers_of(store, list(plan.tickets))}
    for sender, made in queries.senders_of(store, plan.messages):
        name, address = parseaddr(sender or "")
        if address and address.lower() not in approvers:
            names.setdefault(made, set()).update(v.lower() for v in (name, address) if v)
    everyone = set().union(*names.values()) if names else set()
    names[None] = everyone
    return {k: {n for n in v if len(n) >= 3} for k, v in names.items()}


def scrub(value: Any, names: set[str], agents: Iterable[str] = ()) -> Any:
    """`value` with every string naming one of `names`, or any form of one of the 39 75
    `agents`' names, replaced; free-text keys dropped."""
    if isinstance(value, str):
        folded = value.lower()
        named = any(n in folded for n in names) or any(names_in(value, a) for a in agents)
        return ERASED if named else value
    if isinstance(value, list):
        return [scrub(v, names, agents) for v in value]
    if isinstance(value, dict):
        return {
            k: None if k in FREE_TEXT_KEYS else scrub(v, names, agents) for k, v in value.items()
        }
    return value


def _kept_without_agent(ticket: Ticket, agent: str | None) -> dict[str, Any]:
    """What stays of a ticket, with every form of the agent's name masked: the kept free
    text (masked on arrival already, unless stored before that) and the problems of an
    invalid fiche, which may quote what was written."""
    stored = ticket.as_dict()
    kept = {c: mask_name(stored[c], agent) for c in KEPT_FREE_TEXT if stored[c]}
    return {**kept, "errors": mask_all(ticket.errors, agent)}


def purge(store: Store, plan: PurgePlan, *, now: str, actor: str, outbox_dir: Path | None) -> None:
    """Erase what `plan` lists, in one transaction, then make sure SQLite keeps no copy."""
    names, agents = _names(store, plan), queries.agents_of(store, list(plan.tickets))
    files: list[Path] = []
    queries.overwrite_freed_space(store)
    with store.transaction():
        for mail_id in plan.mails:
            where = queries.delivered_to(store, mail_id)
            if outbox_dir and where and Path(where).parent.resolve() == outbox_dir.resolve():
                files.append(Path(where))
            store.update_mail(
                mail_id, raw=b"", recipients="[]", delivered_to=None, last_error=None, purged_at=now
            )
        for message_id in plan.messages:
            # `error` may quote the fiche (a quarantined message's exception).
            store.mark_message(
                message_id, raw=None, sender=None, subject=None, error=None, purged_at=now
            )
        for event_id in plan.events:
            ticket_id, actor_was, detail = queries.event(store, event_id)
            who = names.get(ticket_id, set()) | names[None]
            agent = [agents[ticket_id]] if ticket_id in agents else list(agents.values())
            queries.rewrite_event(
                store,
                event_id,
                actor=scrub(actor_was, who, agent),
                detail=scrub(detail, who, agent),
                purged_at=now,
            )
        for approval_id in plan.approvals:
            store.update_approval(approval_id, reason=None, purged_at=now)
        for ticket_id, ref in plan.tickets.items():
            store.update_ticket(
                ticket_id,
                **_kept_without_agent(store.ticket(ticket_id), agents.get(ticket_id)),
                **{f: None for f in PERSONAL_TICKET_FIELDS},
                purged_at=now,
            )
            store.add_event(
                at=now,
                actor=actor,
                kind="personal_data_erased",
                ticket_id=ticket_id,
                fields=list(PERSONAL_TICKET_FIELDS),
                ref=ref,
            )
        store.add_event(
            at=now,
            actor=actor,
            kind="purge",
            cutoff=plan.cutoff,
            refs=sorted(plan.tickets.values()),
            **plan.counts(),
        )
    queries.truncate_log(store)
    for path in files:
        path.unlink(missing_ok=True)
