"""Why a fiche goes where it goes: every rule's hit or miss, then who receives what."""

from __future__ import annotations

from typing import Any

from parsers.model import Fiche
from rules.engine import route
from rules.loader import LoadedRules
from rules.visibility import hidden_fields


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
    # The same policy as the mails themselves: the rules' redactions, and the 39 75 agent's
    # name for the 39 75 managers and the reporter only.
    ticket = {"reporter_email": fiche.reporter_email, "redactions": routing.redactions}

    def hidden(address: str) -> list[str]:
        return hidden_fields(loaded, ticket, [address])

    mails: list[dict[str, Any]] = []
    if fiche.reporter_email:
        reporter = fiche.reporter_email.lower()
        mails.append(_mail(templates["accuse-reception"], reporter, "now", hidden(reporter)))
    if routing.approval_required:
        for address in routing.approvers:
            mails.append(_mail(templates["demande-validation"], address, "now", hidden(address)))
    when = "after approval" if routing.approval_required else "now"
    for address in routing.recipients + routing.cc:
        mails.append(_mail(templates["transmission"], address, when, hidden(address)))
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


def _mail(template: str, to: str, when: str, hidden: list[str]) -> dict[str, Any]:
    return {"template": template, "to": to, "when": when, "hidden": hidden}
