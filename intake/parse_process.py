"""Parsing a batch of messages, in a second process when the machine has a core to spare.

Parsing is pure (no database, no network) and is most of the worker's CPU time. Handed to a
child process, it runs while the worker stores, routes and sends the batch before it. The
child only ever computes: killing it, or the worker, loses nothing, and a broken child makes
the batch be parsed in the worker itself.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from parsers import classify
from parsers.classify import Result
from parsers.context import ParseContext

log = logging.getLogger(__name__)

#: The child's parse context, set once when it starts (inherited through fork, never pickled).
_context: ParseContext | None = None


def _die_with(parent: int) -> None:
    """The child must not outlive the worker: it would keep the worker's lock file open (an
    inherited descriptor) and a restarted worker would refuse to start. Linux kills it with its
    parent (PR_SET_PDEATHSIG); elsewhere the lock is released when the child ends."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the worker died before the line above
        os._exit(0)


def _start_child(context: ParseContext, parent: int) -> None:
    global _context
    _context = context
    _die_with(parent)
    # The worker decides when to stop: the child never acts on the worker's signals.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _classify_all(raws: list[bytes]) -> list[Result]:
    assert _context is not None
    return [classify(raw, _context) for raw in raws]


class Pending:
    """The parse results of one batch, ready when `results()` is called."""

    def __init__(
        self, raws: list[bytes], context: ParseContext, future: Future[list[Result]] | None
    ) -> None:
        self.raws, self.context, self.future = raws, context, future

    def results(self) -> list[Result]:
        if self.future is not None:
            try:
                return self.future.result()
            except BrokenProcessPool:
                log.warning("the parse process stopped: this batch is parsed in the worker")
        return [classify(raw, self.context) for raw in self.raws]


class Classifier:
    """Starts the parsing of a batch now and gives its results later."""

    def __init__(self, processes: int) -> None:
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None
        self._context: ParseContext | None = None

    def start(self, raws: list[bytes], context: ParseContext) -> Pending:
        if not self.processes or not raws:
            return Pending(raws, context, None)
        pool = self._pool_for(context)
        try:
            return Pending(raws, context, pool.submit(_classify_all, raws))
        except BrokenProcessPool:
            self.close()  # a new child is started for the next batch
            return Pending(raws, context, None)

    def _pool_for(self, context: ParseContext) -> ProcessPoolExecutor:
        """The running child, or a new one when there is none or the rules or form changed."""
        same = self._context is not None and (
            context.form is self._context.form
            and context.wordings is self._context.wordings
            and context.directory is self._context.directory
            and context.own_addresses == self._context.own_addresses
            and context.reference_prefix == self._context.reference_prefix
        )
        if self._pool is None or not same:
            self.close()
            self._pool = ProcessPoolExecutor(
                max_workers=self.processes,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_start_child,
                initargs=(context, os.getpid()),
            )
            self._context = context
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
