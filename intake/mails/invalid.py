"""The answer to an invalid fiche (fiche-invalide): the problems, in French, and how to fix
them by replying. The problems may quote what was written, the agent's name included."""

from __future__ import annotations

from typing import Any

from intake.mails.context import mail_context, withheld_name
from intake.mails.kind import MailKind
from intake.privacy.masking import mask_all
from intake.store.records import Ticket

TEMPLATE = "fiche-invalide"


def context(
    ticket: Ticket, hidden: list[str], errors: list[dict[str, Any]]
) -> dict[str, Any]:
    """`errors`: each problem's field, label and message, as the ticket records them."""
    return {
        **mail_context(ticket, hidden),
        "errors": mask_all(errors, withheld_name(ticket, hidden)),
    }


_SAMPLE_ERRORS = [
    {
        "field": "call_date",
        "label": "Date de l'appel",
        "message": "Date de l'appel manquante : indiquez-la, par exemple 12/03/2026.",
    }
]

KIND = MailKind(TEMPLATE, lambda ticket: context(ticket, [], _SAMPLE_ERRORS))
