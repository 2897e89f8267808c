"""`intake doctor`'s checks of what lives on this machine: configuration, rules, form,
templates, database, approval secret. Each returns one `Check`: a status and what to do."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from intake.config import Settings
from intake.errors import ConfigError
from intake.migrations import migrations
from intake.samples import check_templates
from intake.tokens import SECRET_ENV
from parsers.form import load_form
from parsers.wordings import load_wordings
from rules.check import check_text

OK, WARN, FAIL, SKIP = "OK", "WARN", "FAIL", "SKIP"


@dataclass(frozen=True)
class Check:
    status: str
    name: str
    #: What was found, and when it is not OK, what to do about it.
    detail: str

    def line(self, width: int = 10) -> str:
        return f"{self.status:<5} {self.name:<{width}}  {self.detail}"


def config_check(path: Path, settings: Settings | None, error: str | None) -> Check:
    if settings is None:
        return Check(FAIL, "config", f"{error}; fix intake.yaml (see the comments in it)")
    return Check(
        OK,
        "config",
        f"{path} parses: mailbox {settings.mailbox}, outbox {settings.outbox}",
    )


def rules_check(settings: Settings) -> Check:
    path, templates = settings.path(settings.rules), settings.path(settings.templates)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        return Check(FAIL, "rules", f"cannot read {path} ({exc.strerror}): set 'rules'")
    except UnicodeDecodeError:
        return Check(FAIL, "rules", f"{path} is not UTF-8 text: save it as UTF-8")
    result = check_text(path, text, templates if templates.is_dir() else None)
    if result.model is None:
        first = result.problems[0]
        return Check(
            FAIL,
            "rules",
            f"{len(result.problems)} mistake(s), first: {first}; "
            f"run `intake rules check` for all of them",
        )
    model = result.model
    return Check(
        OK, "rules", f"{path}: {len(model.directory)} directory entries, {len(model.rules)} rules"
    )


def form_check(settings: Settings) -> Check:
    if settings.form is None:
        return Check(OK, "form", "the shipped form definition (no 'form' in intake.yaml)")
    path = settings.path(settings.form)
    try:
        form = load_form(path)
    except ConfigError as exc:
        first = str(exc).splitlines()[0]
        return Check(FAIL, "form", f"{first}; fix {path.name} or remove 'form' from intake.yaml")
    return Check(OK, "form", f"{path}: {len(form.fields)} rubriques")


def decisions_check(settings: Settings) -> Check:
    if settings.decisions is None:
        return Check(OK, "decisions", "the shipped wordings (no 'decisions' in intake.yaml)")
    path = settings.path(settings.decisions)
    try:
        load_wordings(path)
    except ConfigError as exc:
        first = str(exc).splitlines()[0]
        return Check(
            FAIL, "decisions", f"{first}; fix {path.name} or remove 'decisions' from intake.yaml"
        )
    return Check(OK, "decisions", f"{path}: the wordings of approvals and refusals")


def templates_check(settings: Settings) -> Check:
    folder = settings.path(settings.templates)
    try:
        checks = check_templates(folder)
    except ConfigError as exc:
        return Check(FAIL, "templates", str(exc))
    broken = [c for c in checks if c.problem]
    if broken:
        return Check(
            FAIL,
            "templates",
            "; ".join(f"{c.problem}" for c in broken) + "; fix the template(s) named",
        )
    if not checks:
        return Check(FAIL, "templates", f"no *.j2 template in {folder}: copy config/templates/fr")
    partial = sum(c.syntax_only for c in checks)
    note = f" ({partial} checked for syntax only)" if partial else ""
    return Check(OK, "templates", f"{len(checks)} render with a sample fiche{note}")


def database_check(settings: Settings) -> Check:
    path = settings.path(settings.database)
    if not path.exists():
        folder = next((p for p in path.parents if p.exists()), Path("."))
        if not os.access(folder, os.W_OK):
            return Check(
                FAIL,
                "database",
                f"{path} cannot be created: make {folder} writable by the service user",
            )
        return Check(OK, "database", f"{path} not created yet: the worker makes it at first start")
    if not os.access(path, os.W_OK):
        return Check(FAIL, "database", f"{path} is read-only: give the service user write access")
    try:
        db = Database(path)
        try:
            integrity = db.execute("pragma quick_check").fetchone()[0]
            known = {m.name for m in migrations._migrations}
            newer = [m.name for m in migrations.applied(db) if m.name not in known]
            pending = [m.name for m in migrations.pending(db)]
        finally:
            db.close()
    except sqlite3.Error as exc:
        return Check(FAIL, "database", f"{path} cannot be opened ({exc}): is it a SQLite file?")
    if integrity != "ok":
        return Check(FAIL, "database", f"{path} is damaged ({integrity}): restore a backup")
    if newer:
        return Check(
            FAIL, "database", f"{path} was migrated by a newer intake ({', '.join(newer)})"
        )
    if pending:
        return Check(
            WARN,
            "database",
            f"{path}: {len(pending)} migration(s) to apply ({', '.join(pending)}); "
            "the worker applies them when it starts",
        )
    return Check(OK, "database", f"{path} opens, schema up to date")


def secret_check(settings: Settings) -> Check:
    value = os.environ.get(SECRET_ENV)
    if value and len(value) >= 16:
        return Check(OK, "secret", f"{SECRET_ENV} is set ({len(value)} characters)")
    if value:
        return Check(FAIL, "secret", f"{SECRET_ENV} is too short: use 16 random characters or more")
    database = settings.path(settings.database)
    key_file = database.with_name(database.name + ".key")
    if key_file.exists():
        fix = f"set {SECRET_ENV} to its content (open approval requests stay valid)"
        where = "is used instead"
    else:
        fix = f"set {SECRET_ENV} (e.g. `openssl rand -hex 32`)"
        where = "would be made at first start"
    return Check(
        WARN,
        "secret",
        f"{SECRET_ENV} is not set: the key file {key_file} {where}; {fix} in the environment "
        "file (/etc/intake/intake.env), kept and backed up with the other secrets",
    )
