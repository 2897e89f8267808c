"""`rules.yaml` as validated models: the directory (annuaire) and the ordered routing rules."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

EMAIL_RE = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
Kind = Literal["mairie", "direction", "plateforme", "autre"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_addresses(values: list[str]) -> list[str]:
    for value in values:
        if not EMAIL_RE.match(value):
            raise ValueError(f"malformed address {value!r}: write name@domain.fr")
    return values


class Entry(Strict):
    """A mairie, a direction or the 39 75 platform itself."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    kind: Kind
    aliases: list[str] = []
    #: Arrondissements a mairie serves (Paris Centre: 1 to 4); lets "Mairie du 3e" resolve.
    arrondissements: list[int] = []
    supervisors: list[str] = []
    contacts: list[str] = []
    attached_mairies: list[str] = []
    address: str | None = None
    phone: str | None = None
    hours: str | None = None
    handles: list[str] = []

    _addresses = field_validator("supervisors", "contacts")(_check_addresses)


class FieldCondition(Strict):
    """One test on a fiche field: `category`, `service_id`, `service.kind`, `reporter_domain`..."""

    field: str
    equals: str | None = None
    in_: list[str] | None = Field(default=None, alias="in")
    contains: str | None = None
    regex: str | None = None

    @model_validator(mode="after")
    def _one_operator(self) -> FieldCondition:
        operators = ("equals", "in_", "contains", "regex")
        given = [op for op in operators if getattr(self, op) is not None]
        if len(given) != 1:
            raise ValueError("one condition takes exactly one of: equals, in, contains, regex")
        if self.regex is not None:
            try:
                re.compile(self.regex)
            except re.error as exc:
                raise ValueError(f"invalid regex {self.regex!r}: {exc}") from exc
        return self


class AllOf(Strict):
    all: list[Condition]


class AnyOf(Strict):
    any: list[Condition]


class Not(Strict):
    not_: Condition = Field(alias="not")


Condition = FieldCondition | AllOf | AnyOf | Not


class Rule(Strict):
    """Conditions, then what to do with a fiche that meets them."""

    id: str
    description: str = ""
    when: Condition | None = None  # None: matches every fiche (a catch-all)
    approval: Literal["required", "none"] = "required"
    #: Addresses or references: `x@y`, `ID` (its contacts), `ID.supervisors`,
    #: `service.supervisors`, `service.contacts`, `service.attached_mairies`.
    approvers: list[str] = []
    recipients: list[str] = []
    cc: list[str] = []
    #: Fields hidden from a recipient reference, e.g. {"service.attached_mairies": ["agent_3975"]}.
    redact: dict[str, list[str]] = {}
    #: A reminder to the approvers after this long without a decision...
    reminder_hours: int = Field(default=48, ge=1)
    #: ...and after this long, a new approval round with `escalate_to` (default: the queue).
    escalate_hours: int = Field(default=96, ge=1)
    escalate_to: list[str] = []
    stop: bool = True


class RulesFile(Strict):
    directory: list[Entry]
    #: Where a fiche goes when no approver or recipient can be found: never nowhere.
    queue: str
    #: Directory id of the 39 75 managers' entry.
    platform: str = "plateforme-3975"
    #: Ticket reference prefix, as in 3975-2026-00042.
    reference_prefix: str = "3975"
    rules: list[Rule]

    _queue = field_validator("queue")(lambda v: _check_addresses([v])[0])

    @model_validator(mode="after")
    def _consistent(self) -> RulesFile:
        ids = [e.id for e in self.directory]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate directory ids: {', '.join(dupes)}")
        if self.platform not in ids:
            raise ValueError(f"platform {self.platform!r} is not a directory id")
        if not self.rules or self.rules[-1].when is not None:
            raise ValueError("the last rule must be the default rule: a rule without 'when'")
        return self


for _model in (AllOf, AnyOf, Not, Rule, RulesFile):
    _model.model_rebuild()
