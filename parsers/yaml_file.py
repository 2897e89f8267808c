"""A YAML file an admin edits (form.yaml, decisions.yaml), read and validated by one model.

Each is cached by path and modification time: the worker asks for it for every message, and
an admin's edit is picked up without a restart. A mistake raises ConfigError naming the file,
the place in it and the problem.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import ValidationError

from intake.errors import ConfigError

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
            raise ConfigError(f"{path}: cannot read {what} ({exc.strerror})") from exc
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: invalid YAML: {exc}") from exc
        try:
            return build(raw)
        except ValidationError as exc:
            lines = [
                f"{path}: {'.'.join(str(p) for p in err['loc']) or '(file)'}: "
                + err["msg"].removeprefix("Value error, ")
                for err in exc.errors()
            ]
            raise ConfigError("\n".join(lines)) from exc

    def load(path: Path) -> T:
        try:
            stamp = path.stat().st_mtime_ns
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read {what} ({exc.strerror})") from exc
        return load_version(path.resolve(), stamp)

    return load
