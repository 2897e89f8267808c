"""`intake doctor`'s checks of the mail servers: IMAP login, folders, IDLE; SMTP; a test mail."""

from __future__ import annotations

import datetime as dt
import os
import smtplib
from email.utils import parseaddr
from pathlib import Path

from imap_tools import BaseMailBox
from imap_tools.errors import MailboxLoginError

from intake.config.settings import Settings
from intake.errors import USER_ERRORS
from intake.operations.doctor_local import FAIL, OK, SKIP, WARN, Check
from intake.sources.imap_account import (
    IMAP_PASSWORD_ENV,
    NETWORK_ERRORS,
    connect,
    credentials,
    login,
    logout,
    parse_mailbox,
)
from outbox.compose import compose, new_message_id
from outbox.errors import OutboxConfigError
from outbox.senders import SMTP_PASSWORD_ENV, open_sender, parse_outbox
from parsers.i18n import _

TIMEOUT = 10.0


def mailbox_checks(settings: Settings, *, create_folders: bool) -> list[Check]:
    url = parse_mailbox(settings.mailbox)
    if url.scheme == "maildir":
        return _maildir_checks(settings, settings.path(url.path))
    where = url.where
    oauth = settings.auth == "xoauth2"
    try:
        # An OAuth 2 token (fetched as the worker fetches it), or the password.
        password = credentials(settings.auth, settings.oauth2_token_command).secret()
    except OutboxConfigError as exc:
        return [Check(FAIL, "imap login", str(exc))]
    if not password:
        return [
            Check(
                FAIL,
                "imap login",
                _(
                    "{name} n'est pas défini : mettez le mot de passe de {user} dans le fichier"
                    " d'environnement (/etc/intake/intake.env)"
                ).format(name=IMAP_PASSWORD_ENV, user=url.user),
            )
        ]
    try:
        mailbox = connect(url, TIMEOUT)
    except NETWORK_ERRORS as exc:
        tls = _("imaps:// pour TLS") if url.tls else _("imap:// sans TLS")
        fix = _(
            "{where} injoignable ({error}) : vérifiez l'hôte, le port et {tls} dans le réglage"
            " mailbox, et que le serveur est en marche"
        )
        return [Check(FAIL, "imap login", fix.format(where=where, error=exc, tls=tls))]
    try:
        return _imap_checks(
            settings, mailbox, url.user, (password, oauth), where, url.folder, create_folders
        )
    finally:
        logout(mailbox)


def _imap_checks(
    settings: Settings,
    mailbox: BaseMailBox,
    user: str,
    secret: tuple[str, bool],
    where: str,
    folder: str,
    create_folders: bool,
) -> list[Check]:
    password, oauth = secret
    try:
        login(mailbox, user, password, oauth=oauth)
    except MailboxLoginError:
        which = (
            _("le jeton OAuth 2 (oauth2_token_command)")
            if oauth
            else _("le mot de passe dans {name}").format(name=IMAP_PASSWORD_ENV)
        )
        fix = _(
            "connexion refusée pour {user} sur {where} : vérifiez le compte dans le réglage"
            " mailbox et {secret}"
        )
        return [Check(FAIL, "imap login", fix.format(user=user, where=where, secret=which))]
    found = _("connecté en tant que {user} sur {where}")
    checks = [Check(OK, "imap login", found.format(user=user, where=where))]
    try:
        typ, data = mailbox.client.capability()  # after login: imaplib keeps the old ones
        caps = set(data[-1].decode().upper().split()) if typ == "OK" and data else set()
        checks.append(_folders(settings, mailbox, folder, create_folders))
        checks.append(_move(caps))
        if not getattr(settings, "imap_idle", True):
            found = _("imap_idle vaut false : relève toutes les {seconds} s")
            checks.append(Check(SKIP, "idle", found.format(seconds=settings.poll_seconds)))
        else:
            checks.append(_idle(caps, where, settings.poll_seconds))
    except NETWORK_ERRORS as exc:
        fix = _("{where} a coupé la connexion ({error}) : relancez `intake doctor`")
        checks.append(Check(FAIL, "imap", fix.format(where=where, error=exc)))
    return checks


def _idle(caps: set[str], where: str, poll_seconds: int) -> Check:
    return (
        Check(OK, "idle", _("IDLE disponible : le courrier est pris dès son arrivée"))
        if "IDLE" in caps
        else Check(
            WARN,
            "idle",
            _(
                "pas d'IDLE sur {where} : le programme relève toutes les {seconds} s (baissez"
                " poll_seconds pour une prise en compte plus rapide)"
            ).format(where=where, seconds=poll_seconds),
        )
    )


def _folders(settings: Settings, mailbox: BaseMailBox, inbox: str, create: bool) -> Check:
    if not mailbox.folder.exists(inbox):
        fix = _("dossier « {inbox} » introuvable : corrigez le réglage mailbox (la casse compte)")
        return Check(FAIL, "folders", fix.format(inbox=inbox))
    processed = settings.processed_folder
    if mailbox.folder.exists(processed):
        found = _("« {inbox} » et « {processed} » existent")
        return Check(OK, "folders", found.format(inbox=inbox, processed=processed))
    if create:
        mailbox.folder.create(processed)
        found = _("« {inbox} » existe, « {processed} » créé")
        return Check(OK, "folders", found.format(inbox=inbox, processed=processed))
    fix = _(
        "« {inbox} » existe, « {processed} » non : créez-le avec"
        " `intake doctor --create-folders` (ou laissez le programme le faire au premier"
        " démarrage)"
    )
    return Check(WARN, "folders", fix.format(inbox=inbox, processed=processed))


