"""Validate a rules file completely: every mistake, each with its line and column."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from parsers.directory import Entry
from parsers.i18n import _
from rules.model import Rule, RulesFile
from rules.problems import Locator, Problem, from_validation
from rules.semantic import check_semantics

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class CheckResult:
    problems: list[Problem]
    #: The validated file, when there are no problems.
    model: RulesFile | None


def check_text(path: Path, text: str, templates: Path | None = None) -> CheckResult:
    """`text` is the content of `path`; `templates`, when given, is where named templates live."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        return CheckResult([_syntax(path, exc)], None)
    where = Locator(path, root)
    if not isinstance(data, dict):
        return CheckResult(
            [
                where.problem(
                    (), _("le fichier doit contenir les clés directory:, queue: et rules:")
                )
            ],
            None,
        )
    problems = _duplicate_keys(where, root)
    model: RulesFile | None = None
    try:
        model = RulesFile.model_validate(data)
    except ValidationError as exc:
        problems += [from_validation(e, where) for e in exc.errors()]
    entries = _valid(Entry, data.get("directory"))
    rules = _valid(Rule, data.get("rules"))
    problems += check_semantics(data, entries, rules, where, templates)
    problems.sort(key=lambda p: (p.line, p.column))
    return CheckResult(problems, None if problems else model)


def _syntax(path: Path, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    what = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = _("syntaxe YAML : {what}").format(what=what) + (f" ({context})" if context else "")
    message += _(
        " ; vérifiez l'indentation, et mettez entre guillemets les valeurs qui contiennent"
        " « : » ou commencent par [ { * &"
    )
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return Problem(path, line, column, message)


def _duplicate_keys(where: Locator, node: yaml.Node | None) -> list[Problem]:
    """PyYAML keeps the last of two equal keys without a word: an edit would silently vanish."""
    found: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            if key.value in seen:
                found.append(
                    Problem(
                        where.path,
                        key.start_mark.line + 1,
                        key.start_mark.column + 1,
                        _(
                            "clé « {key} » écrite deux fois (la première ligne {line}) : la"
                            " première serait ignorée ; n'en gardez qu'une"
                        ).format(key=key.value, line=seen[key.value]),
                    )
                )
            else:
                seen[key.value] = key.start_mark.line + 1
            found += _duplicate_keys(where, value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found += _duplicate_keys(where, item)
    return found


def _valid(model: type[M], items: Any) -> dict[int, M]:
    """The well-formed items of a list, by position, for the checks on the whole file.

    An item with a broken key is checked without that key, so its other mistakes still show;
    the broken key itself is already reported by the validation of the whole file.
    """
    valid: dict[int, M] = {}
    for i, item in enumerate(items if isinstance(items, list) else []):
        for _attempt in range(2):
            try:
                valid[i] = model.model_validate(item)
                break
            except ValidationError as exc:
                if not isinstance(item, dict):
                    break
                broken = {e["loc"][0] for e in exc.errors() if e["loc"]}
                item = {k: v for k, v in item.items() if k not in broken}
    return valid
