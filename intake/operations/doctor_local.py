"""`intake doctor`'s checks of what lives on this machine: configuration, rules, form,
templates, database, approval secret, the programs that read old Word files and scans.
Each returns one `Check`: a status and what to do."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from intake.config.secret import SECRET_ENV
from intake.config.settings import Settings
from intake.errors import USER_ERRORS
from intake.mails.samples import check_templates
from intake.store.migrations import migrations
from outbox.errors import OutboxConfigError
from parsers.form import load_form
from parsers.i18n import _
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
        fix = _("{error} ; corrigez intake.yaml (chaque réglage y est expliqué)")
        return Check(FAIL, "config", fix.format(error=error))
    found = _("{path} est lisible : boîte {mailbox}, envoi par {outbox}")
    return Check(
        OK, "config", found.format(path=path, mailbox=settings.mailbox, outbox=settings.outbox)
    )


def rules_check(settings: Settings) -> Check:
    path, templates = settings.path(settings.rules), settings.path(settings.templates)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        fix = _("impossible de lire {path} ({reason}) : corrigez le réglage rules de intake.yaml")
        return Check(FAIL, "rules", fix.format(path=path, reason=exc.strerror))
    except UnicodeDecodeError:
        fix = _("{path} n'est pas du texte UTF-8 : enregistrez-le en UTF-8 dans votre éditeur")
        return Check(FAIL, "rules", fix.format(path=path))
    result = check_text(path, text, templates if templates.is_dir() else None)
    if result.model is None:
        first = result.problems[0]
        fix = _("{count} erreur(s), la première : {first} ; `intake rules check` les montre toutes")
        return Check(FAIL, "rules", fix.format(count=len(result.problems), first=first))
    model = result.model
    found = _("{path} : {entries} entrées dans l'annuaire, {rules} règles")
    return Check(
        OK,
        "rules",
        found.format(path=path, entries=len(model.directory), rules=len(model.rules)),
    )


def form_check(settings: Settings) -> Check:
    if settings.form is None:
        return Check(OK, "form", _("la fiche livrée avec intake (pas de réglage form)"))
    path = settings.path(settings.form)
    try:
        form = load_form(path)
    except USER_ERRORS as exc:
        first = str(exc).splitlines()[0]
        fix = _("{first} ; corrigez {name}, ou retirez le réglage form de intake.yaml")
        return Check(FAIL, "form", fix.format(first=first, name=path.name))
    found = _("{path} : {count} rubriques")
    return Check(OK, "form", found.format(path=path, count=len(form.fields)))


def decisions_check(settings: Settings) -> Check:
    if settings.decisions is None:
        return Check(
            OK, "decisions", _("les formulations livrées avec intake (pas de réglage decisions)")
        )
    path = settings.path(settings.decisions)
    try:
        load_wordings(path)
    except USER_ERRORS as exc:
        first = str(exc).splitlines()[0]
        fix = _("{first} ; corrigez {name}, ou retirez le réglage decisions de intake.yaml")
        return Check(FAIL, "decisions", fix.format(first=first, name=path.name))
    found = _("{path} : les formulations des accords et des refus")
    return Check(OK, "decisions", found.format(path=path))


def templates_check(settings: Settings) -> Check:
    folder = settings.path(settings.templates)
    try:
        checks = check_templates(folder)
    except OutboxConfigError as exc:
        return Check(FAIL, "templates", str(exc))
    broken = [c for c in checks if c.problem]
    if broken:
        return Check(
            FAIL,
            "templates",
            "; ".join(f"{c.problem}" for c in broken) + _(" ; corrigez le ou les modèles cités"),
        )
    if not checks:
        fix = _("aucun modèle *.j2 dans {folder} : copiez-y ceux de `intake init`")
        return Check(FAIL, "templates", fix.format(folder=folder))
    partial = sum(c.syntax_only for c in checks)
    note = (
        _(" ({count} vérifiés pour la syntaxe seulement)").format(count=partial) if partial else ""
    )
    found = _("{count} modèles rendus avec une fiche d'exemple{note}")
    return Check(OK, "templates", found.format(count=len(checks), note=note))


def database_check(settings: Settings) -> Check:
    path = settings.path(settings.database)
    if not path.exists():
        folder = next((p for p in path.parents if p.exists()), Path("."))
        if not os.access(folder, os.W_OK):
            fix = _(
                "{path} ne peut pas être créé : donnez au compte du service le droit d'écrire"
                " dans {folder}"
            )
            return Check(FAIL, "database", fix.format(path=path, folder=folder))
        found = _("{path} pas encore créé : le programme le crée à son premier démarrage")
        return Check(OK, "database", found.format(path=path))
    if not os.access(path, os.W_OK):
        fix = _("{path} est en lecture seule : donnez au compte du service le droit d'y écrire")
        return Check(FAIL, "database", fix.format(path=path))
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
        fix = _("{path} ne s'ouvre pas ({error}) : est-ce bien le fichier SQLite d'intake ?")
        return Check(FAIL, "database", fix.format(path=path, error=exc))
    if integrity != "ok":
        fix = _("{path} est endommagé ({integrity}) : restaurez une sauvegarde")
        return Check(FAIL, "database", fix.format(path=path, integrity=integrity))
    if newer:
        fix = _(
            "{path} a été mis à jour par une version plus récente d'intake ({names}) :"
            " installez cette version"
        )
        return Check(FAIL, "database", fix.format(path=path, names=", ".join(newer)))
    if pending:
        found = _(
            "{path} : {count} mise(s) à jour à appliquer ({names}) ; le programme les applique"
            " à son démarrage"
        )
        return Check(
            WARN,
            "database",
            found.format(path=path, count=len(pending), names=", ".join(pending)),
        )
    return Check(OK, "database", _("{path} s'ouvre, structure à jour").format(path=path))


def secret_check(settings: Settings) -> Check:
    value = os.environ.get(SECRET_ENV)
    if value and len(value) >= 16:
        found = _("{name} est défini ({count} caractères)")
        return Check(OK, "secret", found.format(name=SECRET_ENV, count=len(value)))
    if value:
        fix = _("{name} est trop court : mettez-y au moins 16 caractères tirés au hasard")
        return Check(FAIL, "secret", fix.format(name=SECRET_ENV))
    database = settings.path(settings.database)
    key_file = database.with_name(database.name + ".key")
    if key_file.exists():
        message = _(
            "{name} n'est pas défini : le fichier de clé {key_file} sert à sa place ; mettez son"
            " contenu dans {name} (les demandes de validation en cours restent valables), dans"
            " le fichier d'environnement (/etc/intake/intake.env), sauvegardé avec les autres"
            " secrets"
        )
    else:
        message = _(
            "{name} n'est pas défini : le fichier de clé {key_file} serait créé au premier"
            " démarrage ; définissez {name} (par exemple `openssl rand -hex 32`) dans le fichier"
            " d'environnement (/etc/intake/intake.env), sauvegardé avec les autres secrets"
        )
    return Check(WARN, "secret", message.format(name=SECRET_ENV, key_file=key_file))


def _tesseract_reads_french() -> bool:
    program = shutil.which("tesseract")
    if program is None:
        return False
    try:
        listed = subprocess.run(
            [program, "--list-langs"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "fra" in listed.stdout.split()


def readers_check() -> Check:
    """The Debian programs behind two kinds of attachment: without them the agent is told
    the file cannot be read here, never left without an answer."""
    missing: list[str] = []
    if not (shutil.which("antiword") or shutil.which("soffice") or shutil.which("libreoffice")):
        missing.append(_(
            "antiword (ni LibreOffice) : les fiches Word 97-2003 (.doc) ne sont pas lues, "
            "l'agent est prié de les renvoyer en .docx"
        ))
    if not _tesseract_reads_french():
        missing.append(_(
            "tesseract avec le français (tesseract-ocr-fra) : les fiches numérisées ou "
            "photographiées ne sont pas lues, l'agent est prié d'envoyer le fichier ou de taper "
            "la fiche"
        ))
    if missing:
        fix = _("manquant : {missing} ; installez-les : apt-get install antiword tesseract-ocr "
                "tesseract-ocr-fra")
        return Check(WARN, "readers", fix.format(missing=" ; ".join(missing)))
    return Check(OK, "readers", _("antiword et tesseract (français) présents : .doc, scans et "
                                  "photos sont lus"))
