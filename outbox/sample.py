"""Keep the first few results of a long run and count the rest: memory stays flat."""

from __future__ import annotations

from typing import Generic, TypeVar

T = TypeVar("T")

#: Enough to show a run's summary; a 50,000-message backlog does not keep 50,000 results.
KEEP = 100


class Sample(list[T], Generic[T]):
    """A list of the first `keep` items added, with `total` the count of all of them."""

    def __init__(self, keep: int = KEEP) -> None:
        super().__init__()
        self.keep = keep
        self.total = 0

    def add(self, item: T) -> None:
        self.total += 1
        if len(self) < self.keep:
            self.append(item)
