"""What every template of a ticket's mail sees: the ticket and the fiche lines the recipient
may read, the 39 75 agent's name masked wherever it is withheld."""

from __future__ import annotations

from typing import Any

from intake.privacy.masking import mask_all
from intake.store.records import Ticket
from outbox.fiche_view import CATEGORY_LABELS, fiche_lines
from rules.visibility import AGENT_FIELD


def withheld_name(ticket: Ticket, hidden: list[str] | None) -> str | None:
    """The 39 75 agent's name when it is withheld from a mail (every form of it in any text
    the mail carries must be masked), else None."""
    return ticket.agent_3975 if AGENT_FIELD in (hidden or []) else None


def mail_context(ticket: Ticket, hidden: list[str] | None = None) -> dict[str, Any]:
    """What every template sees: the ticket and the fiche lines the recipient may read. When
    the agent's name is withheld, every form of it in the free text is masked too."""
    name = withheld_name(ticket, hidden)
    fields = ticket.as_dict()
    shown = mask_all({k: v for k, v in fields.items() if k not in (hidden or [])}, name)
    return {
        "ticket": shown,
        "fiche": mask_all(fiche_lines(fields, hidden or []), name),
        "category_label": CATEGORY_LABELS.get(ticket.category or "", "Signalement"),
    }
