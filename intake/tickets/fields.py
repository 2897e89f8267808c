"""What a new ticket stores of its fiche, and its reference."""

from __future__ import annotations

from typing import Any

from intake.privacy.policy import without_agent_name
from intake.runtime import Runtime
from parsers.model import Fiche


def new_reference(rt: Runtime, year: int) -> tuple[str, int]:
    """The next free reference of the year, e.g. 3975-2026-00042 (inside a transaction)."""
    seq = rt.store.next_sequence(year)
    return f"{rt.rules.rules.reference_prefix}-{year}-{seq:05d}", seq


def fiche_record(fiche: Fiche) -> dict[str, Any]:
    """The fiche's fields as stored: the text kept for statistics never names the agent."""
    return without_agent_name(fiche.model_dump(mode="json"))
