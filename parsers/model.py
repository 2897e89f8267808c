"""What the parser makes of one raw email: the contract of `intake parse` (see the README)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Category = Literal["transfer_error", "wrong_information", "other"]
#: "scan": a PDF of page images, "photo": a JPEG/PNG/TIFF; both read by OCR.
Source = Literal[
    "body", "html", "docx", "xlsx", "ods", "odt", "pdf", "csv", "doc", "xls", "rtf", "msg", "txt",
    "scan", "photo",
]
OCR_SOURCES: tuple[Source, ...] = ("scan", "photo")
Decision = Literal["approve", "reject"]

#: Canonical fields in the order of the official form.
FICHE_FIELDS: tuple[str, ...] = (
    "service",
    "service_id",
    "reporter_name",
    "reporter_email",
    "call_date",
    "call_time",
    "category",
    "agent_3975",
    "caller_request",
    "expected_service",
    "wrong_information",
    "description",
    "follow_up",
)

#: Fields that name a person: shown only to those who need them, erased after retention.
PERSONAL_FIELDS: frozenset[str] = frozenset({"agent_3975", "reporter_name", "reporter_email"})


class Fiche(BaseModel):
    """One validated fiche de signalement."""

    model_config = ConfigDict(extra="forbid")

    service: str
    service_id: str | None = None
    reporter_name: str | None = None
    reporter_email: str | None = None
    call_date: dt.date
    call_time: str | None = Field(default=None, pattern=r"^\d{2}:\d{2}$")
    category: Category
    agent_3975: str | None = None
    caller_request: str | None = None
    expected_service: str | None = None
    wrong_information: str | None = None
    description: str
    follow_up: str | None = None
    source: Source = "body"


class FieldError(BaseModel):
    """A problem the agent can fix; `field` is empty when no fiche was found at all."""

    field: str
    message: str


class FicheRead(BaseModel):
    """How one fiche was read: the fields as written where they were understood as something
    else (a date "hier", check boxes for the category), and the warnings about that fiche."""

    written: dict[str, str] = {}
    warnings: list[FieldError] = []
    #: Field -> the label it was read under, as written (a line's label, a table's cell);
    #: fields not written (the sender's address) are absent.
    read_from: dict[str, str] = {}


class FicheResult(BaseModel):
    kind: Literal["fiche"] = "fiche"
    fiches: list[Fiche]
    warnings: list[FieldError] = []
    #: One per fiche, in the order of `fiches`: shown back to the agent who wrote them.
    read: list[FicheRead] = []
    #: Problems of fiches that could not be registered while others in the same email could
    #: (a spreadsheet with one fiche per row): the sender is told about these.
    rejected: list[FieldError] = []


class InvalidResult(BaseModel):
    kind: Literal["invalid"] = "invalid"
    errors: list[FieldError]
    #: What could be read despite the errors, so the reply can show it back to the agent.
    partial: dict[str, str | None] = {}
    #: Field of `partial` -> the label it was read under, as written.
    read_from: dict[str, str] = {}


class IgnoredResult(BaseModel):
    kind: Literal["ignored"] = "ignored"
    reason: Literal["auto_reply", "bounce", "mailing_list", "own_mail", "empty"]


class ReplyResult(BaseModel):
    kind: Literal["reply"] = "reply"
    ref: str
    decision: Decision | None = None
    comment: str | None = None
    #: What the supervisor wrote, as read (quotes and signature removed).
    new_text: str | None = None
    #: The words that decided; with no decision, those that left a doubt.
    decided_by: list[str] = []
