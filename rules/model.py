"""`rules.yaml` as validated models: the directory (annuaire, whose entries are modelled in
`parsers/directory.py`, the parser needing them too) and the ordered routing rules.

These models check the shape of each value; what needs the whole file (references to directory
ids, duplicate ids, rule order, templates on disk) is checked in `rules/semantic.py`.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from parsers.directory import Address, Entry
from parsers.i18n import N_, _

#: Mail kinds a rule may give its own template, each named by its default template.
TEMPLATE_KINDS: dict[str, str] = {
    "accuse-reception": "acknowledgement to the reporter",
    "demande-validation": "approval request",
    "transmission": "forwarding to the recipients",
    "fiche-invalide": "answer to an invalid fiche",
    "commentaire": "a comment on a ticket, relayed",
}


#: What a condition looks like (pydantic fixes it at import: translated when shown).
CONDITION_SHAPE = N_(
    "une condition s'écrit {field: RUBRIQUE, equals: VALEUR} (ou in, contains, regex, min,"
    " max), ou {all: [...]}, {any: [...]}, {not: {...}}"
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldCondition(Strict):
    """One test on a fiche field: `category`, `service_id`, `service.kind`, `call_hour`..."""

    field: str
    equals: str | int | None = None
    in_: list[str | int] | None = Field(default=None, alias="in")
    contains: str | None = None
    regex: str | None = None
    #: Numeric bounds, both inclusive: `{field: call_hour, min: 8, max: 12}` is 8:00 to 12:59.
    min: int | None = None
    max: int | None = None

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                message = _("expression régulière « {value} » invalide ({error}) : corrigez-la")
                raise ValueError(message.format(value=value, error=exc)) from exc
        return value

    @model_validator(mode="after")
    def _one_operator(self) -> FieldCondition:
        given = [
            op for op in ("equals", "in_", "contains", "regex") if getattr(self, op) is not None
        ]
        bounds = self.min is not None or self.max is not None
        if len(given) + bounds != 1:
            raise ValueError(
                _("une condition prend un seul test : equals, in, contains, regex, ou min/max")
            )
        return self


class AllOf(Strict):
    all: list[Condition]


class AnyOf(Strict):
    any: list[Condition]


class Not(Strict):
    not_: Condition = Field(alias="not")


def _condition_kind(value: Any) -> str | None:
    """Which model a condition mapping is, from its keys; a bad key is then reported by name."""
    if isinstance(value, BaseModel):
        return type(value).__name__
    if not isinstance(value, dict):
        return None
    for key, kind in (("all", "AllOf"), ("any", "AnyOf"), ("not", "Not")):
        if key in value and "field" not in value:
            return kind
    return "FieldCondition"


Condition = Annotated[
    Annotated[FieldCondition, Tag("FieldCondition")]
    | Annotated[AllOf, Tag("AllOf")]
    | Annotated[AnyOf, Tag("AnyOf")]
    | Annotated[Not, Tag("Not")],
    Discriminator(
        _condition_kind, custom_error_type="condition", custom_error_message=CONDITION_SHAPE
    ),
]


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
    #: Mail kind (see TEMPLATE_KINDS) -> template name in the templates folder.
    templates: dict[str, str] = {}
    #: A reminder to the approvers after this long without a decision...
    reminder_hours: int = Field(default=48, ge=1)
    #: ...and after this long, a new approval round with `escalate_to` (default: the queue).
    escalate_hours: int = Field(default=96, ge=1)
    escalate_to: list[str] = []
    #: Who gets a copy of a comment someone replies on a ticket's mails (default: nobody).
    relay_comments_to: list[str] = []
    stop: bool = True


class RulesFile(Strict):
    directory: list[Entry]
    #: Where a fiche goes when no approver or recipient can be found: never nowhere.
    queue: Address
    #: Who is told when an edit of this file is refused (default: the queue).
    admins: list[Address] = []
    #: Directory id of the 39 75 managers' entry.
    platform: str = "plateforme-3975"
    #: Ticket reference prefix, as in 3975-2026-00042.
    reference_prefix: str = "3975"
    rules: list[Rule]


for _model in (AllOf, AnyOf, Not, Rule, RulesFile):
    _model.model_rebuild()
