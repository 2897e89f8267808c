"""Retry a failing server with growing pauses, and log one line per outage, not per attempt."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


class Outage:
    def __init__(
        self,
        what: str,
        *,
        first: float = 5.0,
        longest: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.what, self.first, self.longest, self.clock = what, first, longest, clock
        self.since: float | None = None
        self.attempts = 0

    @property
    def down(self) -> bool:
        return self.since is not None

    def failed(self, error: Exception) -> float:
        """Record a failed attempt; returns how long to wait before the next one."""
        if self.since is None:
            self.since = self.clock()
            log.error("%s unavailable, retrying with backoff: %s", self.what, error)
        else:
            log.debug("%s still unavailable: %s", self.what, error)
        self.attempts += 1
        return min(self.first * 2 ** (self.attempts - 1), self.longest)

    def recovered(self) -> None:
        if self.since is not None:
            log.warning(
                "%s available again after %.0f s and %d failed attempts",
                self.what,
                self.clock() - self.since,
                self.attempts,
            )
        self.since, self.attempts = None, 0
