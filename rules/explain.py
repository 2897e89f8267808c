"""Why a fiche goes where it goes: every rule's hit or miss, then who receives what."""

from __future__ import annotations

from typing import Any

from intake.cli.tables import table
from intake.privacy.policy import Routed, hidden_fields
from parsers.model import Fiche
from rules.engine import route
from rules.loader import LoadedRules


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
    ticket = Routed(fiche.reporter_email, routing.redactions)

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


def describe(data: dict[str, Any], loaded: LoadedRules) -> str:
    """`explain`'s data for a person reading a terminal."""
    fiche = data["fiche"]
    entry = loaded.directory.get(fiche.get("service_id"))
    lines = [f"fiche (found in {fiche.get('source', '?')}):"]
    for key, value in fiche.items():
        if value in (None, "") or key == "source":
            continue
        if key == "service_id" and entry is not None:
            value = f"{value} ({entry.kind}: {entry.name})"
        lines.append(f"  {key}: {value}")
    lines += ["", f"rules ({loaded.path}, version {data['rules_version']}):"]
    lines += _indent(
        table(
            ["RESULT", "RULE", "WHY"], [(t["result"], t["rule"], t["why"]) for t in data["trace"]]
        )
    )
    approval = "approval required" if data["approval_required"] else "no approval"
    lines += ["", f"decision: rule {data['rule']!r}, {approval}"]
    if data["approval_required"]:
        lines.append(
            f"  reminder after {data['reminder_hours']} h, escalation after"
            f" {data['escalate_hours']} h to {', '.join(data['escalate_to'])}"
        )
    lines.append(f"approvers:  {', '.join(data['approvers']) or '-'}")
    lines.append(f"recipients: {', '.join(data['recipients']) or '-'}")
    lines.append(f"cc:         {', '.join(data['cc']) or '-'}")
    redactions = "; ".join(f"{a}: {', '.join(f)}" for a, f in data["redactions"].items())
    lines.append(f"redactions: {redactions or '-'}")
    lines += ["", "mails:"]
    mails = [
        (
            m["template"],
            m["to"],
            m["when"],
            f"hidden: {', '.join(m['hidden'])}" if m["hidden"] else "every field",
        )
        for m in data["mails"]
    ]
    lines += _indent(table(["TEMPLATE", "TO", "WHEN", "SEES"], mails))
    return "\n".join(lines)


def _indent(text: str) -> list[str]:
    return ["  " + line for line in text.splitlines()]
