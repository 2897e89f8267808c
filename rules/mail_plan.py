"""Who gets which mail of the procedure for a routed fiche, and what each of them may see.

`intake rules explain` shows this plan; the worker queues the acknowledgement, the approval
requests and the forwarding from it, so the two never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from rules.loader import LoadedRules
from rules.visibility import Addressed, hidden_fields

ACKNOWLEDGEMENT = "accuse-reception"
APPROVAL_REQUEST = "demande-validation"
FORWARDING = "transmission"

NOW = "now"
AFTER_APPROVAL = "after approval"


class Routed(Addressed, Protocol):
    """A routed fiche as a ticket keeps it (or as `rules explain` sees it before any ticket):
    its approvers, its recipients (the rule's recipients, then its cc) and the templates the
    rule chose (mail kind -> template)."""

    @property
    def approvers(self) -> list[str] | None: ...

    @property
    def recipients(self) -> list[str] | None: ...

    @property
    def templates(self) -> dict[str, str] | None: ...


@dataclass(frozen=True)
class RoutedFiche:
    """A fiche routed but not stored: what `rules explain` plans for."""

    reporter_email: str | None
    approvers: list[str] | None
    recipients: list[str] | None
    redactions: dict[str, list[str]] | None
    templates: dict[str, str] | None


@dataclass(frozen=True)
class PlannedMail:
    kind: str
    template: str
    to: str
    when: str
    #: The fields withheld from this mail (see rules/visibility.py).
    hidden: list[str]
    cc: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MailPlan:
    acknowledgement: PlannedMail | None
    #: Empty when the rule needs no approval.
    requests: list[PlannedMail]
    forwarding: list[PlannedMail]

    @property
    def mails(self) -> list[PlannedMail]:
        """Every planned mail, in the order they are queued."""
        first = [self.acknowledgement] if self.acknowledgement else []
        return first + self.requests + self.forwarding


def template_for(ticket: Routed, kind: str) -> str:
    """The template the ticket's routing rule chose for this kind of mail (default: the kind)."""
    return (ticket.templates or {}).get(kind, kind)


def mail_plan(
    rules: LoadedRules,
    ticket: Routed,
    *,
    approval_required: bool,
    forwarded_by: str | None = None,
) -> MailPlan:
    """The mails a newly routed fiche causes; `forwarded_by`: who sent it, when known."""
    return MailPlan(
        acknowledgement(rules, ticket, forwarded_by=forwarded_by),
        approval_requests(rules, ticket, ticket.approvers or []) if approval_required else [],
        forwarding(rules, ticket, when=AFTER_APPROVAL if approval_required else NOW),
    )


def acknowledgement(
    rules: LoadedRules, ticket: Routed, *, forwarded_by: str | None = None
) -> PlannedMail | None:
    """To the reporter, if the fiche gives one. A fiche forwarded for a colleague the
    directory knows: they are its reporter, the person who forwarded it is copied, and the
    mail shows only what both may see."""
    reporter = (ticket.reporter_email or "").lower()
    if not reporter:
        return None
    cc = [forwarded_by] if forwarded_by and forwarded_by != reporter else []
    return PlannedMail(
        ACKNOWLEDGEMENT,
        template_for(ticket, ACKNOWLEDGEMENT),
        reporter,
        NOW,
        hidden_fields(rules, ticket, [reporter, *cc]),
        cc,
    )


def approval_requests(
    rules: LoadedRules, ticket: Routed, approvers: Sequence[str]
) -> list[PlannedMail]:
    """One request per approver of a round (the rule's, or those it escalates to)."""
    template = template_for(ticket, APPROVAL_REQUEST)
    return [to_approver(rules, ticket, a, APPROVAL_REQUEST, template) for a in approvers]


def to_approver(
    rules: LoadedRules,
    ticket: Routed,
    approver: str,
    kind: str,
    template: str | None = None,
) -> PlannedMail:
    """A mail `approver` can answer by reply (a request, its reminder, a question about their
    answer), showing what that approver may see."""
    hidden = hidden_fields(rules, ticket, [approver])
    return PlannedMail(kind, template or kind, approver, NOW, hidden)


def forwarding(
    rules: LoadedRules, ticket: Routed, *, when: str = NOW
) -> list[PlannedMail]:
    """One mail per recipient, each showing only what that recipient may see."""
    template = template_for(ticket, FORWARDING)
    return [
        PlannedMail(FORWARDING, template, a, when, hidden_fields(rules, ticket, [a]))
        for a in ticket.recipients or []
    ]
