"""A private Dovecot instance (IMAP + LMTP on loopback) in a temp folder, never /etc/dovecot.

The settings and their reasons are in /work/shared/design/mail-servers.md.
"""

from __future__ import annotations

import ctypes
import grp
import imaplib
import itertools
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import pytest
from imap_tools import MailBoxUnencrypted
from imap_tools.errors import MailboxLoginError

START_TIMEOUT = 10.0
STOP_TIMEOUT = 10.0
USER_POOL = 500  # accounts written before start-up, see add_user

CONFIG = """\
protocols = imap lmtp
listen = 127.0.0.1
base_dir = {base_dir}
state_dir = {root}/state
instance_name = {instance}
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_failure_delay = 0
mail_uid = nobody
mail_gid = nogroup
mail_location = {mail_format}:{root}/mail/%n/Maildir
{oauth2}passdb {{
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%n {root}/users.passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%n {root}/users.passwd
  default_fields = home={root}/mail/%n
}}
namespace inbox {{
  inbox = yes
  separator = /
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
# After a failed login, anvil's auth penalty delays the next login from the same IP by 2-15 s:
# one wrong-password test would slow every later test. Auth cannot reach this socket: no penalty.
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service lmtp {{
  inet_listener lmtp {{
    address = 127.0.0.1
    port = {lmtp_port}
  }}
}}
"""

#: With `oauth2_url`: XOAUTH2 logins, each token checked by POSTing it to that URL (RFC 7662
#: token introspection), which must answer {"active": true, "username": USER}.
OAUTH2 = """\
auth_mechanisms = plain login xoauth2 oauthbearer
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {root}/oauth2.conf.ext
}}
"""
OAUTH2_EXT = """\
introspection_mode = post
introspection_url = {url}
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
"""


