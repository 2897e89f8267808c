"""Decide where a fiche goes: walk the ordered rules, record every hit and miss."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.directory import Directory
from parsers.fold import fold
from parsers.model import Fiche
from rules.facts import fiche_facts
from rules.loader import LoadedRules
from rules.model import TEMPLATE_KINDS, AllOf, AnyOf, Condition, FieldCondition, Not, Rule


@dataclass(frozen=True)
class RuleTrace:
    rule: str
    matched: bool
    #: The condition that decided, in words, for `rules explain`.
    why: str


@dataclass(frozen=True)
class Routing:
    """What the rules decided for one fiche."""

    rule: str
    approval_required: bool
    approvers: list[str]
    recipients: list[str]
    cc: list[str]
    #: Address -> fields that recipient must not see.
    redactions: dict[str, list[str]]
    reminder_hours: int
    escalate_hours: int
    escalate_to: list[str]
    rules_version: str
    trace: list[RuleTrace] = field(default_factory=list)
    #: Mail kind (accuse-reception, demande-validation, transmission, fiche-invalide) ->
    #: the template to render for it.
    templates: dict[str, str] = field(default_factory=lambda: {k: k for k in TEMPLATE_KINDS})
    #: Who gets a copy of the comments replied on this fiche's mails.
    relay_to: list[str] = field(default_factory=list)


def evaluate(cond: Condition, facts: dict[str, str | None]) -> tuple[bool, str]:
    if isinstance(cond, AllOf):
        for sub in cond.all:
            ok, why = evaluate(sub, facts)
            if not ok:
                return False, why
        return True, " and ".join(evaluate(s, facts)[1] for s in cond.all)
    if isinstance(cond, AnyOf):
        whys = []
        for sub in cond.any:
            ok, why = evaluate(sub, facts)
            if ok:
                return True, why
            whys.append(why)
        return False, " and ".join(whys)
    if isinstance(cond, Not):
        ok, why = evaluate(cond.not_, facts)
        return not ok, f"not ({why})"
    return _evaluate_field(cond, facts)


def _evaluate_field(cond: FieldCondition, facts: dict[str, str | None]) -> tuple[bool, str]:
    actual = facts.get(cond.field)
    value = fold(actual) if actual is not None else None
    if cond.equals is not None:
        ok, test = value == fold(str(cond.equals)), f"== {cond.equals!r}"
    elif cond.in_ is not None:
        ok, test = value in {fold(str(v)) for v in cond.in_}, f"in {cond.in_!r}"
    elif cond.contains is not None:
        ok, test = value is not None and fold(cond.contains) in value, f"contains {cond.contains!r}"
    elif cond.regex is None:
        return _evaluate_bounds(cond, actual)
    else:
        pattern = cond.regex or ""
        ok = actual is not None and re.search(pattern, actual, re.IGNORECASE) is not None
        test = f"matches /{pattern}/"
    return ok, f"{cond.field} ({actual!r}) {'' if ok else 'not '}{test}"


def _evaluate_bounds(cond: FieldCondition, actual: str | None) -> tuple[bool, str]:
    low = -float("inf") if cond.min is None else cond.min
    high = float("inf") if cond.max is None else cond.max
    number = float(actual) if actual is not None and actual.isdigit() else None
    ok = number is not None and low <= number <= high
    bounds = " and ".join(
        t
        for t in (
            f">= {cond.min}" if cond.min is not None else "",
            f"<= {cond.max}" if cond.max is not None else "",
        )
        if t
    )
    return ok, f"{cond.field} ({actual!r}) {'' if ok else 'not '}{bounds}"


def templates_for(matched: list[Rule]) -> dict[str, str]:
    """Each mail kind's template: the first matching rule that names one, else the default."""
    chosen = {kind: kind for kind in TEMPLATE_KINDS}
    for rule in reversed(matched):
        chosen.update(rule.templates)
    return chosen


def resolve(reference: str, fiche: Fiche, directory: Directory) -> list[str]:
    """Addresses a reference names: `x@y`, `ID`, `ID.supervisors`, `service.contacts`..."""
    if "@" in reference:
        return [reference.lower()]
    owner, _, part = reference.partition(".")
    entry = directory.get(fiche.service_id if owner == "service" else owner)
    if entry is None:
        return []
    if part == "attached_mairies":
        found = [directory.get(i) for i in entry.attached_mairies]
        return [a.lower() for e in found if e for a in e.contacts]
    if part == "supervisors":
        return [a.lower() for a in entry.supervisors]
    return [a.lower() for a in entry.contacts]


def _unique(addresses: list[str]) -> list[str]:
    return list(dict.fromkeys(addresses))


def route(fiche: Fiche, loaded: LoadedRules) -> Routing:
    """Walk the rules in order; the first match decides unless it says `stop: false`."""
    directory = loaded.directory
    facts = fiche_facts(fiche, directory)
    trace: list[RuleTrace] = []
    matched: list[Rule] = []
    for rule in loaded.rules.rules:
        if rule.when is None:
            ok, why = True, "no condition (default rule)"
        else:
            ok, why = evaluate(rule.when, facts)
        trace.append(RuleTrace(rule.id, ok, why))
        if ok:
            matched.append(rule)
            if rule.stop:
                break
    deciding = matched[0]

    def gather(attr: str) -> list[str]:
        return _unique(
            [a for r in matched for ref in getattr(r, attr) for a in resolve(ref, fiche, directory)]
        )

    approvers = gather("approvers")
    recipients = gather("recipients")
    required = deciding.approval == "required"
    queue = loaded.rules.queue.lower()
    # Never nowhere: a fiche nobody can approve or receive goes to the human queue.
    if required and not approvers:
        approvers = [queue]
    if not recipients:
        recipients = [queue]
    redactions: dict[str, list[str]] = {}
    for rule in matched:
        for ref, fields in rule.redact.items():
            for address in resolve(ref, fiche, directory):
                redactions.setdefault(address, [])
                redactions[address] = _unique(redactions[address] + fields)
    return Routing(
        rule=deciding.id,
        approval_required=required,
        approvers=approvers,
        recipients=recipients,
        cc=gather("cc"),
        redactions=redactions,
        reminder_hours=deciding.reminder_hours,
        escalate_hours=deciding.escalate_hours,
        escalate_to=[a for ref in deciding.escalate_to for a in resolve(ref, fiche, directory)]
        or [queue],
        rules_version=loaded.version,
        trace=trace,
        templates=templates_for(matched),
        relay_to=gather("relay_comments_to"),
    )
