"""The weekly digest to the 39 75 managers: the week's figures, a chart, the wrong information
reported (grouped by topic, so the 39 75's own information can be corrected) and the wrong
transfers (so the transfer directory can be). Anonymous facts only, like `intake stats`."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from intake.errors import IntakeError
from intake.reports.stats import anonymous_tickets, compute, information_reports, week_of
from intake.reports.topics import group_topics
from intake.runtime import Runtime
from intake.store.audit import digest_queued
from intake.store.records import TicketStatus
from outbox.chart import SERIES, weekly_chart
from outbox.fiche_view import CATEGORY_LABELS
from parsers.directory import Directory
from rules.visibility import platform_managers

TEMPLATE = "digest-hebdo"
WEEKS_SHOWN = 8


def monday_of(week: str) -> dt.date:
    """`2026-W11` -> the Monday of that ISO week."""
    match = re.fullmatch(r"(\d{4})-W(\d{2})", week)
    try:
        if match is None:
            raise ValueError(week)
        return dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError as exc:
        raise IntakeError(f"week {week!r}: write it as YYYY-Www, e.g. 2026-W11") from exc


def previous_week(now: dt.datetime) -> str:
    year, week, _ = (now.date() - dt.timedelta(days=7)).isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Digest:
    week: str
    context: dict[str, Any]
    chart: bytes


def _name(directory: Directory, key: str) -> str:
    entry = directory.get(key)
    return entry.name if entry else key


def build_digest(rt: Runtime, week: str) -> Digest:
    monday = monday_of(week)
    sunday = monday + dt.timedelta(days=6)
    directory = rt.rules.directory
    data = compute(rt.store, since=monday, until=sunday, by="category", directory=directory)
    first = monday - dt.timedelta(weeks=WEEKS_SHOWN - 1)
    history = anonymous_tickets(rt.store, first, sunday)
    weeks = [week_of((first + dt.timedelta(weeks=i)).isoformat()) for i in range(WEEKS_SHOWN)]
    counts = {c: [0] * WEEKS_SHOWN for c in SERIES}
    for t in history:
        if t.category in counts and t.status != TicketStatus.INVALID:
            counts[t.category][weeks.index(week_of(t.created_at))] += 1
    chart = weekly_chart(weeks, counts, f"Fiches reçues par semaine, jusqu'à {week}")
    this_week = [t for t in history if week_of(t.created_at) == week]
    by_ref = {t.ref: t for t in this_week}
    topics = [
        {
            "keyword": topic.keyword,
            "count": topic.count,
            "reports": [
                {
                    "ref": ref,
                    "service": _name(directory, by_ref[ref].service_id or "")
                    if by_ref[ref].service_id
                    else by_ref[ref].service,
                    "wrong_information": by_ref[ref].wrong_information,
                    "caller_request": by_ref[ref].caller_request,
                }
                for ref in topic.refs
            ],
        }
        for topic in group_topics(information_reports(this_week))
    ]
    context = {
        "week": week,
        "monday": monday.strftime("%d/%m/%Y"),
        "sunday": sunday.strftime("%d/%m/%Y"),
        "totals": data["totals"],
        "categories": [
            {"label": CATEGORY_LABELS.get(g["group"], g["group"]), **g} for g in data["groups"]
        ],
        "transfers": [
            {
                **p,
                "from_name": _name(directory, p["from"]),
                "expected_name": _name(directory, p["expected"]),
            }
            for p in data["wrong_transfers"]
        ],
        "topics": topics,
        "chart_cid": f"chart.{week}@{rt.mails.domain}",
    }
    return Digest(week, context, chart)


def queue_digest(rt: Runtime, digest: Digest, *, actor: str) -> int:
    """Into the outbox for the 39 75 managers, with an audit event."""
    to = platform_managers(rt.rules)
    mail = rt.mails.make(
        TEMPLATE,
        to=to,
        context=digest.context,
        ref=None,
        ticket_id=None,
        message_row=None,
        auto_submitted="auto-generated",
        html=True,
        images={digest.context["chart_cid"]: digest.chart},
    )
    with rt.store.transaction():
        mail_id = rt.store.enqueue(mail)
        rt.store.add_event(
            at=rt.now_iso(), actor=actor, kind="digest_queued", week=digest.week, to=to
        )
    return mail_id


def weekly_digest(rt: Runtime) -> None:
    """The scheduled job: last week's digest, once."""
    week = previous_week(rt.clock())
    if not digest_queued(rt.store, week):
        queue_digest(rt, build_digest(rt, week), actor="system")
