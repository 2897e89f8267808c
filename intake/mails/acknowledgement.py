"""The acknowledgement to the reporter (accuse-reception): the fiche as the agent wrote it
beside what was understood, its warnings, and whether it now waits for approval."""

from __future__ import annotations

from typing import Any

from intake.mails.context import mail_context
from intake.mails.kind import MailKind
from intake.store.records import Ticket
from outbox.fiche_view import fiche_lines
from parsers.model import FicheRead, FieldError
from rules.mail_plan import ACKNOWLEDGEMENT


def context(
    ticket: Ticket,
    hidden: list[str],
    read: FicheRead,
    *,
    official_service: str | None,
    approval_required: bool,
    rejected: list[dict[str, Any]],
) -> dict[str, Any]:
    """`official_service`: the directory's name for the service the fiche names, if it knows
    it; `rejected`: rows of the same email that could not be registered."""
    lines, warnings = _as_read(ticket, read, hidden, official_service)
    return {
        **mail_context(ticket, hidden),
        "fiche": lines,
        "routing": {"approval_required": approval_required},
        "warnings": warnings,
        "rejected": rejected,
    }


def _as_read(
    ticket: Ticket, read: FicheRead, hidden: list[str], official_service: str | None
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The fiche lines as the agent wrote them beside what was understood, each warned line
    marked with its warning's number; warnings about withheld fields are left out."""
    warnings = [w.model_dump() for w in read.warnings if w.field not in hidden]
    written = dict(read.written)
    shown = ticket.as_dict()
    if official_service is not None and ticket.service:
        written["service"], shown["service"] = ticket.service, official_service
    lines = fiche_lines(shown, hidden, written=written, warned=[w["field"] for w in warnings])
    return lines, warnings


def _sample(ticket: Ticket) -> dict[str, Any]:
    # As the agent wrote it ("hier", "vers 14h30"), the call time read with a warning.
    read = FicheRead(
        written={"call_date": "hier", "call_time": "vers 14h30"},
        warnings=[FieldError(field="call_time", message="Heure de l'appel lue sur une image.")],
    )
    return context(ticket, [], read, official_service=None, approval_required=True, rejected=[])


KIND = MailKind(ACKNOWLEDGEMENT, _sample)
