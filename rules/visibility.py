"""Which fields a recipient of a ticket's mail may see: the rules' redactions, and the 39 75
agent's name.

The policy, in one place: the name of the 39 75 agent (`agent_3975`) is shown to the 39 75
managers (the contacts of the rules' `platform` entry) and to the reporter who wrote it, never
to anyone else, whatever the rules say. The rules' `redact:` can hide more, never less.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from rules.loader import LoadedRules

AGENT_FIELD = "agent_3975"


class Addressed(Protocol):
    """What the policy reads of a ticket (or of a fiche routed but not stored): whose fiche
    it is, and what the rules withhold from whom (address -> fields)."""

    @property
    def reporter_email(self) -> str | None: ...

    @property
    def redactions(self) -> dict[str, list[str]] | None: ...


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
    redactions = ticket.redactions or {}
    hidden: set[str] = set()
    for address in recipients:
        hidden.update(redactions.get(address, []) + redactions.get(address.lower(), []))
        if not may_see_agent(rules, ticket, address):
            hidden.add(AGENT_FIELD)
    return sorted(hidden)
