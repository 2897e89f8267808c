"""The starter `intake.yaml` that `intake init` writes: every setting, each with its comment."""

from __future__ import annotations

from dataclasses import dataclass

from intake.config.schemas import modeline
from intake.config.settings import Settings

HEADER = """\
# intake-3975: settings of one deployment (written by `intake init`, ready to edit).
# Relative paths are relative to this file. Check the result with `intake doctor`.
#
# Secrets never go in this file. The worker reads them from its environment; under systemd
# they live in /etc/intake/intake.env (EnvironmentFile=, mode 0600):
#   INTAKE_IMAP_PASSWORD   password of the mailbox account below
#   INTAKE_SMTP_PASSWORD   password for smtp://user@host:port (when the server wants a login)
#   INTAKE_SECRET          key of the approval tokens: 16 random characters or more; keep it
#                          and back it up (changing it voids the requests waiting for an answer)
"""


@dataclass(frozen=True)
class Entry:
    key: str
    comment: str
    #: The value written; None writes the key commented out (an optional setting).
    value: str | None
    example: str = ""


ENTRIES = (
    Entry(
        "mailbox",
        "Where fiches arrive (and where approvers' replies come back):\n"
        "  imap://USER@HOST:143/INBOX    IMAP without TLS (a server on this machine)\n"
        "  imaps://USER@HOST:993/INBOX   IMAP over TLS\n"
        "  maildir://PATH                a local Maildir (tests, or a server delivering here)",
        "{mailbox}",
    ),
    Entry(
        "outbox",
        "Where our mails leave:\n"
        "  smtp://HOST:25   smtps://HOST:465   smtp://USER@HOST:587 (login with\n"
        "  INTAKE_SMTP_PASSWORD), or dir://PATH: each mail written there as a .eml file",
        "{outbox}",
    ),
    Entry(
        "database",
        "The SQLite file: raw messages, tickets, audit events, the outbox. Back it up.\n"
        "Under systemd: /var/lib/intake/intake.db (the service user's state directory).",
        "{database}",
    ),
    Entry(
        "rules",
        "The directory of mairies and services, and the routing rules (check edits with\n"
        "`intake rules check`; the worker picks up a valid edit at its next poll).",
        "rules.yaml",
    ),
    Entry(
        "templates",
        "The mails we send, one jinja2 file each (subject and body blocks), in French.",
        "templates/fr",
    ),
    Entry(
        "form",
        "The official fiche: rubriques, the wordings agents use for them, attachment limits.",
        "form.yaml",
    ),
    Entry(
        "decisions",
        "How supervisors' answers approve or refuse: the wordings read in their replies\n"
        '("bon pour accord", "je ne peux pas valider"...).',
        "decisions.yaml",
    ),
    Entry(
        "sender",
        "Who our mails come from: display name and the address of the mailbox above, so\n"
        "that replies (approvals) come back to it.",
        "Signalements 39 75 <signalements-3975@paris.fr>",
    ),
    Entry(
        "poll_seconds",
        "How often to look for new mail when the server cannot tell us (no IMAP IDLE).",
        "60",
    ),
    Entry(
        "imap_idle",
        "Wait for new mail with IMAP IDLE when the server offers it (picked up within a\n"
        "second); false: poll every poll_seconds only, for a server whose IDLE misbehaves.",
        "true",
    ),
    Entry(
        "processed_folder",
        "IMAP folder (Maildir subfolder) where a message goes once its ticket is stored.",
        "Traités",
    ),
    Entry(
        "quarantine_folder",
        "Where a message that could not be processed goes (it is kept in the database too;\n"
        "see `intake quarantine list`).",
        "Quarantaine",
    ),
    Entry(
        "retention_days",
        "Days after a ticket's last activity before `intake purge` erases its personal data.",
        "365",
    ),
    Entry(
        "max_message_mb",
        "A larger message is kept in the database but not read; its sender is asked, in\n"
        "French, to send the fiche alone.",
        "25",
    ),
    Entry(
        "max_mails_per_recipient_per_day",
        "At most this many answers to incoming mail (acknowledgements, incomplete fiches,\n"
        "explanations, relayed comments) to one address in 24 hours; the rest wait (loop\n"
        "protection). Requests, reminders, transmissions and decision notices never wait.",
        "50",
    ),
    Entry(
        "max_fiches_per_message",
        "A message holding more fiches than this registers none; its sender is told why.",
        "20",
    ),
    Entry(
        "max_mails_per_sender_per_day",
        "At most this many mails a day caused by one sender's fiches (acknowledgements,\n"
        "answers, approval requests); the rest wait for the next day. What follows a\n"
        "decision is not counted.",
        "100",
    ),
    Entry(
        "bounce_suppression_days",
        "An address whose mail bounced is not written to again for this many days.",
        "7",
    ),
    Entry(
        "parse_processes",
        "Optional: processes parsing messages beside the worker, so that a backlog uses a\n"
        "second core. Default: 1 on a machine with two cores or more, 0 (parse in the\n"
        "worker) on one core.",
        None,
        "1",
    ),
    Entry(
        "auth",
        "How to log in to the mailbox and the SMTP server: `password` (INTAKE_IMAP_PASSWORD,\n"
        "INTAKE_SMTP_PASSWORD) or `xoauth2` (Microsoft 365 and others refusing passwords).",
        "password",
    ),
    Entry(
        "oauth2_token_command",
        "With `auth: xoauth2`: a command printing a fresh access token, run at each\n"
        "connection (else the token is read from INTAKE_OAUTH2_TOKEN).",
        None,
        "/etc/intake/token-m365",
    ),
    Entry(
        "require_authenticated_replies",
        "Optional: the authserv-id of your mail server. An approval (or a fiche completed by\n"
        "reply) then only counts when the server vouches for the sender's own domain (DMARC\n"
        "for it, or DKIM/SPF for it) in Authentication-Results.",
        None,
        "mx.paris.fr",
    ),
)


def starter_config(*, mailbox: str, outbox: str, database: str) -> str:
    """The text of intake.yaml, with the settings this version knows."""
    known = set(Settings.model_fields)
    parts = [modeline("intake.yaml"), HEADER]
    for entry in ENTRIES:
        if entry.key not in known:
            continue
        comment = "\n".join(f"# {line}".rstrip() for line in entry.comment.splitlines())
        if entry.value is None:
            line = f"# {entry.key}: {entry.example}"
        else:
            value = entry.value.format(mailbox=mailbox, outbox=outbox, database=database)
            line = f"{entry.key}: {value}"
        parts.append(f"\n{comment}\n{line}\n")
    return "".join(parts)
