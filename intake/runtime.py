"""Everything a command needs, built once from the settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from intake.clock import Clock, system_clock
from intake.config import Settings
from intake.store import Store
from outbox.mails import MailFactory
from outbox.render import Renderer
from parsers.context import ParseContext
from rules.loader import LoadedRules, load_rules


@dataclass
class Runtime:
    settings: Settings
    store: Store
    rules: LoadedRules
    mails: MailFactory
    clock: Clock = field(default=system_clock)

    @property
    def parse_context(self) -> ParseContext:
        return make_parse_context(self.settings, self.rules)

    def now_iso(self) -> str:
        return self.clock().isoformat()

    def close(self) -> None:
        self.store.close()


def build_runtime(settings: Settings, clock: Clock = system_clock) -> Runtime:
    rules = load_rules(settings.path(settings.rules))
    renderer = Renderer(settings.path(settings.templates))
    store = Store(settings.path(settings.database))
    return Runtime(settings, store, rules, MailFactory(renderer, settings.sender, clock), clock)


def make_parse_context(settings: Settings, rules: LoadedRules) -> ParseContext:
    """What the parser needs; `intake parse` builds it without opening the database."""
    return ParseContext(
        directory=rules.directory,
        own_addresses=frozenset({settings.sender_address}),
        reference_prefix=rules.rules.reference_prefix,
    )
