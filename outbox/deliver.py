"""Drain the outbox table: send what is due, retry temporary failures with backoff."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from outbox.compose import another_message_id, with_message_id
from outbox.errors import SendError
from outbox.faults import crash_point
from outbox.queue import MailQueue, QueuedMail
from outbox.sample import Sample
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


@dataclass(frozen=True)
class Limits:
    """Loop protection at the last moment before a mail leaves."""

    own_address: str
    #: Answers to incoming mail one address gets in 24 hours (mail the procedure needs is
    #: neither held nor counted: a flood of forged replies cannot delay a request).
    max_per_day: int = 50
    #: Mails a day that one sender's fiches may cause, whoever they go to.
    max_per_sender_per_day: int = 100


#: Due mails read from the outbox at a time: memory stays flat however long the queue.
PAGE = 200

ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def without_addresses(text: str) -> str:
    """`text` with every email address replaced: server answers may quote recipients."""
    return ADDRESS.sub("<adresse>", text)


def _screen(
    queue: MailQueue,
    mail: QueuedMail,
    limits: Limits,
    now: dt.datetime,
    sent: dict[str, int],
    by_origin: dict[str, int],
) -> dict[str, str]:
    """Recipients that must not get this mail now, with the reason. `sent`: answers handed
    to each address in the last 24 hours, `by_origin`: mails caused by each sender's fiches,
    both counted once per round and kept up to date by it.

    The sender cap holds all a sender's fiches cause, approval requests included: until an
    approver decides, a fiche is only its sender's word, and a flood of them must not fill
    approvers' mailboxes. What follows a decision, or a deadline, has no origin (it is
    caused by the approver's reply or by the clock) and is never held by it."""
    origin = mail.origin
    if origin and by_origin.get(origin, 0) >= limits.max_per_sender_per_day:
        # One sender's fiches (a spreadsheet of rows, a flood) cause at most so much mail.
        return {address: "sender_cap" for address in mail.recipients}
    held: dict[str, str] = {}
    answer = mail.purpose != "procedure"
    own_local, _, own_domain = limits.own_address.partition("@")
    for address in mail.recipients:
        local, _, domain = address.partition("@")
        if (local.split("+")[0], domain) == (own_local, own_domain):
            held[address] = "own_address"  # never write to ourselves: that is how loops start
        elif queue.suppressed(address.lower(), now.isoformat()):
            held[address] = "bounced"
        elif answer and sent.get(address, 0) >= limits.max_per_day:
            held[address] = "daily_cap"
    return held


