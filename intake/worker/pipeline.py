"""The path of one message: store raw -> classify -> decide and commit -> acknowledge the source."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from intake.parse_process import Pending
from intake.runtime import Runtime
from intake.sources.base import Source, SourceMessage
from intake.sources.envelope import MessageInfo, read_info
from intake.tickets.register import handle_fiches, handle_ignored, handle_invalid
from intake.tickets.replies import handle_reply
from intake.worker.bounces import record_bounce
from outbox.faults import crash_point
from outbox.sample import Sample
from parsers import classify
from parsers.classify import Result
from parsers.model import FicheResult, FieldError, IgnoredResult, InvalidResult, ReplyResult

log = logging.getLogger(__name__)

Stop = Callable[[], bool]


@dataclass(frozen=True)
class Outcome:
    row: int
    message_id: str
    #: fiche, invalid, ignored, reply; `quarantined` when something failed; `duplicate`
    #: when the message had already been handled (a replay, or a crash before the move).
    kind: str
    refs: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass(frozen=True)
class Stored:
    """A message kept in the database, with what it still needs: parsing when `outcome` is
    None, nothing more when it is already known (a duplicate, or one in quarantine)."""

    message: SourceMessage
    info: MessageInfo
    row: int
    outcome: Outcome | None


def store_message(rt: Runtime, message: SourceMessage, source_label: str) -> Stored:
    """Keep the raw message before anything reads it: whatever follows, nothing is lost."""
    info = read_info(message.raw)
    row, status = rt.store.save_raw(
        {
            "message_id": info.message_id,
            "sha256": info.sha256,
            "source": source_label,
            "source_uid": message.uid,
            "uidvalidity": message.uidvalidity,
            "received_at": rt.now_iso(),
            "sender": info.sender,
            "subject": info.subject,
            "size": info.size,
            "raw": message.raw,
        }
    )
    crash_point("after_store_raw")
    if status == "quarantined":
        outcome = Outcome(row, info.message_id, "quarantined", error="already in quarantine")
        return Stored(message, info, row, outcome)
    if status != "received":
        return Stored(message, info, row, Outcome(row, info.message_id, "duplicate"))
    return Stored(message, info, row, None)


def handle_message(rt: Runtime, stored: Stored, result: Result) -> Outcome:
    """Act on a parsed message; any failure puts it in quarantine, never stops the worker."""
    info, row = stored.info, stored.row
    if isinstance(result, FicheResult):
        result = too_many_fiches(result, rt.settings.max_fiches_per_message) or result
    try:
        if isinstance(result, FicheResult):
            refs = handle_fiches(rt, info, row, result)
        elif isinstance(result, InvalidResult):
            refs = handle_invalid(rt, info, row, result)
        elif isinstance(result, IgnoredResult):
            if result.reason == "bounce":
                record_bounce(rt, row, stored.message.raw)
            refs = handle_ignored(rt, info, row, result)
        elif isinstance(result, ReplyResult):
            refs = handle_reply(rt, info, row, result, stored.message.raw)
    except Exception as exc:  # one bad message must never stop the worker
        return _quarantine(rt, row, info.message_id, exc)
    log.info(
        "message %s: %s %s",
        info.message_id or row,
        result.kind,
        " ".join(refs),
        extra={"message_id": info.message_id, "ref": " ".join(refs)},
    )
    return Outcome(row, info.message_id, result.kind, refs)


def process_message(rt: Runtime, message: SourceMessage, source_label: str) -> Outcome:
    """One message from end to end, parsed here (backfill, quarantine retry)."""
    stored = store_message(rt, message, source_label)
    if stored.outcome is not None:
        return stored.outcome
    result = too_big(stored.info.size, rt.settings.max_message_mb) or classify(
        message.raw, rt.parse_context
    )
    return handle_message(rt, stored, result)


def too_big(size: int, limit_mb: int) -> InvalidResult | None:
    """A message over the limit is kept whole but not read: the sender is told why, in French."""
    if size <= limit_mb * 1024 * 1024:
        return None
    message = (
        f"Votre message fait {size / 1024 / 1024:.0f} Mo, au-delà de la limite de {limit_mb} Mo : "
        "il n'a pas été lu. Renvoyez la fiche seule, dans le corps du message ou en une "
        "pièce jointe, sans photos ni autres documents."
    )
    return InvalidResult(errors=[FieldError(field="", message=message)])


def too_many_fiches(result: FicheResult, limit: int) -> InvalidResult | None:
    """A message holding more fiches than `limit` registers none: one answer says why, in
    French, instead of a ticket and its mails per row."""
    count = len(result.fiches) + len(result.rejected)
    if count <= limit:
        return None
    where = {f.source for f in result.fiches} - {"body", "html"}
    place = " (dans le tableau joint)" if where else ""
    message = (
        f"Votre message contient {count} fiches de signalement{place} : au plus {limit} "
        "sont enregistrées par message, et aucune ne l'a été. Renvoyez-les en plusieurs "
        f"messages de {limit} fiches au plus."
    )
    return InvalidResult(errors=[FieldError(field="", message=message)])


def _quarantine(rt: Runtime, row: int, message_id: str, exc: Exception) -> Outcome:
    reason = f"{type(exc).__name__}: {exc}"
    # The exception's text may quote the fiche: its type only, the rest at DEBUG.
    log.error(
        "message %s quarantined (%s): see `intake quarantine list`",
        message_id or row,
        type(exc).__name__,
        extra={"message_id": message_id},
    )
    log.debug("message %s quarantined: %s", message_id or row, reason)
    with rt.store.transaction():
        rt.store.mark_message(
            row,
            status="quarantined",
            error=reason + "\n" + "".join(traceback.format_exception(exc))[-4000:],
            processed_at=rt.now_iso(),
        )
        rt.store.add_event(
            at=rt.now_iso(),
            actor="system",
            kind="message_quarantined",
            message_row=row,
            reason=reason,
        )
    return Outcome(row, message_id, "quarantined", error=reason)


#: Messages committed together: one durable commit and one IMAP MOVE for the lot.
BATCH = 100


@dataclass
class Batch:
    """Messages taken from the source and stored, their parsing under way."""

    stored: list[Stored]
    #: Index in `stored` of each message being parsed, in the order of `pending`'s results.
    parsing: list[int]
    pending: Pending
    #: Results known without parsing: a message over the size limit is answered unread.
    known: dict[int, Result]


def _take(rt: Runtime, source: Source, messages: Iterator[SourceMessage], stop: Stop) -> Batch:
    """Up to BATCH messages, stored in one transaction, then handed to the parser."""
    taken: list[SourceMessage] = []
    while len(taken) < BATCH and not stop():
        message = next(messages, None)
        if message is None:
            break
        crash_point("after_fetch")
        taken.append(message)
    # Durable with the batch's handling, before any message leaves the inbox (_finish).
    with rt.store.relaxed_durability(), rt.store.transaction():
        stored = [store_message(rt, message, source.label) for message in taken]
    known: dict[int, Result] = {}
    for n, item in enumerate(stored):
        if item.outcome is None and (big := too_big(item.info.size, rt.settings.max_message_mb)):
            known[n] = big
    parsing = [n for n, item in enumerate(stored) if item.outcome is None and n not in known]
    raws = [stored[n].message.raw for n in parsing]
    return Batch(stored, parsing, rt.classifier.start(raws, rt.parse_context), known)


def _finish(rt: Runtime, source: Source, batch: Batch) -> list[Outcome]:
    """Handle the parsed batch, make it durable, then move its messages out of the inbox.

    Each message is handled in its own short transaction, so that the delivery thread's
    writes are never kept waiting long; one FULL commit then makes them all durable at once.
    """
    results = dict(zip(batch.parsing, batch.pending.results(), strict=True)) | batch.known
    outcomes = []
    with rt.store.relaxed_durability():
        for n, stored in enumerate(batch.stored):
            known = stored.outcome
            outcomes.append(known if known else handle_message(rt, stored, results[n]))
    rt.store.make_durable(rt.now_iso())
    for _ in outcomes:
        crash_point("after_commit")
    pairs = list(zip((s.message for s in batch.stored), outcomes, strict=True))
    source.ack_all([m.uid for m, o in pairs if o.kind != "quarantined"])
    for message, outcome in pairs:
        if outcome.kind == "quarantined":
            source.set_aside(message.uid)
    return outcomes


def process_source(
    rt: Runtime,
    source: Source,
    stop: Stop = lambda: False,
    on_durable: Callable[[], None] = lambda: None,
) -> Sample[Outcome]:
    """Every waiting message; each is moved out of the inbox only after its commit.

    Messages are taken `BATCH` at a time: stored (one commit), parsed (in the parse process
    when there is one, while the batch before is handled), then handled (a commit each), made
    durable together, and only then moved. A crash before the move leaves the batch in the
    inbox, to be read again: each message already handled is a recognised duplicate and only
    moved. `on_durable()` is called once a batch is durable (its mail may then be sent).
    `stop()` (SIGTERM) is asked before each message is taken: once true, the messages taken
    are finished and the rest wait.
    """
    outcomes: Sample[Outcome] = Sample()
    messages = iter(source.fetch())
    batch = _take(rt, source, messages, stop)
    while batch.stored:
        upcoming = _take(rt, source, messages, stop)
        for outcome in _finish(rt, source, batch):
            outcomes.add(outcome)
        on_durable()
        batch = upcoming
    return outcomes
