"""The rows of the store as typed records: tickets, their approvals (each with the statuses
it goes through), and the sent mails a reply or a report is matched against.

Records are frozen dataclasses, not pydantic models: a row comes from our own database and was
checked when its fiche was, so reading it back needs no validation, only types a reader and
mypy can follow (and a dataclass costs nothing on the worker's hot path). A change is written
with `Store.update_ticket` and read again, never made on the record.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class TicketStatus(StrEnum):
    """A ticket's status, stored and shown as its value: `invalid`, or `pending_approval`
    then `approved` then `forwarded` | `rejected` (or `forwarded` at once, without approval)."""

    #: The sender was told what to fix; a corrected fiche completes the ticket.
    INVALID = "invalid"
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"
    FORWARDED = "forwarded"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True, kw_only=True)
class Ticket:
    """One row of `tickets`, its JSON columns decoded; fields in the table's column order."""

    id: int
    ref: str
    year: int
    seq: int
    status: TicketStatus
    message_row: int
    fiche_index: int
    service: str | None = None
    service_id: str | None = None
    reporter_name: str | None = None
    reporter_email: str | None = None
    call_date: str | None = None
    call_time: str | None = None
    category: str | None = None
    agent_3975: str | None = None
    caller_request: str | None = None
    expected_service: str | None = None
    wrong_information: str | None = None
    description: str | None = None
    follow_up: str | None = None
    source: str | None = None
    #: {field, message, label} of each problem of an invalid fiche.
    errors: list[dict[str, Any]] | None = None
    #: {field, message} of each warning.
    warnings: list[dict[str, Any]] | None = None
    rule_id: str | None = None
    rules_version: str | None = None
    approvers: list[str] | None = None
    recipients: list[str] | None = None
    #: address -> fields withheld from that address.
    redactions: dict[str, list[str]] | None = None
    created_at: str
    updated_at: str | None = None
    approval_round: int | None = None
    reminder_hours: int | None = None
    escalate_hours: int | None = None
    escalate_to: list[str] | None = None
    decided_at: str | None = None
    decision_reason: str | None = None
    purged_at: str | None = None
    #: mail kind -> template the routing rule chose.
    templates: dict[str, str] | None = None
    relay_to: list[str] | None = None

    def as_dict(self) -> dict[str, Any]:
        """The row as templates, JSON and tables see it: every column, in the table's order,
        the status as its plain text."""
        row = {name: getattr(self, name) for name in _TICKET_FIELDS}
        row["status"] = self.status.value
        return row


_TICKET_FIELDS = tuple(f.name for f in dataclasses.fields(Ticket))


@dataclass(frozen=True, slots=True, kw_only=True)
class AnonymousTicket:
    """One row of the `tickets_anonymous` view: the facts kept for statistics, no person."""

    id: int
    ref: str
    status: TicketStatus
    category: str | None
    service: str | None
    service_id: str | None
    call_date: str | None
    call_time: str | None
    caller_request: str | None
    expected_service: str | None
    wrong_information: str | None
    rule_id: str | None
    approval_round: int | None
    created_at: str
    decided_at: str | None
    updated_at: str | None
    purged_at: str | None


class ApprovalStatus(StrEnum):
    """An approval's status, stored as its value: `open` while its approver may decide, then
    `decided` by their answer or `superseded` (another approver of the round decided, or the
    round was escalated)."""

    OPEN = "open"
    DECIDED = "decided"
    SUPERSEDED = "superseded"


@dataclass(frozen=True, slots=True, kw_only=True)
class Approval:
    """One row of `approvals`: one approver asked in one round of a ticket."""

    id: int
    ticket_id: int
    round: int
    approver: str
    status: ApprovalStatus
    requested_at: str
    reminded_at: str | None = None
    #: When the approver was asked again after an answer that decided nothing.
    clarification_at: str | None = None
    decided_at: str | None = None
    #: `approve` or `reject`, once decided.
    decision: str | None = None
    reason: str | None = None
    purged_at: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SentMail:
    """A mail of the outbox handed over, as a reply or a delivery failure report quoting its
    Message-ID finds it: only whom it went to, in lower case as addresses are compared, and
    its ticket (the delivery's `QueuedMail` carries the recipients as written, and the bytes)."""

    id: int
    ticket_id: int | None
    recipients: list[str]