def _move(caps: set[str]) -> Check:
    if "MOVE" in caps or "UIDPLUS" in caps:
        return Check(
            OK, "imap move", "MOVE" if "MOVE" in caps else _("UIDPLUS (copie puis effacement)")
        )
    return Check(
        FAIL,
        "imap move",
        _(
            "le serveur n'a ni MOVE ni UIDPLUS : le courrier traité ne peut pas être déplacé"
            " sans risque ; utilisez un autre serveur ou un autre compte"
        ),
    )


def _maildir_checks(settings: Settings, path: Path) -> list[Check]:
    if not path.is_dir():
        fix = _("{path} n'existe pas : créez-le, ou corrigez le réglage mailbox (maildir://)")
        return [Check(FAIL, "maildir", fix.format(path=path))]
    if not os.access(path, os.W_OK):
        fix = _("ce compte ne peut pas écrire dans {path} : donnez-lui ce droit")
        return [Check(FAIL, "maildir", fix.format(path=path))]
    count = sum(
        len(list((path / sub).iterdir())) for sub in ("new", "cur") if (path / sub).is_dir()
    )
    return [
        Check(
            OK,
            "maildir",
            _("{path} : {count} message(s) en attente").format(path=path, count=count),
        ),
        Check(
            SKIP,
            "idle",
            _("Maildir : le programme regarde toutes les {seconds} s").format(
                seconds=settings.poll_seconds
            ),
        ),
    ]


def outbox_check(settings: Settings) -> Check:
    outbox = parse_outbox(settings.outbox)
    if outbox.scheme == "dir":
        folder = settings.path(outbox.path)
        parent = next((p for p in (folder, *folder.parents) if p.exists()), Path("."))
        if not os.access(parent, os.W_OK):
            fix = _("impossible d'écrire dans {folder} : corrigez le réglage outbox ou les droits")
            return Check(FAIL, "smtp", fix.format(folder=folder))
        found = _("pas de SMTP : les courriels sont écrits en fichiers .eml dans {folder}")
        return Check(OK, "smtp", found.format(folder=folder))
    where = outbox.where
    try:
        cls = smtplib.SMTP_SSL if outbox.tls else smtplib.SMTP
        with cls(outbox.host or "", outbox.port, timeout=TIMEOUT) as conn:
            code, banner = conn.ehlo()
            if outbox.user:
                password = os.environ.get(SMTP_PASSWORD_ENV)
                if not password:
                    fix = _(
                        "{name} n'est pas défini : mettez le mot de passe de {user} dans le"
                        " fichier d'environnement"
                    )
                    return Check(
                        FAIL, "smtp", fix.format(name=SMTP_PASSWORD_ENV, user=outbox.user)
                    )
                conn.login(outbox.user, password)
    except smtplib.SMTPAuthenticationError:
        fix = _("{where} a refusé la connexion de {user} : vérifiez {name}")
        return Check(
            FAIL, "smtp", fix.format(where=where, user=outbox.user, name=SMTP_PASSWORD_ENV)
        )
    except (OSError, smtplib.SMTPException) as exc:
        fix = _(
            "{where} injoignable ({error}) : vérifiez le réglage outbox de intake.yaml, et que"
            " le serveur est en marche"
        )
        return Check(FAIL, "smtp", fix.format(where=where, error=exc))
    name = banner.decode(errors="replace").splitlines()[0] if banner else "?"
    found = _("{where} accepte les connexions (EHLO {code} {name})")
    return Check(OK, "smtp", found.format(where=where, code=code, name=name))


def send_test(settings: Settings, address: str) -> Check:
    if "@" not in parseaddr(address)[1]:
        fix = _("« {address} » n'est pas une adresse électronique")
        return Check(FAIL, "test mail", fix.format(address=address))
    now = dt.datetime.now(dt.UTC)
    sender_address = settings.sender_address
    raw = compose(
        sender=settings.sender,
        recipients=[address],
        subject="intake-3975 : message de test (intake doctor)",
        body=(
            "Ce message de test a été envoyé par `intake doctor --send-test`.\n"
            "S'il vous parvient, l'envoi de courriels fonctionne.\n"
        ),
        message_id=new_message_id("test", None, sender_address.rpartition("@")[2]),
        ref=None,
        now=now,
        auto_submitted="auto-generated",
    )
    try:
        sender = open_sender(settings.outbox, settings.base_dir)
        try:
            where = sender.send(
                mail_id=0, envelope_from=sender_address, recipients=[address], raw=raw
            )
        finally:
            sender.close()
    except USER_ERRORS as exc:
        fix = _("non remis à {address} : {error}")
        return Check(FAIL, "test mail", fix.format(address=address, error=exc))
    found = _("accepté pour {address} par {where} : vérifiez qu'il est bien arrivé")
    return Check(OK, "test mail", found.format(address=address, where=where))
