"""Who did it: the operating-system user behind a command, the export events, and whether
a digest was queued already."""

from __future__ import annotations

import getpass
from typing import Any

from intake.store.database import Store


def current_user() -> str:
    """The OS user running the command (the actor of what a person asked for)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (some containers)
        return "unknown"


def record_export(
    store: Store, *, at: str, what: str, fields: list[str], ticket_ids: list[int], **detail: Any
) -> None:
    """An export of personal data: one event on each ticket exported (so `intake tickets show`
    lists it), with the time, the OS user, what was made and the fields it holds."""
    actor = current_user()
    with store.transaction():
        for ticket_id in ticket_ids:
            store.add_event(
                at=at,
                actor=actor,
                kind="personal_data_exported",
                ticket_id=ticket_id,
                what=what,
                fields=fields,
                **detail,
            )


def digest_queued(store: Store, week: str) -> bool:
    """Whether the digest of `week` (e.g. 2026-W11) was queued already."""
    return bool(store.count("events", "kind = 'digest_queued' and detail like ?", [f'%"{week}"%']))
