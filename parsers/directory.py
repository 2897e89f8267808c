"""The directory (annuaire) of mairies and services: its entries, looked up by id.

The rules file lists it; the parser needs it to recognise the service a fiche names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from parsers.i18n import _

EMAIL_RE = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
Kind = Literal["mairie", "direction", "plateforme", "autre"]


def malformed_address(value: str) -> str:
    return _("adresse « {value} » mal formée : écrivez nom@domaine.fr").format(value=value)


def _check_address(value: str) -> str:
    if not EMAIL_RE.match(value):
        raise ValueError(malformed_address(value))
    return value


Address = Annotated[str, AfterValidator(_check_address)]


class Entry(BaseModel):
    """A mairie, a direction or the 39 75 platform itself."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    kind: Kind
    aliases: list[str] = []
    #: Arrondissements a mairie serves (Paris Centre: 1 to 4); lets "Mairie du 3e" resolve.
    arrondissements: list[int] = []
    supervisors: list[Address] = []
    contacts: list[Address] = []
    attached_mairies: list[str] = []
    address: str | None = None
    phone: str | None = None
    hours: str | None = None
    handles: list[str] = []


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
