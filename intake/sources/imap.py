"""An IMAP folder as a Source: fetch without flagging, UID MOVE after commit, IDLE to wait."""

from __future__ import annotations

import contextlib
import logging
import re
import time
from collections.abc import Iterator
from typing import Any

from imap_tools import BaseMailBox
from imap_tools.errors import MailboxFolderSelectError, MailboxLoginError
from imap_tools.utils import encode_folder

from intake.errors import SourceError
from intake.sources.base import SourceMessage
from intake.sources.imap_account import NETWORK_ERRORS, Credentials, MailboxUrl, connect, login
from outbox.oauth import TokenProvider

log = logging.getLogger(__name__)

#: RFC 2177: re-issue IDLE at least every 29 minutes or the server may log us out.
IDLE_MAX = 29 * 60 - 30
UID_IN_FETCH = re.compile(rb"\bUID (\d+)")


class ImapSource:
    """One folder of one IMAP account. The connection is opened on first use and again after a
    drop; every failure to reach or read the mailbox raises `SourceError`."""

    def __init__(
        self,
        host: str,
        port: int,
        user: str,
        password: str,
        folder: str = "INBOX",
        processed_folder: str = "Traites",
        *,
        quarantine_folder: str = "Quarantaine",
        token: TokenProvider | None = None,
        ssl: bool = False,
        idle: bool = True,
        batch: int = 500,
        timeout: float = 30.0,
    ) -> None:
        if batch < 2:
            raise ValueError("batch must be at least 2")
        self.host, self.port, self.user = host, port, user
        self.folder, self.processed_folder = folder, processed_folder
        self.quarantine_folder = quarantine_folder
        self._account = Credentials(password, token)  # XOAUTH2 instead of the password when set
        self.ssl, self.batch, self.timeout = ssl, batch, timeout
        self.idle = idle  # False: `wait` sleeps, even when the server offers IDLE
        self.label = f"imap{'s' if ssl else ''}://{user}@{host}:{port}/{folder}"
        self._url = MailboxUrl("imaps" if ssl else "imap", "", host, port, user, folder)
        self._mailbox: BaseMailBox | None = None
        self._uidvalidity: int | None = None
        self._fetched_validity: int | None = None  # as seen by the last fetch: what ack trusts

    # -- Source ---------------------------------------------------------------------------------
    def fetch(self) -> Iterator[SourceMessage]:
        """Every message in the folder by UID, raw bytes as stored, fetched `batch` at a time with
        BODY.PEEK (nothing is marked seen)."""
        # NOOP first: Dovecot answers a SEARCH from the session's last synced view, which may
        # not yet include mail another client appended since our previous command.
        self._noop()
        uids = sorted(int(uid) for uid in self._uid("SEARCH", "ALL")[0].split())
        validity = self._fetched_validity = self._uidvalidity
        # Any EXISTS so far is covered by this search; one arriving later means new mail (`wait`).
        # imaplib keeps unclaimed untagged responses forever (EXPUNGE per ack...): drop them here.
        self._connect().client.untagged_responses.clear()
        for start in range(0, len(uids), self.batch):
            chunk = ",".join(str(uid) for uid in uids[start : start + self.batch])
            data = self._uid("FETCH", chunk, "(UID BODY.PEEK[])")
            if self._uidvalidity != validity:
                return  # reconnected to a renumbered folder: these UIDs mean nothing now
            found = {}
            for item in data:
                # Messages are (b'3 (UID 7 BODY[] {123}', raw); bare bytes are closing parens or
                # unsolicited FLAGS updates from other clients.
                if isinstance(item, tuple) and (match := UID_IN_FETCH.search(item[0])):
                    found[int(match.group(1))] = item[1]
            for uid in sorted(found):  # expunged since the search: simply absent
                yield SourceMessage(str(uid), found[uid], validity)

    def ack(self, uid: str) -> None:
        """UID MOVE to the processed folder; a UID already gone is not an error."""
        self._move(uid, self.processed_folder)

    def ack_all(self, uids: list[str]) -> None:
        """One UID MOVE for the lot: a round trip per message would cost more than the rest."""
        if uids:
            self._move(",".join(uids), self.processed_folder)

    def set_aside(self, uid: str) -> None:
        """UID MOVE to the quarantine folder, created on first use."""
        self._move(uid, self.quarantine_folder)

    def _move(self, uid: str, folder: str) -> None:
        try:
            self._move_once(uid, folder)
        except SourceError:
            # The folder is new (quarantine) or was deleted while we run: make it, retry once.
            mailbox = self._connect()
            if mailbox.folder.exists(folder):
                raise
            log.warning("%s: folder %r was missing, created again", self.label, folder)
            mailbox.folder.create(folder)
            mailbox.folder.set(self.folder)
            self._move_once(uid, folder)

    def _move_once(self, uid: str, folder: str) -> None:
        capabilities = self._connect().client.capabilities
        target = encode_folder(folder).decode()  # modified UTF-7: ASCII
        if "MOVE" in capabilities:
            self._uid("MOVE", uid, target, acking=True)
        elif "UIDPLUS" in capabilities:  # never a plain EXPUNGE: it removes every \Deleted
            self._uid("COPY", uid, target, acking=True)
            self._uid("STORE", uid, "+FLAGS.SILENT", r"(\Deleted)", acking=True)
            self._uid("EXPUNGE", uid, acking=True)
        else:
            raise SourceError(
                f"Le serveur {self.host}:{self.port} ne sait ni MOVE ni UIDPLUS : impossible de "
                "déplacer un message traité sans risquer d'en effacer d'autres."
            )
        # imaplib keeps every untagged answer until claimed: a long backlog would pile up one
        # EXPUNGE and COPYUID per message. EXISTS stays: it tells `wait` that mail came in.
        responses = self._connect().client.untagged_responses
        for name in ("EXPUNGE", "COPYUID", "OK", "FETCH", "RECENT"):
            responses.pop(name, None)

    def wait(self, timeout: float) -> bool:
        """IDLE up to `timeout` s (capped under 29 min); True when the server reported a change.
        Without IDLE (or with `idle` off), sleep and return True. A dropped connection returns True:
        the next fetch reconnects (or raises)."""
        mailbox = self._connect()
        if not self.idle or "IDLE" not in mailbox.client.capabilities:
            time.sleep(timeout)
            return True
        arrived = mailbox.client.untagged_responses.pop("EXISTS", None)
        mailbox.client.untagged_responses.clear()
        if arrived:
            return True  # reported during our own commands (acks) since the last fetch
        try:
            return bool(mailbox.idle.wait(timeout=min(timeout, IDLE_MAX)))
        except NETWORK_ERRORS as exc:
            log.warning(
                "%s: connexion perdue pendant IDLE (%s), reconnexion au prochain relevé",
                self.label,
                exc,
            )
            self._drop()
            return True

    def close(self) -> None:
        mailbox, self._mailbox = self._mailbox, None
        if mailbox is not None:
            try:
                mailbox.logout()
            except NETWORK_ERRORS as exc:
                log.debug("%s: logout failed: %s", self.label, exc)

    # -- connection -----------------------------------------------------------------------------
    def _connect(self) -> BaseMailBox:
        if self._mailbox is not None:
            return self._mailbox
        where = f"{self.host}:{self.port}"
        tls = "TLS (imaps)" if self.ssl else "l'absence de TLS (imap)"
        try:
            mailbox = connect(self._url, self.timeout)
        except NETWORK_ERRORS as exc:
            raise SourceError(
                f"Serveur IMAP injoignable à {where} ({exc}) : vérifiez l'hôte, le port et "
                f"{tls} dans intake.yaml."
            ) from exc
        try:
            self._login(mailbox)
            # imaplib keeps the pre-login capabilities (no MOVE, no IDLE on many servers): without
            # this, imap-tools' move() would COPY + EXPUNGE every \Deleted message in the folder.
            typ, data = mailbox.client.capability()
            if typ == "OK" and data and data[-1]:
                mailbox.client.capabilities = tuple(data[-1].decode().upper().split())
            if not mailbox.folder.exists(self.processed_folder):
                mailbox.folder.create(self.processed_folder)
            mailbox.folder.set(self.folder)
            _, values = mailbox.client.response("UIDVALIDITY")
            self._uidvalidity = int(values[0]) if values and values[0] else None
        except MailboxLoginError as exc:
            self._abandon(mailbox)
            secret = (
                "que oauth2_token_command (ou INTAKE_OAUTH2_TOKEN) donne un jeton valide"
                if self._account.token is not None
                else "le mot de passe dans la variable INTAKE_IMAP_PASSWORD"
            )
            raise SourceError(
                f"Connexion IMAP refusée pour {self.user} sur {where} : vérifiez l'identifiant "
                f"dans intake.yaml et {secret}."
            ) from exc
        except MailboxFolderSelectError as exc:
            self._abandon(mailbox)
            raise SourceError(
                f"Dossier IMAP « {self.folder} » introuvable pour {self.user} sur {where} : "
                "vérifiez le nom du dossier dans intake.yaml (la casse compte)."
            ) from exc
        except NETWORK_ERRORS as exc:
            self._abandon(mailbox)
            raise SourceError(
                f"Échec de l'ouverture de {self.label} ({exc}) : vérifiez le serveur, le dossier "
                f"« {self.folder} » et le droit de créer « {self.processed_folder} »."
            ) from exc
        self._mailbox = mailbox
        log.info("%s: connecté (UIDVALIDITY %s)", self.label, self._uidvalidity)
        return mailbox

    def _login(self, mailbox: BaseMailBox) -> None:
        login(mailbox, self.user, self._account.secret(), oauth=self._account.token is not None)

    def _noop(self) -> None:
        try:
            self._connect().client.noop()
        except NETWORK_ERRORS:
            self._drop()  # the SEARCH that follows reconnects, or raises SourceError

    def _uid(self, command: str, *args: str, acking: bool = False) -> list[Any]:
        """One UID command; a connection found dead is reopened once. NO/BAD, a second failure or
        a renumbered folder (UIDVALIDITY changed since the fetch, when acking) raise SourceError."""
        for attempt in (1, 2):
            fresh = self._mailbox is None
            client = self._connect().client
            if acking and self._uidvalidity != self._fetched_validity:
                raise SourceError(
                    f"UIDVALIDITY de {self.label} a changé depuis le relevé : message {args[0]!r} "
                    "laissé en place, il sera relu au prochain relevé."
                )
            try:
                typ, data = client.uid(command, *args)
                break
            except NETWORK_ERRORS as exc:
                self._drop()
                if fresh or attempt == 2:
                    raise SourceError(
                        f"Connexion IMAP perdue avec {self.label} ({exc}) : le prochain relevé "
                        "se reconnectera ; si l'erreur persiste, vérifiez le serveur."
                    ) from exc
                log.info("%s: connexion fermée par le serveur, reconnexion", self.label)
        if typ != "OK":
            raise SourceError(f"Le serveur {self.label} a refusé UID {command} : {data!r}")
        return data

    def _drop(self) -> None:
        mailbox, self._mailbox = self._mailbox, None
        if mailbox is not None:
            self._abandon(mailbox)

    @staticmethod
    def _abandon(mailbox: BaseMailBox) -> None:
        with contextlib.suppress(OSError):
            mailbox.client.shutdown()
