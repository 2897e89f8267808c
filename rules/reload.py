"""Hot reload: pick up an edited rules file, refuse a broken one and keep the last good rules."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from rules.errors import RulesConfigError
from rules.loader import LoadedRules, parse_rules, version_of

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Refused:
    """A broken version of the rules file, reported once."""

    path: Path
    version: str
    #: The `rules check` output: one `file:line:column: message` line per mistake.
    problems: str


class RulesWatcher:
    """Re-reads the rules file when it changes; a broken edit never replaces good rules."""

    def __init__(self, path: Path, current: LoadedRules, templates: Path | None = None) -> None:
        self.path, self.templates = path, templates
        self._current = current
        self._seen_broken: set[str] = set()
        self._refused: Refused | None = None

    def current(self) -> LoadedRules:
        """The rules in force: the file's, if it changed and is valid; else the last good ones."""
        # The file is small: hashing it on each poll is cheap and, unlike its mtime, exact.
        try:
            data = self.path.read_bytes()
        except OSError as exc:  # e.g. moved away for a moment by an editor
            log.warning(
                "rules %s unreadable, keeping version %s: %s", self.path, self._current.version, exc
            )
            return self._current
        version = version_of(data)
        if version == self._current.version or version in self._seen_broken:
            return self._current
        try:
            loaded = parse_rules(self.path, data, self.templates)
        except RulesConfigError as exc:
            self._seen_broken.add(version)
            self._refused = Refused(self.path, version, str(exc))
            log.error(
                "rules %s version %s refused, keeping version %s:\n%s",
                self.path,
                version,
                self._current.version,
                exc,
            )
            return self._current
        log.info(
            "rules %s: version %s now in force (was %s)", self.path, version, self._current.version
        )
        self._current = loaded
        self._seen_broken.clear()  # a later breakage, even the same one again, is news
        return loaded

    def take_refused(self) -> Refused | None:
        """The broken version seen since the last call, once; None when there is nothing new."""
        refused, self._refused = self._refused, None
        return refused