def backoff(attempts: int) -> dt.timedelta:
    return min(dt.timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


class Courier:
    """One delivery round: due mails in id order, a page at a time, over one connection.

    `step()` hands over the next due mail (see outbox/background.py, which runs the round
    while the worker reads); `finish()` sends the rest. Mail queued during the round is picked
    up by it, up to the id `up_to()` allows. One failure never stops the others; an
    unreachable server ends the round (the rest wait for the next one).
    """

    def __init__(
        self,
        queue: MailQueue,
        sender: Sender,
        envelope_from: str,
        clock: Callable[[], dt.datetime],
        limits: Limits | None = None,
        up_to: Callable[[], int | None] = lambda: None,
    ) -> None:
        self.queue, self.sender, self.clock = queue, sender, clock
        self.envelope_from = envelope_from
        self.limits = limits or Limits(envelope_from)
        #: The highest outbox id that may be sent now (None: any).
        self.up_to = up_to
        self.done: Sample[Delivery] = Sample()
        self._page: list[QueuedMail] = []
        self._after = 0
        self._sent: dict[str, int] | None = None
        self._by_origin: dict[str, int] = {}
        self._over = False

    def _next(self) -> QueuedMail | None:
        if not self._page:
            now = self.clock().isoformat()
            self._page = self.queue.due_mail_page(now, self._after, PAGE, self.up_to())
            if not self._page:
                return None
            self._after = self._page[-1].id
        return self._page.pop(0)

    def step(self) -> bool:
        """Hand over the next due mail; False when none is due (or the server is out)."""
        if self._over:
            return False
        mail = self._next()
        if mail is None:
            return False
        if self._sent is None:
            since = (self.clock() - dt.timedelta(days=1)).isoformat()
            self._sent = self.queue.sent_counts(since)
            self._by_origin = self.queue.sent_counts_by_origin(since)
        # Losing one of these commits to a power cut means the mail is sent again, with the
        # same Message-ID; never a lost fiche (see Store.relaxed_durability).
        with self.queue.relaxed_durability():
            held = _screen(
                self.queue, mail, self.limits, self.clock(), self._sent, self._by_origin
            )
            if held:
                mail = _hold(self.queue, mail, held, self.clock())
                if not mail.recipients:
                    return True
            delivery = _deliver_one(self.queue, self.sender, self.envelope_from, self.clock, mail)
        self.done.add(delivery)
        if delivery.unreachable:
            self._over = True
        elif delivery.where is not None:
            for address in mail.recipients if mail.purpose != "procedure" else []:
                self._sent[address] = self._sent.get(address, 0) + 1
            if origin := mail.origin:
                self._by_origin[origin] = self._by_origin.get(origin, 0) + 1
        return not self._over

    def finish(self) -> Sample[Delivery]:
        """Send every mail still due, close the connection, and return the round's results."""
        try:
            while self.step():
                pass
        finally:
            self.sender.close()
        return self.done


def _hold(queue: MailQueue, mail: QueuedMail, held: dict[str, str], now: dt.datetime) -> QueuedMail:
    """Postpone the held recipients; returns the mail for the others (maybe none).

    Over a cap, the mail waits an hour and is screened again. For an address suppressed
    after a delivery failure, it waits (status `held`) until the suppression ends or is
    lifted by `intake outbox retry`; when the mail has other recipients, they get it now and
    a copy (its own Message-ID, the same bytes otherwise) waits for the suppressed ones. Our
    own address is the only one dropped.
    """
    kept = [r for r in mail.recipients if r not in held]
    bounced = [r for r, why in held.items() if why == "bounced"]
    with queue.transaction():
        wait = _suppressed_until(queue, bounced, now)
        if bounced and kept:
            # The same mail but for its recipients, its Message-ID and when it was queued.
            message_id = another_message_id(mail.message_id)
            copy_id = queue.enqueue(
                {
                    "ticket_id": mail.ticket_id,
                    "message_row": mail.message_row,
                    "template": mail.template,
                    "subject": mail.subject,
                    "purpose": mail.purpose,
                    "recipients": bounced,
                    "message_id": message_id,
                    "raw": with_message_id(mail.raw, mail.message_id, message_id),
                    "created_at": now.isoformat(),
                }
            )
            queue.update_mail(copy_id, status="held", next_attempt_at=wait, last_error=_why(wait))
        if not kept and {"daily_cap", "sender_cap"} & set(held.values()):
            queue.update_mail(
                mail.id,
                status="pending",
                next_attempt_at=(now + dt.timedelta(hours=1)).isoformat(),
            )
        elif not kept and bounced:
            queue.update_mail(mail.id, status="held", next_attempt_at=wait, last_error=_why(wait))
        elif not kept:
            queue.update_mail(mail.id, status="suppressed", last_error=str(held))
        queue.add_event(
            at=now.isoformat(),
            actor="system",
            kind="mail_held",
            ticket_id=mail.ticket_id,
            mail_id=mail.id,
            held=held,
        )
    # Addresses are personal data: counted at WARNING, named at DEBUG only.
    log.warning(
        "mail %s: held for %d recipient(s) (%s)",
        mail.id,
        len(held),
        ", ".join(sorted(set(held.values()))),
        extra={"mail_id": mail.id},
    )
    log.debug("mail %s: not sent to %s", mail.id, held)
    return replace(mail, recipients=kept)


def _suppressed_until(queue: MailQueue, addresses: list[str], now: dt.datetime) -> str:
    """When the last of these suppressions ends (now, when none is in force any more)."""
    ends = [
        s["until"] for a in addresses if (s := queue.suppression(a, now.isoformat())) is not None
    ]
    return max(ends, default=now.isoformat())


def _why(until: str) -> str:
    return (
        f"held until {until[:16]}: a delivery failure report suppressed the address; "
        "`intake outbox retry ID` lifts it and sends the mail"
    )


def _deliver_one(
    queue: MailQueue,
    sender: Sender,
    envelope_from: str,
    clock: Callable[[], dt.datetime],
    mail: QueuedMail,
) -> Delivery:
    ref = queue.ticket_ref(mail.ticket_id) if mail.ticket_id else None
    attempts = int(mail.attempts or 0) + 1
    if mail.status == "sending":
        # The last run died while handing this mail over: it is sent again, same bytes and
        # Message-ID. Only a death between the server's "250 OK" and the commit below (a
        # window of microseconds) can make this a second copy.
        log.warning(
            "mail %s for %s was interrupted mid-delivery: sending again",
            mail.id,
            ref,
            extra={"mail_id": mail.id, "ref": ref, "message_id": mail.message_id},
        )
    with queue.transaction():
        queue.update_mail(mail.id, status="sending", attempts=attempts)
    try:
        where = sender.send(
            mail_id=mail.id,
            envelope_from=envelope_from,
            recipients=mail.recipients,
            raw=mail.raw,
        )
    except SendError as exc:
        now = clock()
        created = dt.datetime.fromisoformat(mail.created_at)
        give_up = exc.permanent or now - created > GIVE_UP_AFTER
        with queue.transaction():
            queue.update_mail(
                mail.id,
                attempts=attempts,
                last_error=str(exc),
                status="failed" if give_up else "pending",
                next_attempt_at=(now + backoff(attempts)).isoformat(),
            )
            if give_up:
                queue.add_event(
                    at=now.isoformat(),
                    actor="system",
                    kind="mail_failed",
                    ticket_id=mail.ticket_id,
                    mail_id=mail.id,
                    error=str(exc),
                )
        log.warning(
            "mail %s for %s not sent: %s",
            mail.id,
            ref or "-",
            without_addresses(str(exc)),
            extra={"mail_id": mail.id, "ref": ref, "message_id": mail.message_id},
        )
        log.debug("mail %s not sent to %s: %s", mail.id, mail.recipients, exc)
        return Delivery(
            mail.id, ref, mail.recipients, mail.subject, None, str(exc), exc.unreachable
        )
    crash_point("after_smtp")
    now = clock()
    with queue.transaction():
        queue.update_mail(
            mail.id,
            status="sent",
            attempts=attempts,
            sent_at=now.isoformat(),
            delivered_to=where,
        )
        queue.add_event(
            at=now.isoformat(),
            actor="system",
            kind="mail_sent",
            ticket_id=mail.ticket_id,
            mail_id=mail.id,
            template=mail.template,
            to=mail.recipients,
        )
    log.info(
        "mail %s for %s sent through %s (%s)",
        mail.id,
        ref or "-",
        sender.label,
        mail.template,
        extra={"mail_id": mail.id, "ref": ref, "message_id": mail.message_id},
    )
    log.debug("mail %s delivered to %s: %s", mail.id, mail.recipients, where)
    return Delivery(mail.id, ref, mail.recipients, mail.subject, where)
