"""Read `rules.yaml` into validated rules, or refuse it with every mistake located."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from parsers.directory import Directory
from parsers.i18n import _
from rules.check import check_text
from rules.errors import RulesConfigError
from rules.model import RulesFile


@dataclass(frozen=True)
class LoadedRules:
    rules: RulesFile
    directory: Directory
    #: sha256 of the file's bytes, recorded on each ticket it routes.
    version: str
    path: Path


def read_rules(path: Path) -> bytes:
    """The file's bytes, or RulesConfigError saying why it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        message = _("{path} : impossible de lire les règles ({reason})")
        raise RulesConfigError(message.format(path=path, reason=exc.strerror)) from exc


def decode_rules(path: Path, data: bytes) -> str:
    """`data` (what `path` holds) as text, or RulesConfigError naming the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        message = _(
            "{path} : ce n'est pas du texte UTF-8 (octet {byte}) ; enregistrez-le en UTF-8"
        )
        raise RulesConfigError(message.format(path=path, byte=exc.start)) from exc


def version_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def load_rules(path: Path, templates: Path | None = None) -> LoadedRules:
    """Raises RulesConfigError with one `file:line:column: message` line per mistake.

    `templates`, when given, is the folder where the templates the rules name must exist.
    """
    return parse_rules(path, read_rules(path), templates)


def parse_rules(path: Path, data: bytes, templates: Path | None = None) -> LoadedRules:
    """`data` is what `path` holds (read once, so the version is the hash of what was checked)."""
    result = check_text(path, decode_rules(path, data), templates)
    if result.model is None:
        raise RulesConfigError("\n".join(str(p) for p in result.problems))
    model = result.model
    return LoadedRules(model, Directory(model.directory), version_of(data), path)
