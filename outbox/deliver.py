"""Drain the outbox table: send what is due, retry temporary failures with backoff."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from intake.errors import SendError
from intake.faults import crash_point
from intake.logs import without_addresses
from intake.store import Store
from outbox.senders import Sender

log = logging.getLogger(__name__)

#: A temporary failure is retried after 1, 2, 4 ... minutes, at most an hour apart,
#: and given up (status `failed`, visible on the ticket) after this long.
MAX_BACKOFF = dt.timedelta(hours=1)
GIVE_UP_AFTER = dt.timedelta(days=2)


@dataclass(frozen=True)
class Delivery:
    mail_id: int
    ref: str | None
    recipients: list[str]
    subject: str
    where: str | None
    error: str | None = None
    unreachable: bool = False


def backoff(attempts: int) -> dt.timedelta:
    return min(dt.timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def deliver_due(
    store: Store, sender: Sender, envelope_from: str, clock: Callable[[], dt.datetime]
) -> list[Delivery]:
    """Send every pending mail that is due; one failure never stops the others."""
    done: list[Delivery] = []
    try:
        for mail in store.due_mail(clock().isoformat()):
            delivery = _deliver_one(store, sender, envelope_from, clock, mail)
            done.append(delivery)
            if delivery.unreachable:
                break  # the others wait for the next round rather than fail one by one
    finally:
        sender.close()
    return done


def _deliver_one(
    store: Store,
    sender: Sender,
    envelope_from: str,
    clock: Callable[[], dt.datetime],
    mail: dict,
) -> Delivery:
    ref = store.ticket(mail["ticket_id"])["ref"] if mail["ticket_id"] else None
    attempts = int(mail["attempts"] or 0) + 1
    if mail["status"] == "sending":
        # The last run died while handing this mail over: it is sent again, same bytes and
        # Message-ID. Only a death between the server's "250 OK" and the commit below (a
        # window of microseconds) can make this a second copy.
        log.warning(
            "mail %s for %s was interrupted mid-delivery: sending again",
            mail["id"],
            ref,
            extra={"mail_id": mail["id"], "ref": ref, "message_id": mail["message_id"]},
        )
    with store.transaction():
        store.update_mail(mail["id"], status="sending", attempts=attempts)
    try:
        where = sender.send(
            mail_id=mail["id"],
            envelope_from=envelope_from,
            recipients=mail["recipients"],
            raw=mail["raw"],
        )
    except SendError as exc:
        now = clock()
        created = dt.datetime.fromisoformat(mail["created_at"])
        give_up = exc.permanent or now - created > GIVE_UP_AFTER
        with store.transaction():
            store.update_mail(
                mail["id"],
                attempts=attempts,
                last_error=str(exc),
                status="failed" if give_up else "pending",
                next_attempt_at=(now + backoff(attempts)).isoformat(),
            )
            if give_up:
                store.add_event(
                    at=now.isoformat(),
                    actor="system",
                    kind="mail_failed",
                    ticket_id=mail["ticket_id"],
                    mail_id=mail["id"],
                    error=str(exc),
                )
        log.warning(
            "mail %s for %s not sent: %s",
            mail["id"],
            ref or "-",
            without_addresses(str(exc)),
            extra={"mail_id": mail["id"], "ref": ref, "message_id": mail["message_id"]},
        )
        log.debug("mail %s not sent to %s: %s", mail["id"], mail["recipients"], exc)
        return Delivery(
            mail["id"], ref, mail["recipients"], mail["subject"], None, str(exc), exc.unreachable
        )
    crash_point("after_smtp")
    now = clock()
    with store.transaction():
        store.update_mail(
            mail["id"],
            status="sent",
            attempts=attempts,
            sent_at=now.isoformat(),
            delivered_to=where,
        )
        store.add_event(
            at=now.isoformat(),
            actor="system",
            kind="mail_sent",
            ticket_id=mail["ticket_id"],
            mail_id=mail["id"],
            template=mail["template"],
            to=mail["recipients"],
        )
    log.info(
        "mail %s for %s sent through %s (%s)",
        mail["id"],
        ref or "-",
        sender.label,
        mail["template"],
        extra={"mail_id": mail["id"], "ref": ref, "message_id": mail["message_id"]},
    )
    log.debug("mail %s delivered to %s: %s", mail["id"], mail["recipients"], where)
    return Delivery(mail["id"], ref, mail["recipients"], mail["subject"], where)
