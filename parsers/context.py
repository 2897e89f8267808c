"""What the parser needs to know about the installation it runs in."""

from __future__ import annotations

from dataclasses import dataclass, field

from parsers.directory import Directory
from parsers.form import FormDefinition, default_form
from parsers.own import OwnText
from parsers.wordings import Wordings, default_wordings


@dataclass(frozen=True)
class ParseContext:
    directory: Directory
    #: Our own addresses (lower case): mail from them is our own coming back.
    own_addresses: frozenset[str] = field(default_factory=frozenset)
    #: Prefix of ticket references, as in 3975-2026-00042.
    reference_prefix: str = "3975"
    #: The official form: labels, synonyms, categories, limits (config/form.yaml by default).
    form: FormDefinition = field(default_factory=default_form)
    #: How answers approve or refuse (config/decisions.yaml by default).
    wordings: Wordings = field(default_factory=default_wordings)
    #: The words of the mails a reply may quote (ours, from the outbox), when known.
    sent: OwnText | None = None
