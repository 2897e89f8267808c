"""The path of one message: store raw -> classify -> decide and commit -> acknowledge the source."""

from __future__ import annotations

import itertools
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

from intake.bounces import record_bounce
from intake.faults import crash_point
from intake.handlers import handle_fiches, handle_ignored, handle_invalid
from intake.headers import read_info
from intake.replies import handle_reply
from intake.runtime import Runtime
from intake.sample import Sample
from intake.sources.base import Source, SourceMessage
from parsers import classify
from parsers.model import FicheResult, FieldError, IgnoredResult, InvalidResult, ReplyResult

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    row: int
    message_id: str
    #: fiche, invalid, ignored, reply; `quarantined` when something failed; `duplicate`
    #: when the message had already been handled (a replay, or a crash before the move).
    kind: str
    refs: list[str] = field(default_factory=list)
    error: str | None = None


def process_message(rt: Runtime, message: SourceMessage, source_label: str) -> Outcome:
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
        return Outcome(row, info.message_id, "quarantined", error="already in quarantine")
    if status != "received":
        return Outcome(row, info.message_id, "duplicate")
    try:
        result = too_big(info.size, rt.settings.max_message_mb) or classify(
            message.raw, rt.parse_context
        )
        if isinstance(result, FicheResult):
            refs = handle_fiches(rt, info, row, result)
        elif isinstance(result, InvalidResult):
            refs = handle_invalid(rt, info, row, result)
        elif isinstance(result, IgnoredResult):
            if result.reason == "bounce":
                record_bounce(rt, row, message.raw)
            refs = handle_ignored(rt, info, row, result)
        elif isinstance(result, ReplyResult):
            refs = handle_reply(rt, info, row, result, message.raw)
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


def process_source(
    rt: Runtime, source: Source, stop: Callable[[], bool] = lambda: False
) -> Sample[Outcome]:
    """Every waiting message; each is moved out of the inbox only after its commit.

    Messages are handled `BATCH` at a time inside one transaction (each message's own writes
    in a savepoint), then moved together once it is committed: a crash before that commit
    leaves the whole batch in the inbox, to be read again; after it, each message is a
    recognised duplicate and only moved. When `stop()` turns true (SIGTERM) no new message is
    taken: the ones in hand are committed and moved, the rest wait for the next start.
    """
    outcomes: Sample[Outcome] = Sample()
    messages = source.fetch()
    while not stop():
        batch: list[tuple[SourceMessage, Outcome]] = []
        with rt.store.transaction():
            for message in itertools.islice(messages, BATCH):
                crash_point("after_fetch")
                batch.append((message, process_message(rt, message, source.label)))
                if stop():
                    break
        if not batch:
            return outcomes
        for _ in batch:
            crash_point("after_commit")
        source.ack_all([m.uid for m, o in batch if o.kind != "quarantined"])
        for message, outcome in batch:
            if outcome.kind == "quarantined":
                source.set_aside(message.uid)
        for _, outcome in batch:
            outcomes.add(outcome)
    return outcomes
