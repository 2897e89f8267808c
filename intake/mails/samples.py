"""A realistic sample fiche, and each mail template rendered with it: a broken template is found
by `intake doctor` (and refused on SIGHUP) instead of when the first real fiche arrives."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import TemplateError, UndefinedError

from intake.mails.context import mail_context
from intake.mails.registry import KINDS
from intake.store.records import Ticket, TicketStatus
from outbox.errors import OutboxConfigError
from outbox.render import Renderer

SAMPLE_SENDER = "Signalements 39 75 <signalements-3975@paris.fr>"

SAMPLE_TICKET = Ticket(
    id=1,
    ref="3975-2026-00042",
    status=TicketStatus.PENDING_APPROVAL,
    year=2026,
    seq=42,
    message_row=1,
    fiche_index=0,
    service="Mairie du 12e arrondissement",
    service_id="mairie-12",
    reporter_name="Prénom Nom",
    reporter_email="agent.exemple@paris.fr",
    call_date="2026-03-12",
    call_time="14:30",
    category="transfer_error",
    agent_3975="Agent 39 75",
    caller_request="Inscription sur les listes électorales",
    expected_service="Mairie du 11e arrondissement",
    wrong_information=None,
    description="Appel transféré vers l'accueil du 12e au lieu du 11e.",
    follow_up=None,
    approvers=["chef.accueil.m12@paris.fr"],
    recipients=["responsables-3975@paris.fr", "accueil.m11@paris.fr"],
    redactions={},
    approval_round=1,
    errors=None,
    warnings=[],
    created_at="2026-03-12T16:05:00+00:00",
    updated_at="2026-03-12T16:05:00+00:00",
)

#: Template -> its kind, for the kinds of intake/mails/registry.py.
_KINDS = {kind.template: kind for kind in KINDS}


def sample_context(name: str) -> dict[str, Any]:
    """The context the worker would give template `name`, for the sample fiche (only the
    ticket's, for a template of no kind the registry lists)."""
    kind = _KINDS.get(name)
    context = kind.sample(SAMPLE_TICKET) if kind else mail_context(SAMPLE_TICKET)
    return {**context, "sender": SAMPLE_SENDER}


@dataclass(frozen=True)
class TemplateCheck:
    name: str
    #: None when it rendered; otherwise what is wrong.
    problem: str | None
    #: True when only the syntax could be checked (no sample context for this template).
    syntax_only: bool = False


def check_templates(folder: Path) -> list[TemplateCheck]:
    """Render every `*.txt.j2` (and `*.html.j2`) of `folder` with the sample fiche."""
    renderer = Renderer(folder)  # OutboxConfigError when the folder is missing
    checks = []
    for path in sorted(folder.glob("*.j2")):
        stem, _, kind = path.name.removesuffix(".j2").rpartition(".")
        checks.append(_check_one(renderer, stem, kind, path.name))
    return checks


def _check_one(renderer: Renderer, name: str, kind: str, filename: str) -> TemplateCheck:
    known = name in _KINDS
    try:
        render_html = getattr(renderer, "render_html", None)
        if kind == "html" and render_html is not None:
            render_html(name, sample_context(name))
        elif kind == "txt":
            renderer.render(name, sample_context(name))
    except OutboxConfigError as exc:
        cause = exc.__cause__
        if isinstance(cause, UndefinedError) and not known:
            # A template of no kind in registry.py (a rule's own, the digest): syntax only.
            return _syntax(renderer, name, filename)
        return TemplateCheck(filename, str(exc))
    except (TemplateError, TypeError, ValueError) as exc:
        if isinstance(exc, UndefinedError) and not known:
            return _syntax(renderer, name, filename)
        return TemplateCheck(filename, f"{type(exc).__name__}: {exc}")
    return TemplateCheck(filename, None)


def _syntax(renderer: Renderer, name: str, filename: str) -> TemplateCheck:
    try:
        renderer.env.get_template(filename)  # compiles it: a syntax error raises
    except TemplateError as exc:
        return TemplateCheck(filename, f"{type(exc).__name__}: {exc}")
    return TemplateCheck(filename, None, syntax_only=True)
