"""A comment replied on a ticket's mails, relayed to whom the routing rule names
(commentaire). A comment may name the 39 75 agent as a fiche does."""

from __future__ import annotations

from typing import Any

from intake.mails.context import mail_context, withheld_name
from intake.mails.kind import MailKind
from intake.privacy.masking import mask_name
from intake.store.records import Ticket

TEMPLATE = "commentaire"


def context(
    ticket: Ticket, hidden: list[str], *, comment: str, author: str
) -> dict[str, Any]:
    return {
        **mail_context(ticket, hidden),
        "comment": mask_name(comment, withheld_name(ticket, hidden)),
        "author": author,
    }


KIND = MailKind(
    TEMPLATE,
    lambda ticket: context(
        ticket,
        [],
        comment="L'usager a rappelé : il a pu obtenir son rendez-vous.",
        author="sophie.martin@paris.fr",
    ),
)
