"""A kind of mail the worker sends, as intake/mails/registry.py lists them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from intake.store.records import Ticket


@dataclass(frozen=True)
class MailKind:
    #: The template's name in the templates folder (without `.txt.j2` / `.html.j2`).
    template: str
    #: The context the worker would give the template for a ticket (samples.py's sample
    #: ticket), built by the kind's own context function: `intake doctor` renders it.
    sample: Callable[[Ticket], dict[str, Any]]
