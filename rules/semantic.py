"""Checks that need the whole file: references, duplicate ids, rule order, templates on disk.

Each check works on whatever parts of the file are well formed, so one broken rule does not
hide the mistakes of the others.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parsers.directory import EMAIL_RE, Entry, malformed_address
from parsers.fold import fold
from parsers.i18n import _
from parsers.model import FICHE_FIELDS
from rules.facts import DERIVED, FIELDS, NUMERIC, VALUES
from rules.model import TEMPLATE_KINDS, AllOf, AnyOf, Condition, FieldCondition, Rule
from rules.problems import Loc, Locator, Problem, did_you_mean

PARTS = ("supervisors", "contacts", "attached_mairies")
TEMPLATE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
DEFAULT_PLATFORM = "plateforme-3975"


@dataclass
class Context:
    where: Locator
    ids: list[str]
    templates: Path | None
    problems: list[Problem]

    def add(self, loc: Loc, message: str, *, key: bool = False) -> None:
        self.problems.append(self.where.problem(loc, message, key=key))


def check_semantics(
    data: dict[str, Any],
    entries: dict[int, Entry],
    rules: dict[int, Rule],
    where: Locator,
    templates: Path | None,
) -> list[Problem]:
    raw_entries = _items(data.get("directory"))
    raw_rules = _items(data.get("rules"))
    ctx = Context(
        where, [e["id"] for _, e in raw_entries if isinstance(e.get("id"), str)], templates, []
    )
    _duplicates(ctx, "directory", raw_entries)
    _duplicates(ctx, "rules", raw_rules)
    platform = data.get("platform", DEFAULT_PLATFORM)
    if isinstance(platform, str) and "directory" in data and platform not in ctx.ids:
        ctx.add(
            ("platform",),
            _("platform « {platform} » n'est l'identifiant d'aucune entrée de l'annuaire").format(
                platform=platform
            )
            + (did_you_mean(platform, ctx.ids) or _(" : ajoutez une entrée avec cet identifiant")),
        )
    for i, entry in entries.items():
        for j, target in enumerate(entry.attached_mairies):
            if target not in ctx.ids:
                ctx.add(
                    ("directory", i, "attached_mairies", j),
                    _(
                        "identifiant « {target} » absent de l'annuaire, dans attached_mairies"
                    ).format(target=target)
                    + (did_you_mean(target, ctx.ids) or _(" : ajoutez-le à l'annuaire")),
                )
    _order(ctx, raw_rules)
    for i, rule in rules.items():
        _rule(ctx, i, rule)
    return ctx.problems


def _items(value: object) -> list[tuple[int, dict[str, Any]]]:
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def _duplicates(ctx: Context, section: str, items: list[tuple[int, dict[str, Any]]]) -> None:
    seen: dict[str, int] = {}
    for i, item in items:
        ident = item.get("id")
        if not isinstance(ident, str):
            continue
        if ident in seen:
            first = ctx.where.problem((section, seen[ident], "id"), "").line
            ctx.add(
                (section, i, "id"),
                _(
                    "identifiant « {ident} » en double : déjà utilisé ligne {first} ; donnez à"
                    " chacun le sien"
                ).format(ident=ident, first=first),
            )
        else:
            seen[ident] = i


def _order(ctx: Context, raw_rules: list[tuple[int, dict[str, Any]]]) -> None:
    """A rule after a catch-all that stops can never match; the last rule must be a catch-all."""
    if not raw_rules:
        return
    blocker: tuple[int, str] | None = None
    for i, rule in raw_rules:
        name = rule.get("id", f"#{i + 1}")
        if blocker is not None:
            line = ctx.where.problem(("rules", blocker[0]), "").line
            ctx.add(
                ("rules", i, "id"),
                _(
                    "la règle « {name} » ne peut jamais s'appliquer : la règle « {blocker} »"
                    " (ligne {line}) n'a pas de 'when' et arrête toutes les fiches ; placez"
                    " « {name} » au-dessus"
                ).format(name=name, blocker=blocker[1], line=line),
            )
        elif "when" not in rule and rule.get("stop", True) is not False:
            blocker = (i, str(name))
    last, rule = raw_rules[-1]
    if "when" in rule:
        ctx.add(
            ("rules", last, "when"),
            _(
                "la dernière règle « {name} » a un 'when' : terminez par une règle sans 'when',"
                " pour que toute fiche soit routée"
            ).format(name=rule.get("id", "")),
            key=True,
        )


def _rule(ctx: Context, i: int, rule: Rule) -> None:
    base: tuple[int | str, ...] = ("rules", i)
    if rule.when is not None:
        for loc, cond in _conditions(rule.when, (*base, "when")):
            _condition(ctx, loc, cond)
    for attr in ("approvers", "recipients", "cc", "escalate_to", "relay_comments_to"):
        for j, ref in enumerate(getattr(rule, attr)):
            _reference(ctx, (*base, attr, j), ref)
    for ref, fields in rule.redact.items():
        _reference(ctx, (*base, "redact", ref), ref, key=True)
        for j, name in enumerate(fields):
            if name not in FICHE_FIELDS:
                ctx.add(
                    (*base, "redact", ref, j),
                    _(
                        "impossible de cacher « {name} » : ce n'est pas une rubrique de la fiche"
                    ).format(name=name)
                    + (did_you_mean(name, FICHE_FIELDS) or f" ({', '.join(FICHE_FIELDS)})"),
                )
    for kind, name in rule.templates.items():
        _template(ctx, (*base, "templates", kind), kind, name)


def _conditions(cond: Condition, loc: Loc) -> Iterator[tuple[Loc, FieldCondition]]:
    if isinstance(cond, FieldCondition):
        yield loc, cond
    elif isinstance(cond, AllOf | AnyOf):
        key = "all" if isinstance(cond, AllOf) else "any"
        for j, sub in enumerate(cond.all if isinstance(cond, AllOf) else cond.any):
            yield from _conditions(sub, (*loc, key, j))
    else:
        yield from _conditions(cond.not_, (*loc, "not"))


def _condition(ctx: Context, loc: Loc, cond: FieldCondition) -> None:
    if cond.field not in FIELDS:
        ctx.add(
            (*loc, "field"),
            _("rubrique « {field} » inconnue dans une condition").format(field=cond.field)
            + (
                did_you_mean(cond.field, FIELDS)
                or _(" ; rubriques possibles : {fields}").format(fields=", ".join(FIELDS))
            ),
        )
        return
    if (cond.min is not None or cond.max is not None) and cond.field not in NUMERIC:
        ctx.add(
            loc,
            _(
                "min et max comparent des nombres, et « {field} » n'en est pas un : écrivez"
                " equals, in, contains ou regex"
            ).format(field=cond.field),
        )
    if cond.min is not None and cond.max is not None and cond.min > cond.max:
        ctx.add(
            (*loc, "min"),
            _("min {min} est plus grand que max {max} : rien ne peut convenir").format(
                min=cond.min, max=cond.max
            ),
        )
    known = list(VALUES.get(cond.field, ()))
    if cond.field == "service_id":
        known = ctx.ids
    if not known:
        return
    values: list[tuple[int | str, str | int]] = []
    if cond.equals is not None:
        values.append(("equals", cond.equals))
    values += [(j, v) for j, v in enumerate(cond.in_ or [])]
    folded = {fold(k) for k in known}
    for step, value in values:
        if fold(str(value)) not in folded:
            at = (*loc, step) if step == "equals" else (*loc, "in", step)
            what = DERIVED.get(cond.field, ", ".join(known))
            ctx.add(
                at,
                _("« {value} » ne peut jamais être la valeur de {field}").format(
                    value=value, field=cond.field
                )
                + (did_you_mean(str(value), known) or f" ({what})"),
            )


def _reference(ctx: Context, loc: Loc, ref: str, *, key: bool = False) -> None:
    """`x@y`, `ID`, `ID.part` or `service.part`, where part is supervisors|contacts|..."""
    if "@" in ref:
        if not EMAIL_RE.match(ref):
            ctx.add(loc, malformed_address(ref), key=key)
        return
    owner, dot, part = ref.partition(".")
    if dot and part not in PARTS:
        ctx.add(
            loc,
            _("« {part} » inconnu dans « {ref} »").format(part=part, ref=ref)
            + (
                did_you_mean(part, PARTS)
                or _(" : écrivez l'un de {parts}").format(parts=", ".join(PARTS))
            ),
            key=key,
        )
    elif owner != "service" and owner not in ctx.ids:
        hint = did_you_mean(owner, ctx.ids)
        ctx.add(
            loc,
            _("identifiant « {owner} » absent de l'annuaire, dans « {ref} »{hint}").format(
                owner=owner, ref=ref, hint=hint
            )
            if hint
            else _(
                "référence « {ref} » inconnue : ce n'est ni un identifiant de l'annuaire ni une"
                " adresse ; écrivez nom@domaine.fr, un identifiant, ID.supervisors,"
                " ID.attached_mairies, service.supervisors, service.contacts ou"
                " service.attached_mairies"
            ).format(ref=ref),
            key=key,
        )


def _template(ctx: Context, loc: Loc, kind: str, name: str) -> None:
    if kind not in TEMPLATE_KINDS:
        ctx.add(
            loc,
            _("sorte de courriel « {kind} » inconnue").format(kind=kind)
            + (
                did_you_mean(kind, TEMPLATE_KINDS)
                or _(" : écrivez l'une de {kinds}").format(kinds=", ".join(TEMPLATE_KINDS))
            ),
            key=True,
        )
    if not TEMPLATE_NAME.match(name):
        ctx.add(
            loc,
            _(
                "nom de modèle « {name} » : écrivez un nom de fichier sans dossier ni extension,"
                " par exemple transmission-dpe pour transmission-dpe.txt.j2"
            ).format(name=name),
        )
        return
    if ctx.templates is None or (ctx.templates / f"{name}.txt.j2").is_file():
        return
    present = [p.name.removesuffix(".txt.j2") for p in ctx.templates.glob("*.txt.j2")]
    ctx.add(
        loc,
        _("modèle « {name} » introuvable : pas de fichier {name}.txt.j2 dans {folder}").format(
            name=name, folder=ctx.templates
        )
        + (did_you_mean(name, present) or _(" ; créez-le ou nommez un modèle existant")),
    )
