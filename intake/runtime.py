"""Everything a command needs, built once from the settings and never changed: the worker
swaps in a new Runtime when its rules change."""

from __future__ import annotations

from dataclasses import dataclass, field

from intake.clock import Clock, system_clock
from intake.config.secret import load_secret
from intake.config.settings import Settings
from intake.parse_process import Classifier
from intake.store.database import Store
from outbox.deliver import Limits
from outbox.mails import MailFactory
from outbox.oauth import configured_token
from outbox.render import Renderer
from outbox.senders import Sender, open_sender
from parsers.context import ParseContext
from parsers.form import default_form, load_form
from parsers.wordings import default_wordings, load_wordings
from rules.loader import LoadedRules, load_rules


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    store: Store
    rules: LoadedRules
    mails: MailFactory
    #: Key of the approval tokens (see intake/tickets/tokens.py).
    secret: bytes
    clock: Clock = field(default=system_clock)
    #: Parses batches of messages, in a child process when `parse_processes` asks for one.
    classifier: Classifier = field(default_factory=lambda: Classifier(0))

    @property
    def parse_context(self) -> ParseContext:
        """Made at each use: an admin's edit of the form or of the wordings (read again when
        their file changes) takes effect without a restart."""
        return make_parse_context(self.settings, self.rules)

    def now_iso(self) -> str:
        return self.clock().isoformat()

    def close(self) -> None:
        self.classifier.close()
        self.store.close()


def build_runtime(settings: Settings, clock: Clock = system_clock) -> Runtime:
    rules = load_rules(settings.path(settings.rules), settings.path(settings.templates))
    renderer = Renderer(settings.path(settings.templates))
    database = settings.path(settings.database)
    store = Store(database)
    mails = MailFactory(renderer, settings.sender, clock)
    classifier = Classifier(settings.parse_processes)
    return Runtime(settings, store, rules, mails, load_secret(database), clock, classifier)


def make_parse_context(settings: Settings, rules: LoadedRules) -> ParseContext:
    """What the parser needs; `intake parse` builds it without opening the database."""
    form = default_form() if settings.form is None else load_form(settings.path(settings.form))
    wordings = (
        default_wordings()
        if settings.decisions is None
        else load_wordings(settings.path(settings.decisions))
    )
    return ParseContext(
        form=form,
        wordings=wordings,
        directory=rules.directory,
        own_addresses=frozenset({settings.sender_address}),
        reference_prefix=rules.rules.reference_prefix,
    )


def open_outbox(settings: Settings) -> Sender:
    """The configured sender, logging in with XOAUTH2 when `auth: xoauth2`."""
    token = configured_token(settings.auth, settings.oauth2_token_command)
    return open_sender(settings.outbox, settings.base_dir, token)


def loop_limits(settings: Settings) -> Limits:
    """The caps of the settings that every delivery round applies."""
    return Limits(
        settings.sender_address,
        settings.max_mails_per_recipient_per_day,
        settings.max_mails_per_sender_per_day,
    )
