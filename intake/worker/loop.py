"""The polling worker: read the mailbox, process, deliver the outbox; on a schedule."""

from __future__ import annotations

import dataclasses
import logging
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType

import schedule

from intake.errors import SourceError
from intake.runtime import Runtime, loop_limits
from intake.sources.base import Source
from intake.store.database import Store
from intake.store.worker_state import record_poll, record_start, record_stop
from intake.tickets.rounds import run_deadlines
from intake.worker.jobs import daily_purge, weekly_job
from intake.worker.outage import Outage
from intake.worker.pipeline import Outcome, process_source
from intake.worker.rules_alert import report_refused
from intake.worker.templates_reload import reload_templates
from outbox.background import BackgroundCourier
from outbox.deliver import Delivery
from outbox.sample import Sample
from outbox.senders import Sender
from rules.reload import RulesWatcher

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunReport:
    """The first results of a run (for its summary) and, in `total`, the count of all."""

    outcomes: Sample[Outcome]
    deliveries: Sample[Delivery]


def run_once(rt: Runtime, source: Source, sender: Sender) -> RunReport:
    """Process every waiting message, send reminders that are due, deliver the outbox."""
    courier = courier_for(rt, sender)
    try:
        outcomes = process_source(rt, source, on_durable=release(rt, courier))
    except BaseException:
        courier.finish(everything=False)  # what was made durable still goes
        raise
    return RunReport(outcomes, send_and_record(rt, courier, outcomes, error=None))


def courier_for(rt: Runtime, sender: Sender) -> BackgroundCourier:
    """A delivery round in its own thread, with the loop protections of the settings."""
    settings = rt.settings
    path = rt.store.path
    return BackgroundCourier(
        lambda: Store(path), sender, settings.sender_address, rt.clock, loop_limits(settings)
    )


def release(rt: Runtime, courier: BackgroundCourier) -> Callable[[], None]:
    """After each durable batch: its mail may go."""
    return lambda: courier.release(rt.store.last_mail_id())


def send_and_record(
    rt: Runtime, courier: BackgroundCourier, outcomes: Sample[Outcome], *, error: str | None
) -> Sample[Delivery]:
    """What follows reading the mailbox, even when it failed: reminders due, mail already
    committed handed over, and the poll recorded for `intake status`."""
    run_deadlines(rt)
    deliveries = courier.finish()
    record_poll(
        rt.store, rt.now_iso(), messages=outcomes.total, mails=deliveries.total, error=error
    )
    return deliveries


class Worker:
    """Runs until SIGTERM/SIGINT; finishes the message in hand before stopping."""

    def __init__(self, rt: Runtime, source: Source, sender: Sender) -> None:
        self.rt, self.source, self.sender = rt, source, sender
        self.stopping = False
        self.reload_asked = False
        self.mailbox = Outage(f"mailbox {source.label}")
        self.retry_in = 0.0
        self.scheduler = schedule.Scheduler()
        self.scheduler.every(rt.settings.poll_seconds).seconds.do(self.poll)
        # Privacy and quality: erase what is past retention; last week's digest on Mondays.
        self.scheduler.every().day.at("03:00").do(daily_purge, rt.store, rt.settings, rt.clock)
        # The digest is sent to the managers of the rules in force then.
        self.scheduler.every().monday.at("06:00").do(lambda: weekly_job(self.rt))
        settings = rt.settings
        self.rules = RulesWatcher(
            settings.path(settings.rules), rt.rules, settings.path(settings.templates)
        )

    def _pause(self, seconds: float) -> None:
        """Sleep in short steps so SIGTERM is not kept waiting by a long backoff."""
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(0.5, deadline - time.monotonic()))

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        log.info("signal %s: stopping after the current step", signum)
        self.stopping = True

    def _hangup(self, signum: int, frame: FrameType | None) -> None:
        log.info("signal %s: rules and templates are reloaded before the next poll", signum)
        self.reload_asked = True

    def poll(self) -> None:
        if self.reload_asked:  # SIGHUP
            self.reload_asked = False
            reload_templates(self.rt)
        # An edited rules file takes effect here; a broken edit is refused and reported once.
        rules = self.rules.current()
        if rules is not self.rt.rules:
            self.rt = dataclasses.replace(self.rt, rules=rules)
        refused = self.rules.take_refused()
        if refused:
            report_refused(self.rt, refused)
        outcomes: Sample[Outcome] = Sample()
        error: str | None = None
        # Mail is handed over while the next messages are read, and the rest after.
        courier = courier_for(self.rt, self.sender)
        try:
            outcomes = process_source(
                self.rt, self.source, lambda: self.stopping, release(self.rt, courier)
            )
        except SourceError as exc:
            self.retry_in = self.mailbox.failed(exc)
            error = str(exc)
        except BaseException:
            courier.finish(everything=False)
            raise
        else:
            self.mailbox.recovered()
            self.retry_in = 0.0
        # Mail already committed goes out even while the mailbox is unreachable.
        deliveries = send_and_record(self.rt, courier, outcomes, error=error)
        if outcomes or deliveries:
            log.info("%d messages, %d mails handed over", outcomes.total, deliveries.total)

    def run(self) -> None:
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        signal.signal(signal.SIGHUP, self._hangup)
        record_start(self.rt.store, self.rt.now_iso())
        log.info("watching %s, sending through %s", self.source.label, self.sender.label)
        self.poll()
        while not self.stopping:
            self.scheduler.run_pending()
            idle = self.scheduler.idle_seconds
            timeout = max(1.0, idle if idle is not None else self.rt.settings.poll_seconds)
            if self.mailbox.down:
                self._pause(self.retry_in)
                self.poll()
                continue
            try:
                # IDLE wakes us as soon as mail arrives; otherwise the next scheduled poll does.
                if self.source.wait(timeout):
                    self.poll()
            except SourceError as exc:
                self.retry_in = self.mailbox.failed(exc)
        self.source.close()
        record_stop(self.rt.store, self.rt.now_iso())
        log.info("stopped")
