"""Read a delivery failure report (RFC 3464): which of our recipients failed, for which ticket."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from email import message_from_bytes
from email.message import Message
from email.policy import compat32

from intake.runtime import Runtime
from outbox.compose import LOOP_HEADER

_FINAL = re.compile(r"^final-recipient:\s*[^;]*;\s*<?([^>\s]+@[^>\s]+)>?", re.I | re.M)
_ACTION = re.compile(r"^action:\s*(\w+)", re.I | re.M)


@dataclass(frozen=True)
class Bounce:
    failed: list[str]
    #: The reference our loop header carried in the returned mail, when the report includes it.
    ref: str | None


def read_bounce(raw: bytes) -> Bounce:
    msg = message_from_bytes(raw, policy=compat32)
    failed: list[str] = []
    ref = None
    for part in msg.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            failed += _failed_recipients(part)
        elif kind in ("message/rfc822", "text/rfc822-headers", "message/rfc822-headers"):
            ref = ref or _loop_ref(part)
    return Bounce(list(dict.fromkeys(a.lower() for a in failed)), ref)


def _text(part: Message) -> str:
    """The report's fields whatever the MIME library made of them (a list of blocks or text)."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return "\n\n".join(str(p) for p in payload)
    if isinstance(payload, str):
        return payload
    return ""


def _failed_recipients(part: Message) -> list[str]:
    found = []
    # One block per recipient, separated by blank lines; only "failed" ones count.
    for block in re.split(r"\n\s*\n", _text(part).replace("\r\n", "\n")):
        address, action = _FINAL.search(block), _ACTION.search(block)
        if address and action and action.group(1).lower() == "failed":
            found.append(address.group(1))
    return found


def _loop_ref(part: Message) -> str | None:
    payload = part.get_payload()
    inner = payload[0] if isinstance(payload, list) and payload else None
    headers = inner if isinstance(inner, Message) else None
    if headers is None:
        text = _text(part)
        match = re.search(rf"^{LOOP_HEADER}:\s*(\S+)", text, re.I | re.M)
        return match.group(1) if match else None
    value = headers.get(LOOP_HEADER)
    return str(value).strip() if value else None


def record_bounce(rt: Runtime, row: int, raw: bytes) -> Bounce:
    """Stop writing to the failed addresses for a while; note the failure on the ticket."""
    bounce = read_bounce(raw)
    now = rt.clock()
    until = now + dt.timedelta(days=rt.settings.bounce_suppression_days)
    ticket = rt.store.ticket_by_ref(bounce.ref) if bounce.ref else None
    with rt.store.transaction():
        for address in bounce.failed:
            rt.store.suppress(
                address, reason="bounce", until=until.isoformat(), at=now.isoformat(), row=row
            )
            rt.store.add_event(
                at=now.isoformat(),
                actor="system",
                kind="mail_bounced",
                ticket_id=ticket["id"] if ticket else None,
                message_row=row,
                address=address,
                suppressed_until=until.isoformat(),
            )
    return bounce
