"""Read `rules.yaml` into a validated `RulesFile`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from intake.errors import ConfigError
from rules.directory import Directory
from rules.model import RulesFile


@dataclass(frozen=True)
class LoadedRules:
    rules: RulesFile
    directory: Directory
    #: sha256 of the file's bytes, recorded on each ticket it routes.
    version: str
    path: Path


def load_rules(path: Path) -> LoadedRules:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the rules ({exc.strerror})") from exc
    try:
        raw = yaml.safe_load(data)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML: {exc}") from exc
    try:
        model = RulesFile.model_validate(raw)
    except ValidationError as exc:
        lines = [
            f"{path}: {'.'.join(str(p) for p in err['loc']) or '(file)'}: "
            + err["msg"].removeprefix("Value error, ")
            for err in exc.errors()
        ]
        raise ConfigError("\n".join(lines)) from exc
    version = hashlib.sha256(data).hexdigest()[:12]
    return LoadedRules(model, Directory(model.directory), version, path)
