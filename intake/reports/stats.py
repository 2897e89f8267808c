"""Quality figures over anonymous ticket facts: what to fix, never who.

Everything here reads the `tickets_anonymous` view, which has no personal column: there is
no way to count by 39 75 agent, reporter or approver, by design.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from intake.reports.topics import Topic, group_topics
from intake.store.database import Store
from intake.store.records import AnonymousTicket, TicketStatus
from parsers.directory import Directory
from parsers.fold import fold
from parsers.service import resolve_service

BY_CHOICES = ("service", "category", "week")
UNKNOWN = "(inconnu)"


@dataclass(frozen=True)
class Figures:
    tickets: int
    invalid: int
    approved: int
    forwarded: int
    rejected: int
    waiting: int
    #: rejected / (approved + rejected); None when nothing was decided.
    rejection_rate: float | None
    median_hours_to_approval: float | None
    mean_hours_to_approval: float | None


def anonymous_tickets(
    store: Store, since: dt.date | None, until: dt.date | None
) -> list[AnonymousTicket]:
    """Tickets received from `since` to `until` (both included), anonymous columns only."""
    return store.anonymous_tickets(
        since.isoformat() if since else None, until.isoformat() if until else None
    )


def _hours(ticket: AnonymousTicket) -> float:
    start = dt.datetime.fromisoformat(ticket.created_at)
    return (dt.datetime.fromisoformat(str(ticket.decided_at)) - start).total_seconds() / 3600


#: Approved, whether or not it was forwarded since.
_APPROVED = (TicketStatus.APPROVED, TicketStatus.FORWARDED)


def figures(tickets: list[AnonymousTicket]) -> Figures:
    status = Counter(t.status for t in tickets)
    approved = [t for t in tickets if t.decided_at and t.status in _APPROVED]
    rejected = status[TicketStatus.REJECTED]
    hours = [_hours(t) for t in approved]
    decided = len(approved) + rejected
    return Figures(
        tickets=len(tickets),
        invalid=status[TicketStatus.INVALID],
        approved=len(approved),
        forwarded=status[TicketStatus.FORWARDED],
        rejected=rejected,
        waiting=status[TicketStatus.PENDING_APPROVAL],
        rejection_rate=round(rejected / decided, 3) if decided else None,
        median_hours_to_approval=round(statistics.median(hours), 1) if hours else None,
        mean_hours_to_approval=round(statistics.fmean(hours), 1) if hours else None,
    )


def week_of(created_at: str) -> str:
    """The ISO week (`2026-W11`) of a time or a date (ISO 8601)."""
    year, week, _ = dt.date.fromisoformat(created_at[:10]).isocalendar()
    return f"{year}-W{week:02d}"


def group_key(ticket: AnonymousTicket, by: str) -> str:
    if by == "week":
        return week_of(ticket.created_at)
    if by == "service":
        return ticket.service_id or ticket.service or UNKNOWN
    return ticket.category or UNKNOWN


def wrong_transfers(
    tickets: list[AnonymousTicket], directory: Directory | None, top: int = 10
) -> list[dict]:
    """Most frequent (service that got the call -> service it should have gone to)."""
    pairs: Counter[tuple[str, str]] = Counter()
    for t in tickets:
        if t.category != "transfer_error" or t.status == TicketStatus.INVALID:
            continue
        written = t.expected_service
        entry = resolve_service(written, directory) if directory and written else None
        expected = entry.id if entry else fold(written or "")
        pairs[(t.service_id or t.service or UNKNOWN, expected or UNKNOWN)] += 1
    return [
        {"from": a, "expected": b, "count": n}
        for (a, b), n in sorted(pairs.items(), key=lambda p: (-p[1], p[0]))[:top]
    ]


def information_reports(tickets: list[AnonymousTicket]) -> list[tuple[str, str]]:
    """(reference, text) of each valid 'information erronée' fiche: what was said, on what."""
    return [
        (t.ref, " - ".join(x for x in (t.wrong_information, t.caller_request) if x))
        for t in tickets
        if t.category == "wrong_information" and t.status != TicketStatus.INVALID
    ]


def topic_rows(topics: list[Topic], top: int = 10) -> list[dict]:
    return [{"topic": t.keyword, "count": t.count, "refs": t.refs} for t in topics[:top]]


def compute(
    store: Store,
    *,
    since: dt.date | None,
    until: dt.date | None,
    by: str | None,
    directory: Directory | None,
) -> dict[str, Any]:
    tickets = anonymous_tickets(store, since, until)
    groups: dict[str, list[AnonymousTicket]] = {}
    if by:
        for t in tickets:
            groups.setdefault(group_key(t, by), []).append(t)
    return {
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
        "totals": asdict(figures(tickets)),
        "by": by,
        "groups": [{"group": k, **asdict(figures(v))} for k, v in sorted(groups.items())],
        "wrong_transfers": wrong_transfers(tickets, directory),
        "wrong_information_topics": topic_rows(group_topics(information_reports(tickets))),
    }
