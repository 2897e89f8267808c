"""Which fields a recipient of a ticket's mail may see: the rules' redactions, and the 39 75
agent's name.

The policy, in one place: the name of the 39 75 agent (`agent_3975`) is shown to the 39 75
managers (the contacts of the rules' `platform` entry) and to the reporter who wrote it, never
to anyone else, whatever the rules say. The rules' `redact:` can hide more, never less.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rules.loader import LoadedRules

AGENT_FIELD = "agent_3975"


def platform_managers(rules: LoadedRules) -> list[str]:
    """The 39 75 managers: contacts of the `platform` directory entry (else the queue)."""
    entry = rules.directory.get(rules.rules.platform)
    contacts = [a.lower() for a in entry.contacts] if entry else []
    return contacts or [rules.rules.queue.lower()]


def may_see_agent(rules: LoadedRules, ticket: Mapping[str, Any], address: str) -> bool:
    address = address.lower()
    reporter = (ticket.get("reporter_email") or "").lower()
    return address == reporter or address in platform_managers(rules)


def hidden_fields(
    rules: LoadedRules, ticket: Mapping[str, Any], recipients: Iterable[str]
) -> list[str]:
    """Fields withheld from a mail to `recipients`: what the rules redact for any of them, and
    the 39 75 agent's name unless every one of them may see it (one mail, one content).
    `ticket`: the routed fiche's `reporter_email` and `redactions` (address -> fields)."""
    redactions: dict[str, list[str]] = ticket.get("redactions") or {}
    hidden: set[str] = set()
    for address in recipients:
        hidden.update(redactions.get(address, []) + redactions.get(address.lower(), []))
        if not may_see_agent(rules, ticket, address):
            hidden.add(AGENT_FIELD)
    return sorted(hidden)
