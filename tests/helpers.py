"""Small builders shared by tests: configurations and fiche emails."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

import yaml

from parsers.context import ParseContext
from rules.loader import load_rules

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "config"
SENDER = "Signalements 39 75 <signalements-3975@paris.fr>"


def write_config(
    folder: Path,
    *,
    mailbox: str,
    outbox: str,
    rules: Path | None = None,
    templates: Path | None = None,
    **extra: object,
) -> Path:
    """An intake.yaml in `folder` using the shipped rules and templates, plus `extra` settings."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "intake.yaml"
    path.write_text(
        f"mailbox: {mailbox}\n"
        f"outbox: {outbox}\n"
        "database: intake.db\n"
        f"rules: {rules or SHIPPED / 'rules.yaml'}\n"
        f"templates: {templates or SHIPPED / 'templates' / 'fr'}\n"
        f"sender: {SENDER}\n"
        "poll_seconds: 1\n"
        "processed_folder: Traités\n" + "".join(f"{k}: {v}\n" for k, v in extra.items()),
        encoding="utf-8",
    )
    return path


FICHE_TEXT = """Bonjour,

Service / mairie déclarant : {service}
Agent déclarant : Sophie Martin
Date de l'appel : 12/03/2026
Heure de l'appel : 14h30
Type de dysfonctionnement : Erreur de transfert d'appel
Nom de l'agent 39 75 : Karim B.
Objet de la demande de l'usager : Inscription sur les listes électorales
Service vers lequel l'appel aurait dû être orienté : Mairie du 11e
Description : {description}

Cordialement,
Sophie Martin
"""


def fiche_email(
    *,
    service: str = "Mairie du 12e arrondissement",
    description: str = "Transfert vers l'accueil du 12e au lieu du 11e.",
    sender: str = "Sophie Martin <sophie.martin@paris.fr>",
    body: str | None = None,
    headers: dict[str, str] | None = None,
    subject: str = "Fiche de signalement 39 75",
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = SENDER
    msg["Subject"] = subject
    msg["Date"] = format_datetime(dt.datetime(2026, 3, 12, 16, 5, tzinfo=dt.UTC))
    msg["Message-ID"] = make_msgid(domain="mail.paris.fr")
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(
        body if body is not None else FICHE_TEXT.format(service=service, description=description)
    )
    return msg.as_bytes()


def shipped_rules_with(folder: Path, **first_rule: Any) -> Path:
    """The shipped rules.yaml written into `folder`, its first rule given these keys."""
    rules = yaml.safe_load((SHIPPED / "rules.yaml").read_text(encoding="utf-8"))
    rules["rules"][0].update(first_rule)
    path = folder / "rules.yaml"
    path.write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")
    return path


def shipped_parse_context() -> ParseContext:
    """What `intake parse` uses with the shipped configuration."""
    rules = load_rules(SHIPPED / "rules.yaml")
    return ParseContext(
        directory=rules.directory,
        own_addresses=frozenset({"signalements-3975@paris.fr"}),
        reference_prefix=rules.rules.reference_prefix,
    )


def text_of(msg: EmailMessage) -> str:
    """The plain-text body of a mail, whether it has an HTML alternative or not."""
    body = msg.get_body(("plain",))
    assert body is not None, "no text/plain part"
    return str(body.get_content())
