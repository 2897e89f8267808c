"""Mistakes in a rules file, each placed at the line and column of the YAML node concerned."""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel
from pydantic_core import ErrorDetails

from parsers.i18n import _
from rules.model import RulesFile

#: A path into the file, as pydantic gives it: keys and list positions.
Loc = Sequence[int | str]


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int  # 1-based, as editors count
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return _(" : vouliez-vous dire « {choice} » ?").format(choice=close[0]) if close else ""


class Locator:
    """Finds the YAML node a path points to, to report the position an editor can jump to."""

    def __init__(self, path: Path, root: yaml.Node | None) -> None:
        self.path, self.root = path, root

    def node(self, loc: Loc, *, key: bool = False) -> yaml.Node | None:
        """The deepest node along `loc`; with `key`, the key node of the last mapping step."""
        node, found = self.root, self.root
        for i, step in enumerate(loc):
            if isinstance(node, yaml.MappingNode) and isinstance(step, str):
                pair = next((p for p in node.value if p[0].value == step), None)
                if pair is None:
                    continue  # a union member name pydantic adds, or a missing key
                found = pair[0] if key and i == len(loc) - 1 else pair[1]
                node = pair[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                if not 0 <= step < len(node.value):
                    break
                node = found = node.value[step]
        return found

    def problem(self, loc: Loc, message: str, *, key: bool = False) -> Problem:
        node = self.node(loc, key=key)
        mark = node.start_mark if node is not None else None
        return Problem(
            self.path, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, message
        )


def _model_at(loc: Loc) -> type[BaseModel] | None:
    """The model class whose field the last step of `loc` names, for did-you-mean on keys."""
    current: Any = RulesFile
    for step in loc[:-1]:
        current = _unwrap(current, step)
        if current is None:
            return None
    model = _unwrap(current, None)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap(tp: Any, step: int | str | None) -> Any:
    """Follow one step of a path through model fields, lists, dicts, optionals and unions."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(tp) if a is not type(None)]
            named = [m for m in members if getattr(_unwrap(m, None), "__name__", None) == step]
            if named:
                return _unwrap(named[0], None)
            if len(members) != 1:
                return None
            tp = members[0]
        else:
            break
    if step is None:
        return tp
    if isinstance(tp, type) and issubclass(tp, BaseModel) and isinstance(step, str):
        for name, info in tp.model_fields.items():
            if step in (name, info.alias):
                return info.annotation
        return None
    if typing.get_origin(tp) is list and isinstance(step, int):
        return typing.get_args(tp)[0]
    if typing.get_origin(tp) is dict and isinstance(step, str):
        return typing.get_args(tp)[1]
    return None


def keys_of(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _key_name(loc: Loc) -> str:
    names = [str(s) for s in loc if isinstance(s, str) and not s[:1].isupper()]
    return names[-1] if names else "(file)"


def from_validation(error: ErrorDetails, where: Locator) -> Problem:
    """A pydantic error, reworded to say what to change."""
    loc, kind = error["loc"], error["type"]
    msg = error["msg"].removeprefix("Value error, ")
    name = _key_name(loc)
    if kind == "extra_forbidden":
        model = _model_at(loc)
        allowed = keys_of(model) if model else []
        hint = did_you_mean(name, allowed) or (
            _(" : supprimez-la, ou écrivez l'une de ces clés : {keys}").format(
                keys=", ".join(allowed)
            )
            if allowed
            else _(" : supprimez-la")
        )
        message = _("clé « {name} » inconnue{hint}").format(name=name, hint=hint)
        return where.problem(loc, message, key=True)
    if kind == "missing":
        return where.problem(loc, _("clé « {name} » manquante : ajoutez-la").format(name=name))
    if kind == "string_pattern_mismatch" and name == "id":
        return where.problem(
            loc,
            _(
                "identifiant « {value} » : n'écrivez que des minuscules sans accent, des chiffres"
                " et des tirets, par exemple mairie-12"
            ).format(value=error["input"]),
        )
    if kind == "string_type":
        message = _("{name} : un texte est attendu ; mettez la valeur entre guillemets")
        return where.problem(loc, message.format(name=name))
    if kind == "list_type":
        return where.problem(
            loc, _("{name} : une liste est attendue ; écrivez {name}: [a, b]").format(name=name)
        )
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        message = _("{name} : « {value} » n'est pas une valeur possible ; écrivez {expected}")
        text = message.format(name=name, value=error["input"], expected=_french_or(expected))
        if isinstance(error["input"], bool):
            text += _(" (YAML lit yes/no/on/off comme true/false : mettez-la entre guillemets)")
        return where.problem(loc, text)
    if kind == "value_error":
        return where.problem(loc, msg)  # our validators' own words, already translated
    if kind == "condition":
        return where.problem(loc, _(msg))  # rules.model.CONDITION_SHAPE, fixed at import
    return where.problem(loc, f"{name}: {msg}")


def _french_or(expected: str) -> str:
    """pydantic's "'a', 'b' or 'c'", in the words of the message around it."""
    head, _sep, last = expected.rpartition(" or ")
    return _("{choices} ou {last}").format(choices=head, last=last) if head else expected
