"""Read a delivery failure report (RFC 3464) and believe it only for mail we really sent.

Anyone can write a report naming any address: "responsables-3975@paris.fr could not be
reached". A report counts for a recipient only when it returns one of our mails (its
Message-ID, which nobody can guess, is quoted in the returned headers) and that mail was sent
to that recipient. Then the address is suppressed for `bounce_suppression_days`: mails to it
wait (`intake outbox list --status held`, `intake status`), and `intake outbox retry` lifts
the suppression and sends them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from email import message_from_bytes
from email.message import Message
from email.policy import compat32

from intake.runtime import Runtime

_FINAL = re.compile(r"^final-recipient:\s*[^;]*;\s*<?([^>\s]+@[^>\s]+)>?", re.I | re.M)
_ACTION = re.compile(r"^action:\s*(\w+)", re.I | re.M)
_MESSAGE_ID = re.compile(r"^message-id:\s*(<[^>\s]+>)", re.I | re.M)


@dataclass(frozen=True)
class Bounce:
    failed: list[str]
    #: Message-IDs of the returned mail, as the report quotes its headers.
    message_ids: list[str]


def read_bounce(raw: bytes) -> Bounce:
    msg = message_from_bytes(raw, policy=compat32)
    failed: list[str] = []
    ids: list[str] = []
    for part in msg.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            failed += _failed_recipients(part)
        elif kind in ("message/rfc822", "text/rfc822-headers", "message/rfc822-headers"):
            ids += _returned_ids(part)
    return Bounce(list(dict.fromkeys(a.lower() for a in failed)), list(dict.fromkeys(ids)))


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


def _returned_ids(part: Message) -> list[str]:
    """The Message-ID of the returned mail: a header of the attached message, or a line of
    the returned headers given as text."""
    payload = part.get_payload()
    inner = payload[0] if isinstance(payload, list) and payload else None
    if isinstance(inner, Message) and inner.get("Message-ID"):
        return [" ".join(str(inner["Message-ID"]).split())]
    # Folded headers ("Message-ID:\n <…>") are unfolded before matching.
    return _MESSAGE_ID.findall(re.sub(r"\r?\n[ \t]+", " ", _text(part)))


def record_bounce(rt: Runtime, row: int, raw: bytes) -> Bounce:
    """Stop writing for a while to each failed address that a mail of ours really went to;
    note the failure on that mail's ticket. Any other report is kept, and changes nothing."""
    bounce = read_bounce(raw)
    now = rt.clock()
    until = now + dt.timedelta(days=rt.settings.bounce_suppression_days)
    ours = rt.store.sent_mails(bounce.message_ids)
    with rt.store.transaction():
        for address in bounce.failed:
            mail = next((m for m in ours if address in m.recipients), None)
            if mail is None:
                rt.store.add_event(
                    at=now.isoformat(),
                    actor="system",
                    kind="bounce_ignored",
                    message_row=row,
                    address=address,
                    reason="no mail of ours to this address is quoted by the report",
                )
                continue
            rt.store.suppress(
                address, reason="bounce", until=until.isoformat(), at=now.isoformat(), row=row
            )
            rt.store.add_event(
                at=now.isoformat(),
                actor="system",
                kind="mail_bounced",
                ticket_id=mail.ticket_id,
                message_row=row,
                mail_id=mail.id,
                address=address,
                suppressed_until=until.isoformat(),
            )
    return bounce
