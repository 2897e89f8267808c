"""Who may see the 39 75 agent's name, and which stored columns hold personal data.

The policy, in one place: the name of the 39 75 agent (`agent_3975`) is shown to the 39 75
managers (the contacts of the rules' `platform` entry) and to the reporter who wrote it, never
to anyone else, whatever the rules say. The rules' `redact:` can hide more, never less.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from intake.privacy.masking import mask_name
from parsers.model import PERSONAL_FIELDS
from rules.loader import LoadedRules

AGENT_FIELD = "agent_3975"

#: Ticket fields that name a person (the fiche's, plus free text that may name one).
FREE_TEXT_FIELDS: tuple[str, ...] = ("description", "follow_up", "decision_reason")
PERSONAL_TICKET_FIELDS: tuple[str, ...] = tuple(sorted(PERSONAL_FIELDS)) + FREE_TEXT_FIELDS

#: Text kept after `intake purge` (for statistics, the anonymous view and exports), stored
#: with every form of the 39 75 agent's name masked (intake/privacy/masking.py). An invalid fiche
#: keeps even its date, time and category as written.
KEPT_FREE_TEXT: tuple[str, ...] = (
    "service",
    "call_date",
    "call_time",
    "category",
    "caller_request",
    "expected_service",
    "wrong_information",
)

#: Every stored column holding personal data: erased by `intake purge`, left out of exports
#: without --with-personal-data, hidden from Datasette by config/datasette-metadata.yaml.
PERSONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "tickets": PERSONAL_TICKET_FIELDS,
    "messages": ("raw", "sender", "subject"),
    "outbox": ("raw", "recipients", "delivered_to", "last_error"),
    "events": ("actor", "detail"),
    "approvals": ("reason",),
}


def without_agent_name(record: dict[str, Any]) -> dict[str, Any]:
    """`record` (a fiche's fields) with the agent's name masked in the kept free text."""
    name = record.get(AGENT_FIELD)
    return {
        k: mask_name(v, name) if k in KEPT_FREE_TEXT and isinstance(v, str) else v
        for k, v in record.items()
    }


class Addressed(Protocol):
    """What the policy reads of a ticket (intake/store/records.py): whose fiche it is, and
    what the rules withhold from whom."""

    @property
    def reporter_email(self) -> str | None: ...

    @property
    def redactions(self) -> dict[str, list[str]] | None: ...


@dataclass(frozen=True)
class Routed:
    """A fiche routed but not stored, as the policy sees it (`rules explain`)."""

    reporter_email: str | None
    redactions: dict[str, list[str]] | None


def platform_managers(rules: LoadedRules) -> list[str]:
    """The 39 75 managers: contacts of the `platform` directory entry (else the queue)."""
    entry = rules.directory.get(rules.rules.platform)
    contacts = [a.lower() for a in entry.contacts] if entry else []
    return contacts or [rules.rules.queue.lower()]


def may_see_agent(rules: LoadedRules, ticket: Addressed, address: str) -> bool:
    address = address.lower()
    reporter = (ticket.reporter_email or "").lower()
    return address == reporter or address in platform_managers(rules)


def hidden_fields(
    rules: LoadedRules, ticket: Addressed, recipients: Iterable[str]
) -> list[str]:
    """Fields withheld from a mail to `recipients`: what the rules redact for any of them, and
    the 39 75 agent's name unless every one of them may see it (one mail, one content)."""
    redactions: dict[str, list[str]] = ticket.redactions or {}
    hidden: set[str] = set()
    for address in recipients:
        hidden.update(redactions.get(address, []) + redactions.get(address.lower(), []))
        if not may_see_agent(rules, ticket, address):
            hidden.add(AGENT_FIELD)
    return sorted(hidden)
