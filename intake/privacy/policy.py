"""Which stored columns hold personal data, and the text kept without the 39 75 agent's name.

Who may see that name in a mail is the rules' policy (rules/visibility.py); here is what the
database keeps of it and what `intake purge` erases.
"""

from __future__ import annotations

from typing import Any

from intake.privacy.masking import mask_name
from parsers.model import PERSONAL_FIELDS
from rules.visibility import AGENT_FIELD

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
