"""Into the outbox, with the audit event that says to whom a mail went and what it withheld."""

from __future__ import annotations

from typing import Any

from intake.runtime import Runtime
from outbox.faults import crash_point


def queue_mail(
    rt: Runtime, mail: dict[str, Any], ticket_id: int | None, hidden: list[str] | None = None
) -> None:
    """Into the outbox, with an audit event saying to whom and which fields were withheld."""
    rt.store.enqueue(mail)
    crash_point("mid_transaction")
    rt.store.add_event(
        at=rt.now_iso(),
        actor="system",
        kind="mail_queued",
        ticket_id=ticket_id,
        message_row=mail.get("message_row"),
        template=mail["template"],
        to=mail["recipients"],
        hidden_fields=hidden or [],
    )
