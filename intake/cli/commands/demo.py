"""`intake demo`: the whole path on the shipped examples, with no server at all."""

from __future__ import annotations

import shutil
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from email.utils import make_msgid
from pathlib import Path

import click

from intake.cli.commands.run import summary
from intake.cli.tables import table
from intake.config.settings import load_settings
from intake.errors import ConfigError
from intake.runtime import build_runtime
from intake.sources import open_source
from intake.sources.maildir import deliver_to_maildir
from intake.store.records import Ticket
from intake.worker.loop import run_once
from outbox.queue import QueuedMail
from outbox.senders import open_sender
from parsers.shipped import shipped

SHIPPED = shipped()
MARKER = ".intake-demo"


@click.command()
@click.option(
    "--dir",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("var/demo"),
    show_default=True,
    help="Folder for the demo's inbox, outbox and database (made anew).",
)
def demo(folder: Path) -> None:
    """Seed a Maildir inbox with the example fiches, run the worker once, show the result.

    Uses the shipped rules and templates, a SQLite file, and a folder outbox where each
    sent mail lands as a .eml file.

    \b
    Example:
      intake demo --dir /tmp/demo
    """
    examples = sorted((SHIPPED / "examples").glob("*.eml"))
    if not examples:
        raise ConfigError(f"no example fiches in {SHIPPED / 'examples'}: reinstall intake-3975")
    if folder.exists():
        if not (folder / MARKER).exists():
            raise ConfigError(
                f"{folder} exists and was not made by `intake demo`: pick another --dir"
            )
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / MARKER).touch()
    config = folder / "intake.yaml"
    config.write_text(
        "mailbox: maildir://inbox\n"
        "outbox: dir://outbox\n"
        "database: intake.db\n"
        f"rules: {SHIPPED / 'rules.yaml'}\n"
        f"templates: {SHIPPED / 'templates' / 'fr'}\n"
        "sender: Signalements 39 75 <signalements-3975@paris.fr>\n"
        "poll_seconds: 60\n"
        "processed_folder: Traités\n",
        encoding="utf-8",
    )
    for example in examples:
        deliver_to_maildir(
            folder / "inbox", example.read_bytes(), f"0000000000.{example.stem}.demo"
        )
    settings = load_settings(config)
    rt = build_runtime(settings)
    source = open_source(settings)
    sender = open_sender(settings.outbox, settings.base_dir)
    try:
        report = run_once(rt, source, sender)
        click.echo(summary(rt.store.path, source.label, sender.label, report))
        click.echo(_tickets(rt.store.tickets()))
        answer = _supervisor_answer(rt.store.mails("sent"))
        if answer is not None:
            deliver_to_maildir(folder / "inbox", answer, "0000000001.approval.demo")
            click.echo("\nThe first supervisor answers « Approuvé, merci. » to the request:\n")
            report = run_once(rt, source, sender)
            click.echo(summary(rt.store.path, source.label, sender.label, report))
            click.echo(_tickets(rt.store.tickets()))
        tickets = rt.store.tickets()
    finally:
        source.close()
        rt.close()
    click.echo(
        f"\nNext: intake --config {config} tickets show {tickets[0].ref if tickets else 'REF'}"
    )


def _tickets(tickets: list[Ticket]) -> str:
    rows = [(t.ref, t.status, t.category or "-", t.service_id or t.service or "-") for t in tickets]
    header = f"\n{len(tickets)} ticket(s):\n\n"
    return header + table(["REFERENCE", "STATUS", "CATEGORY", "SERVICE"], rows)


def _supervisor_answer(sent: list[QueuedMail]) -> bytes | None:
    """The reply a supervisor's mail client would send to the first approval request."""
    request = next((m for m in sent if m.template == "demande-validation"), None)
    if request is None:
        return None
    original = message_from_bytes(request.raw, policy=default)
    reply = EmailMessage()
    reply["From"] = request.recipients[0]
    reply["To"] = str(original["Reply-To"] or original["From"])
    reply["Subject"] = f"RE: {original['Subject']}"
    reply["Message-ID"] = make_msgid(domain="demo.paris.fr")
    reply["In-Reply-To"] = str(original["Message-ID"])
    reply["References"] = str(original["Message-ID"])
    text = original.get_body(("plain",))
    lines = str(text.get_content()).splitlines() if text is not None else []
    quoted = "\n".join(f"> {line}" for line in lines)
    reply.set_content(
        f"Approuvé, merci.\n\nLe {original['Date']}, {original['From']} a écrit :\n{quoted}\n"
    )
    return reply.as_bytes()
