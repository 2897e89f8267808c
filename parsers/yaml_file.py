"""A YAML file an admin edits (form.yaml, decisions.yaml), read and validated by one model.

Each is cached by path and modification time: the worker asks for it for every message, and
an admin's edit is picked up without a restart. A mistake raises ParserConfigError naming the
file, the place in it and the problem.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from parsers.errors import ParserConfigError
from parsers.i18n import _

T = TypeVar("T")


def yaml_loader(what: str, build: Callable[[Any], T]) -> Callable[[Path], T]:
    """A loader of `what` ("the form definition"): `build` validates the parsed YAML (a
    pydantic model's `model_validate`, or more) and raises ValidationError on a mistake."""

    @functools.lru_cache(maxsize=8)
    def load_version(path: Path, stamp: int) -> T:
        # `stamp` (the modification time) is only a key of the cache: an edit reads afresh.
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ParserConfigError(_unreadable(path, what, exc)) from exc
        except yaml.YAMLError as exc:
            message = _("{path} : syntaxe YAML : {what}").format(path=path, what=exc)
            raise ParserConfigError(message) from exc
        try:
            return build(raw)
        except ValidationError as exc:
            lines = [f"{path} : {place_of(err['loc'])} : {problem_of(err)}" for err in exc.errors()]
            raise ParserConfigError("\n".join(lines)) from exc

    def load(path: Path) -> T:
        try:
            stamp = path.stat().st_mtime_ns
        except OSError as exc:
            raise ParserConfigError(_unreadable(path, what, exc)) from exc
        return load_version(path.resolve(), stamp)

    return load


def _unreadable(path: Path, what: str, exc: OSError) -> str:
    message = _(
        "{path} : impossible de lire {what} ({reason}) : vérifiez le chemin et les droits"
    )
    return message.format(
        path=path, what=_(what), reason=exc.strerror
    )


def place_of(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in loc) or _("(le fichier)")


def problem_of(err: ErrorDetails) -> str:
    """A pydantic error of any settings file, in words for an admin: unknown and missing keys
    said in French, our own checks' messages as they are."""
    name = str(err["loc"][-1]) if err["loc"] else ""
    if err["type"] == "extra_forbidden":
        return _("clé « {name} » inconnue : supprimez-la ou corrigez son nom").format(name=name)
    if err["type"] == "missing":
        return _("clé « {name} » manquante : ajoutez-la").format(name=name)
    if err["type"] == "value_error":
        return err["msg"].removeprefix("Value error, ")
    return _("valeur refusée ({detail})").format(detail=err["msg"])
