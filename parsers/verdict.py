"""The validated fiches of the chosen candidate to one result: fiches, rejected rows, errors."""

from __future__ import annotations

from parsers.model import FicheRead, FicheResult, FieldError, InvalidResult
from parsers.rows import Record
from parsers.validate import Outcome


def _where(number: int, record: Record) -> str:
    return f"Fiche n° {number} (ligne {record.line})" if record.line else f"Fiche n° {number}"


def _numbered(
    records: list[Record], outcomes: list[Outcome], *, failed_only: bool
) -> list[FieldError]:
    return [
        FieldError(field=e.field, message=f"{_where(n, record)} : {e.message}")
        for n, (record, outcome) in enumerate(zip(records, outcomes, strict=True), 1)
        if not (failed_only and outcome.fiche is not None)
        for e in outcome.errors
    ]


def verdict(
    records: list[Record], outcomes: list[Outcome], problems: list[FieldError]
) -> FicheResult | InvalidResult:
    """Valid fiches are registered even when other rows of the same table are not: those rows'
    problems go to `rejected` for the sender. Only when no fiche is valid is the mail invalid.
    `problems` (attachments that could not be read) are warnings beside a valid fiche."""
    fiches = [o.fiche for o in outcomes if o.fiche is not None]
    if fiches:
        read = [
            FicheRead(written=o.written, warnings=o.warnings, read_from=o.read_from)
            for o in outcomes
            if o.fiche
        ]
        warnings = [w for r in read for w in r.warnings]
        rejected = _numbered(records, outcomes, failed_only=True)
        return FicheResult(
            fiches=fiches, warnings=warnings + problems, rejected=rejected, read=read
        )
    first = outcomes[0]
    if len(outcomes) == 1:
        return InvalidResult(
            errors=first.errors + problems, partial=first.partial, read_from=first.read_from
        )
    errors = _numbered(records, outcomes, failed_only=False)
    return InvalidResult(errors=errors + problems, partial=first.partial, read_from=first.read_from)
