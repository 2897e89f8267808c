"""Why a fiche goes where it goes: every rule's hit or miss, then who receives what (as data:
the CLI renders it, intake/cli/explanation.py)."""

from __future__ import annotations

from typing import Any

from parsers.model import Fiche
from rules.engine import route
from rules.loader import LoadedRules
from rules.mail_plan import RoutedFiche, mail_plan


def explain(fiche: Fiche, loaded: LoadedRules) -> dict[str, Any]:
    """The routing decision for `fiche`, as plain data (the JSON of `rules explain`)."""
    routing = route(fiche, loaded)
    tried = {t.rule: t for t in routing.trace}
    trace = []
    for rule in loaded.rules.rules:
        step = tried.get(rule.id)
        if step is None:
            trace.append({"rule": rule.id, "result": "not tried", "why": "an earlier rule stopped"})
        else:
            result = "hit" if step.matched else "miss"
            trace.append({"rule": rule.id, "result": result, "why": step.why})
    templates = routing.templates
    # The plan the worker follows, for the ticket this fiche would make.
    ticket = RoutedFiche(
        fiche.reporter_email,
        routing.approvers,
        routing.recipients + routing.cc,
        routing.redactions,
        templates,
    )
    plan = mail_plan(loaded, ticket, approval_required=routing.approval_required)
    mails = [
        {"template": m.template, "to": m.to, "when": m.when, "hidden": m.hidden} for m in plan.mails
    ]
    return {
        "rule": routing.rule,
        "approval_required": routing.approval_required,
        "approvers": routing.approvers,
        "recipients": routing.recipients,
        "cc": routing.cc,
        "redactions": routing.redactions,
        "templates": templates,
        "reminder_hours": routing.reminder_hours,
        "escalate_hours": routing.escalate_hours,
        "escalate_to": routing.escalate_to,
        "rules_version": routing.rules_version,
        "trace": trace,
        "mails": mails,
        "fiche": fiche.model_dump(mode="json"),
    }
