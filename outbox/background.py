"""A delivery round in a thread of its own, while the worker reads and handles messages.

Handing a mail over is mostly waiting for the SMTP server's answers; in its own thread that
wait overlaps the worker's parsing and routing instead of following it. The thread has its
own database connection (SQLite connections stay in the thread that made them), and sends
only mail the worker has made durable: `release(up_to)` says which.
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
from collections.abc import Callable

from outbox.deliver import Courier, Delivery, Limits
from outbox.queue import MailQueue
from outbox.sample import Sample
from outbox.senders import Sender

#: Seconds a thread may run before another waiting for the interpreter gets it. Python's
#: 5 ms would make the delivery thread wait that long after each SMTP answer while the
#: worker parses; 0.5 ms keeps it close to the server's pace.
SWITCH_INTERVAL = 0.0005


class BackgroundCourier:
    def __init__(
        self,
        open_queue: Callable[[], MailQueue],
        sender: Sender,
        envelope_from: str,
        clock: Callable[[], dt.datetime],
        limits: Limits,
    ) -> None:
        self._open_queue = open_queue
        self._args = (sender, envelope_from, clock, limits)
        self._up_to: int | None = 0
        self._closing = False
        self._wake = threading.Event()
        self._error: BaseException | None = None
        self._done: Sample[Delivery] = Sample()
        self._thread = threading.Thread(target=self._run, name="delivery", daemon=True)
        sys.setswitchinterval(SWITCH_INTERVAL)
        self._thread.start()

    def release(self, up_to: int) -> None:
        """Mail up to this outbox id is durable: it may be sent."""
        self._up_to = up_to
        self._wake.set()

    def finish(self, *, everything: bool = True) -> Sample[Delivery]:
        """Send what is due (`everything`: whatever its id; else up to the last release), wait
        for the thread and return its results."""
        if everything:
            self._up_to = None
        self._closing = True
        self._wake.set()
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._done

    def _run(self) -> None:
        try:
            queue = self._open_queue()
        except BaseException as exc:  # noqa: BLE001 - given to the worker by finish()
            self._error = exc
            return
        courier = Courier(queue, *self._args, up_to=lambda: self._up_to)
        try:
            self._wake.clear()
            while not self._closing:
                while courier.step():
                    pass
                self._wake.wait()
                self._wake.clear()
            # finish() set `_up_to` before `_closing`: this last round sees every release.
            self._done = courier.finish()
        except BaseException as exc:  # noqa: BLE001 - given to the worker by finish()
            self._error = exc
        finally:
            courier.sender.close()
            queue.close()