def require_dovecot() -> str:
    """The dovecot binary, or a loud test failure (never a skip: CI must not pass without it)."""
    path = shutil.which("dovecot") or next(
        (p for p in ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot") if os.access(p, os.X_OK)),
        None,
    )
    if path is None:
        pytest.fail(
            "dovecot is not installed: run scripts/test, which installs it "
            "(apt-get install dovecot-imapd dovecot-lmtpd) and runs the suite",
            pytrace=False,
        )
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the process (precisely: the thread) that started
    Dovecot dies, even by SIGKILL, so a crashed run leaves no server behind (PR_SET_PDEATHSIG)."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)


@dataclass(frozen=True)
class MailUser:
    """One account on a running Dovecot, with helpers that talk real IMAP to it."""

    server: Dovecot
    user: str
    password: str

    @property
    def host(self) -> str:
        return self.server.host

    @property
    def imap_port(self) -> int:
        return self.server.imap_port

    @property
    def lmtp_port(self) -> int:
        return self.server.lmtp_port

    @property
    def address(self) -> str:
        return f"{self.user}@example.test"

    def connect(self, folder: str | None = "INBOX") -> MailBoxUnencrypted:
        """A logged-in imap-tools mailbox (close it with `logout()` or a `with` block)."""
        mailbox = MailBoxUnencrypted(self.host, self.imap_port, timeout=10)
        return mailbox.login(self.user, self.password, initial_folder=folder)

    def append(self, raw: bytes, folder: str = "INBOX", flags: tuple[str, ...] = ()) -> None:
        """Store `raw` in `folder` (created if missing), as another mail client would."""
        with self.connect(folder=None) as mailbox:
            if not mailbox.folder.exists(folder):
                mailbox.folder.create(folder)
            mailbox.append(raw, folder, flag_set=flags)

    def messages(self, folder: str = "INBOX") -> list[bytes]:
        """Raw bytes of every message in `folder`, by UID, without marking anything seen."""
        return [raw for _, raw, _ in self.contents(folder)]

    def contents(self, folder: str = "INBOX") -> list[tuple[int, bytes, set[str]]]:
        """(uid, raw bytes, flags) of every message in `folder`, by UID. \\Recent is left out: it
        belongs to whichever session selected the folder first, not to the message."""
        with self.connect(folder=None) as mailbox:
            mailbox.folder.set(folder, readonly=True)
            typ, data = mailbox.client.uid("FETCH", "1:*", "(UID FLAGS BODY.PEEK[])")
            assert typ == "OK", data
            found = []
            for item in data:
                if isinstance(item, tuple) and (uid := re.search(rb"\bUID (\d+)", item[0])):
                    flags = {flag.decode() for flag in imaplib.ParseFlags(item[0]) or ()}
                    flags.discard("\\Recent")
                    found.append((int(uid.group(1)), item[1], flags))
            return sorted(found, key=lambda entry: entry[0])

    def uidvalidity(self, folder: str = "INBOX") -> int:
        with self.connect(folder=None) as mailbox:
            return int(mailbox.folder.status(folder, ["UIDVALIDITY"])["UIDVALIDITY"])

    def folders(self) -> list[str]:
        with self.connect(folder=None) as mailbox:
            return sorted(info.name for info in mailbox.folder.list())


class Dovecot:
    """Start with `start()` or a `with` block. Config, mail and logs live in `root`, by default a
    fresh /tmp folder removed by `close()`. Not under pytest's tmp_path: each new pytest session
    (a concurrent run, CI's) resets /tmp/pytest-of-<user> to 0700 and the mail processes, which
    run as nobody, lose access to the mail of a server that is still running."""

    host = "127.0.0.1"

    def __init__(
        self,
        root: Path | None = None,
        *,
        user: str = "intake",
        password: str = "secret",
        sdbox: bool = False,
        oauth2_url: str | None = None,
    ) -> None:
        self.binary = require_dovecot()
        self._own_root = root is None
        self.root = root or Path(tempfile.mkdtemp(prefix="intake-dovecot-"))
        self.base_dir = Path(tempfile.mkdtemp(prefix="dv"))  # short: socket paths are limited
        self.base_dir.chmod(0o755)
        self.imap_port = free_port()
        self.lmtp_port = free_port()
        self.mail_format = "sdbox" if sdbox else "maildir"
        self.oauth2_url = oauth2_url
        self._names = itertools.count(1)
        self._process: subprocess.Popen[bytes] | None = None
        self._prepare()
        self.default = self.add_user(user, password)  # written before start: no wait

    # -- the default account, so simple tests need no MailUser --------------------------------
    @property
    def user(self) -> str:
        return self.default.user

    @property
    def password(self) -> str:
        return self.default.password

    def append(self, raw: bytes, folder: str = "INBOX", flags: tuple[str, ...] = ()) -> None:
        self.default.append(raw, folder, flags)

    def messages(self, folder: str = "INBOX") -> list[bytes]:
        return self.default.messages(folder)

    def folders(self) -> list[str]:
        return self.default.folders()

    # -- accounts ----------------------------------------------------------------------------
    def add_user(self, user: str | None = None, password: str | None = None) -> MailUser:
        """A new account. Unnamed ones come from a pool written before start-up, because Dovecot
        re-reads passwd-file at most once a second: a user added later may wait up to 1 s."""
        if user is None and password is None:
            index = next(self._names)
            if index <= USER_POOL:
                return MailUser(self, f"box{index}", f"pw-box{index}")
        user = user or f"extra{next(self._names)}"
        password = password or f"pw-{user}"
        with (self.root / "users.passwd").open("a") as users:
            users.write(f"{user}:{{PLAIN}}{password}::::::\n")
        account = MailUser(self, user, password)
        if self._process is not None:
            self._wait_for_login(account)
        return account

    def _wait_for_login(self, account: MailUser) -> None:
        deadline = time.monotonic() + 3
        while True:
            try:
                account.connect(folder=None).logout()
                return
            except MailboxLoginError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)  # passwd-file is re-read on the next second

    # -- life cycle --------------------------------------------------------------------------
    def _prepare(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        # mkdtemp and pytest folders are 0700: the auth (dovecot) and mail (nobody) users need in.
        for folder in (self.root, *self.root.parents):
            mode = folder.stat().st_mode
            if mode & 0o005 != 0o005:
                folder.chmod(mode | 0o755)
        (self.root / "state").mkdir(exist_ok=True)
        mail = self.root / "mail"
        mail.mkdir(exist_ok=True)
        os.chown(mail, pwd.getpwnam("nobody").pw_uid, grp.getgrnam("nogroup").gr_gid)
        (self.root / "users.passwd").write_text(
            "".join(f"box{i}:{{PLAIN}}pw-box{i}::::::\n" for i in range(1, USER_POOL + 1))
        )
        self.config = self.root / "dovecot.conf"
        if self.oauth2_url:
            (self.root / "oauth2.conf.ext").write_text(OAUTH2_EXT.format(url=self.oauth2_url))
        self.config.write_text(
            CONFIG.format(
                root=self.root,
                base_dir=self.base_dir,
                instance=f"intake-test-{self.base_dir.name}",
                mail_format=self.mail_format,
                oauth2=OAUTH2.format(root=self.root) if self.oauth2_url else "",
                imap_port=self.imap_port,
                lmtp_port=self.lmtp_port,
            )
        )

    @property
    def pid(self) -> int:
        """The master process, leader of the session all of Dovecot's processes share."""
        assert self._process is not None, "Dovecot is not running"
        return self._process.pid

    def start(self) -> None:
        if self._process is not None:
            return
        with (self.root / "dovecot.out").open("ab") as out:
            self._process = subprocess.Popen(
                [self.binary, "-F", "-c", str(self.config)],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while not self._greets():
            if self._process.poll() is not None or time.monotonic() > deadline:
                status = self._process.poll()
                self.stop()
                raise RuntimeError(
                    f"Dovecot did not answer on {self.host}:{self.imap_port} "
                    f"(exit status {status}):\n{self.log_tail()}"
                )
            time.sleep(0.01)  # nothing to wait on before the port opens

    def _greets(self) -> bool:
        try:
            with socket.create_connection((self.host, self.imap_port), timeout=1) as sock:
                return sock.recv(64).startswith(b"* OK")
        except OSError:
            return False

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def restart(self) -> None:
        """Stop and start on the same ports and mail (clients see their connection drop)."""
        self.stop()
        self.start()

    def kick(self, user: str, timeout: float = 5.0) -> None:
        """Close the IMAP connections of `user` from the server side (`doveadm kick`). Anvil learns
        of a new connection asynchronously: retry while it answers "no users kicked" (exit 68)."""
        doveadm = shutil.which("doveadm") or "/usr/bin/doveadm"
        deadline = time.monotonic() + timeout
        while True:
            done = subprocess.run(
                [doveadm, "-c", str(self.config), "kick", user], capture_output=True, text=True
            )
            if done.returncode == 0:
                return
            if done.returncode != 68 or time.monotonic() > deadline:
                raise RuntimeError(f"doveadm kick {user}: {done.stdout}{done.stderr}")
            time.sleep(0.02)

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.base_dir, ignore_errors=True)
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def log_tail(self, lines: int = 30) -> str:
        text = ""
        for name in ("dovecot.out", "dovecot.log"):
            path = self.root / name
            if path.exists():
                text += path.read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def __enter__(self) -> Dovecot:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
