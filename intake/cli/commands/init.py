"""`intake init`: a fresh deployment folder, every setting commented, ready to edit."""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

import click

from intake.config.schemas import FILES, render, schema_name
from intake.config.settings import Settings
from intake.config.starter import starter_config
from intake.errors import ConfigError
from intake.sources.imap_account import parse_mailbox
from intake.sources.maildir import MaildirSource
from parsers.shipped import shipped

SHIPPED = shipped()

ENV_FILE = """\
# Secrets of intake-3975, read by the worker from its environment. Under systemd this is
# /etc/intake/intake.env (EnvironmentFile=), owned by root, mode 0600. For a command in a
# shell:  set -a; . {path}; set +a
#
# Password of the IMAP account named in intake.yaml (mailbox:).
INTAKE_IMAP_PASSWORD=
# Password for the SMTP login, only when outbox: is smtp://USER@HOST:PORT.
INTAKE_SMTP_PASSWORD=
# Key of the approval tokens, made at random by `intake init`. Keep it and back it up:
# changing it voids the approval requests waiting for an answer.
INTAKE_SECRET={secret}
"""


@click.command()
@click.argument(
    "folder", required=False, default=Path("."), type=click.Path(path_type=Path, dir_okay=True)
)
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
@click.option(
    "--mailbox",
    default="maildir://mail/inbox",
    show_default=True,
    help="Where fiches arrive, e.g. imap://intake@localhost:143/INBOX.",
)
@click.option(
    "--outbox",
    default="dir://mail/outbox",
    show_default=True,
    help="Where mails leave, e.g. smtp://localhost:25.",
)
@click.option(
    "--database",
    default="intake.db",
    show_default=True,
    help="The SQLite file, e.g. /var/lib/intake/intake.db.",
)
def init(folder: Path, force: bool, mailbox: str, outbox: str, database: str) -> None:
    """Write a starter deployment into FOLDER (default: the current folder).

    intake.yaml (every setting, with a comment), rules.yaml (the directory of the Paris
    mairies and services, and the routing rules), form.yaml (the official fiche),
    decisions.yaml (the wordings of supervisors' answers), the JSON Schemas of these four
    files (NAME.schema.json, named on their first line, for editors), the Datasette
    metadata, templates/fr/ (the mails), and intake.env (the secrets: a fresh INTAKE_SECRET, the
    passwords to fill in; mode 0600). Existing files are left alone, and nothing is
    written, unless --force is given. Then edit intake.yaml and check with `intake doctor`.

    \b
    Example:
      intake init /etc/intake --mailbox imap://intake@localhost:143/INBOX \\
          --outbox smtp://localhost:25 --database /var/lib/intake/intake.db
    """
    templates = sorted((SHIPPED / "templates" / "fr").glob("*.j2"))
    if not templates:
        raise ConfigError(f"no templates in {SHIPPED / 'templates' / 'fr'}: reinstall intake")
    files: dict[Path, str | Path] = {
        folder / "intake.yaml": starter_config(mailbox=mailbox, outbox=outbox, database=database),
        folder / "rules.yaml": SHIPPED / "rules.yaml",
        folder / "form.yaml": SHIPPED / "form.yaml",
        folder / "decisions.yaml": SHIPPED / "decisions.yaml",
        folder / "datasette-metadata.yaml": SHIPPED / "datasette-metadata.yaml",
        **{folder / schema_name(name): render(name) for name in FILES},
        **{folder / "templates" / "fr" / t.name: t for t in templates},
    }
    env_file = folder / "intake.env"
    existing = [p for p in (*files, env_file) if p.exists()]
    if existing and not force:
        names = ", ".join(str(p) for p in existing[:5]) + (" ..." if len(existing) > 5 else "")
        raise ConfigError(
            f"{len(existing)} file(s) already there ({names}): nothing written; "
            "pass --force to overwrite them, or pick another folder"
        )
    try:
        for target, source in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(source, Path):
                shutil.copyfile(source, target)
            else:
                target.write_text(source, encoding="utf-8")
        _write_env(env_file)
    except OSError as exc:
        raise ConfigError(f"cannot write into {folder}: {exc.strerror}") from exc
    _make_maildir(folder, mailbox)
    config = folder / "intake.yaml"
    click.echo(f"wrote {config}, rules.yaml, form.yaml, decisions.yaml,")
    click.echo("  their JSON Schemas for editors (*.schema.json), datasette-metadata.yaml,")
    click.echo(f"  {len(templates)} templates in {folder / 'templates' / 'fr'},")
    click.echo(f"  and {env_file} (mode 0600, with a fresh INTAKE_SECRET)")
    click.echo("\nNext:")
    click.echo(f"  1. edit {config}: mailbox, outbox, sender (each setting is explained there)")
    click.echo(f"  2. put the mailbox password in {env_file}")
    click.echo(f"  3. set -a; . {env_file}; set +a")
    click.echo(f"     intake --config {config} doctor")


def _write_env(path: Path) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(ENV_FILE.format(path=path, secret=secrets.token_hex(32)))
    path.chmod(0o600)  # also when --force rewrote a file that had other modes


def _make_maildir(folder: Path, mailbox: str) -> None:
    """A local Maildir named by `mailbox` is made now, so the worker can start at once."""
    url = parse_mailbox(mailbox)
    if url.scheme == "maildir":
        path = Path(url.path)
        defaults = Settings.model_fields
        MaildirSource(
            path if path.is_absolute() else folder / path,
            defaults["processed_folder"].default,
            defaults["quarantine_folder"].default,
        )
