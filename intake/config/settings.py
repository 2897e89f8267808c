"""`intake.yaml`: where mail comes from and goes to, where the database and rules live."""

from __future__ import annotations

import os
from email.utils import parseaddr
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from intake.errors import ConfigError
from parsers.yaml_file import place_of, problem_of

#: Where a command looks for its configuration when --config is not given.
DEFAULT_LOCATIONS = (Path("intake.yaml"), Path("config/intake.yaml"))
CONFIG_ENV = "INTAKE_CONFIG"


class Settings(BaseModel):
    """The worker's settings. Relative paths are relative to the configuration file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    mailbox: str = Field(description="imap://user@host:port/FOLDER, imaps://..., or maildir://path")
    outbox: str = Field(description="smtp://host:port, smtps://..., or dir://path")
    database: Path
    rules: Path = Path("rules.yaml")
    templates: Path = Path("templates/fr")
    #: The official form (labels, synonyms, limits); None: the one shipped in config/form.yaml.
    form: Path | None = None
    #: How answers approve or refuse; None: the wordings shipped in config/decisions.yaml.
    decisions: Path | None = None
    sender: str = Field(description="Display name and address our mails come from")
    poll_seconds: int = Field(default=60, ge=1)
    #: Wait for new mail with IMAP IDLE when the server offers it; false: poll every
    #: `poll_seconds` only (a server whose IDLE is broken or throttled).
    imap_idle: bool = True
    processed_folder: str = "Traités"
    #: Days after a ticket's last activity before `intake purge` erases its personal data.
    retention_days: int = Field(default=365, ge=1)
    #: Where a message that could not be processed is moved (it stays in the database too).
    quarantine_folder: str = "Quarantaine"
    #: `password` (from INTAKE_IMAP_PASSWORD / INTAKE_SMTP_PASSWORD) or `xoauth2` (Microsoft 365
    #: and others): the token comes from `oauth2_token_command`, else $INTAKE_OAUTH2_TOKEN.
    auth: Literal["password", "xoauth2"] = "password"
    oauth2_token_command: str | None = None
    #: When set, an approval, a rejection or a completed fiche only counts if our mail server
    #: (this authserv-id) vouches for the From domain itself in the topmost
    #: Authentication-Results header (DMARC for it, or DKIM/SPF for it or a parent domain),
    #: on top of the token.
    require_authenticated_replies: str | None = None
    #: A larger message is stored but not read; its sender is asked to send the fiche alone.
    max_message_mb: int = Field(default=25, ge=1)
    #: At most this many answers to incoming mail to one address in 24 hours; the rest wait
    #: (loop protection). Mail the procedure needs (requests, reminders, transmissions,
    #: decision notices) is neither held nor counted.
    max_mails_per_recipient_per_day: int = Field(default=50, ge=1)
    #: A message holding more fiches than this registers none; its sender is told why.
    max_fiches_per_message: int = Field(default=20, ge=1)
    #: At most this many mails a day caused by one sender's fiches (acknowledgements,
    #: answers, approval requests); the rest wait for the next day.
    max_mails_per_sender_per_day: int = Field(default=100, ge=1)
    #: An address whose mail bounced is not written to again for this many days.
    bounce_suppression_days: int = Field(default=7, ge=0)
    #: Processes parsing messages beside the worker (0: parse in the worker itself). By
    #: default one when the machine has a second core.
    parse_processes: int = Field(default_factory=lambda: min(1, (os.cpu_count() or 1) - 1), ge=0)
    #: Where the file was read from; the base of every relative path above.
    base_dir: Path = Path(".")

    @field_validator("sender")
    @classmethod
    def _sender_has_address(cls, value: str) -> str:
        if "@" not in parseaddr(value)[1]:
            raise ValueError("attendu : 'Nom <adresse@domaine.fr>'")
        return value

    @field_validator("mailbox")
    @classmethod
    def _known_mailbox_scheme(cls, value: str) -> str:
        if not value.startswith(("imap://", "imaps://", "maildir://")):
            raise ValueError("use imap://user@host:port/FOLDER, imaps://... or maildir://PATH")
        return value

    @field_validator("outbox")
    @classmethod
    def _known_outbox_scheme(cls, value: str) -> str:
        if not value.startswith(("smtp://", "smtps://", "dir://")):
            raise ValueError("use smtp://host:port, smtps://host:port or dir://PATH")
        return value

    def path(self, value: Path | str) -> Path:
        """`value` resolved against the configuration file's folder."""
        return self.base_dir / Path(value)

    @property
    def sender_address(self) -> str:
        return parseaddr(self.sender)[1].lower()


def find_config(explicit: Path | None) -> Path:
    """The configuration file to use: --config, then $INTAKE_CONFIG, then the usual places."""
    if explicit is not None:
        return explicit
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV])
    for candidate in DEFAULT_LOCATIONS:
        if candidate.exists():
            return candidate
    raise ConfigError(
        "no configuration found: pass --config FILE, set INTAKE_CONFIG, "
        "or run from a folder holding intake.yaml or config/intake.yaml"
    )


def load_settings(path: Path) -> Settings:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the configuration ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of settings (mailbox:, outbox:, ...)")
    try:
        return Settings.model_validate({**data, "base_dir": path.parent})
    except ValidationError as exc:
        problems = "\n".join(
            f"{path}: {place_of(e['loc'])}: {problem_of(e)}" for e in exc.errors()
        )
        raise ConfigError(problems) from exc
