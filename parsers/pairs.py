"""A value read from a fiche with the rubrique it was read as and the label it was read under."""

from __future__ import annotations

from typing import NamedTuple


class Pair(NamedTuple):
    #: The canonical field (or pseudo-field: `cat:VALUE`, `call_datetime`, `other`).
    field: str
    value: str
    #: The label as written (a line's label, a grid's cell): shown as where the field was read.
    label: str


Pairs = list[Pair]
