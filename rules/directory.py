"""The directory (annuaire) of mairies and services, looked up by id."""

from __future__ import annotations

from collections.abc import Iterator

from rules.model import Entry


class Directory:
    """Read-only view of the directory entries of a rules file."""

    def __init__(self, entries: list[Entry]) -> None:
        self._entries = list(entries)
        self._by_id = {e.id: e for e in self._entries}
        self._people = frozenset(
            a.lower() for e in self._entries for a in [*e.supervisors, *e.contacts]
        )

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, entry_id: str | None) -> Entry | None:
        return self._by_id.get(entry_id) if entry_id else None

    def knows(self, address: str) -> bool:
        """Whether `address` is one of the supervisors or contacts the directory names."""
        return address.lower() in self._people

    def mairie_of_arrondissement(self, number: int) -> Entry | None:
        """The mairie serving arrondissement `number` (1 to 4 all go to Paris Centre)."""
        for entry in self._entries:
            if entry.kind == "mairie" and number in entry.arrondissements:
                return entry
        return None
