"""`intake rules explain` for a person reading a terminal: the fiche, each rule's hit or miss,
the decision and the mails, from the data of rules/explain.py."""

from __future__ import annotations

from typing import Any

from intake.cli.tables import table
from rules.loader import LoadedRules


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
