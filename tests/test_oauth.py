"""XOAUTH2 for mailboxes that refuse passwords: the token command, real SMTP and IMAP logins."""

from __future__ import annotations

import base64
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult
from click.testing import CliRunner
from helpers import fiche_email, write_config
from servers import Dovecot
from servers.dovecot import free_port
from servers.introspection import Introspection
from servers.smtp import RecordingHandler

from intake.cli.main import main
from intake.errors import SourceError
from intake.sources.imap import ImapSource
from outbox.errors import OutboxConfigError, SendError
from outbox.oauth import TOKEN_ENV, configured_token, token_provider, xoauth2_string
from outbox.senders import SmtpSender

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

USER = "signalements-3975@paris.fr"
TOKEN = "ya29.token-de-test"


class XOAuth2Handler(RecordingHandler):
    """Accepts only our user with our token, as Microsoft 365's SMTP does with a valid token."""

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:  # noqa: N802
        given = base64.b64decode(args[1]).decode() if len(args) > 1 else ""
        if given == xoauth2_string(USER, TOKEN):
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False, message="535 5.7.8 Invalid token")


@pytest.fixture
def oauth_smtp() -> Iterator[tuple[XOAuth2Handler, int]]:
    handler = XOAuth2Handler()
    port = free_port()
    controller = Controller(
        handler, hostname="127.0.0.1", port=port, auth_required=True, auth_require_tls=False
    )
    controller.start()
    yield handler, port
    controller.stop()


def test_token_from_a_command_is_fetched_at_each_connection(tmp_path: Path) -> None:
    script = tmp_path / "token.py"
    script.write_text(f"print({TOKEN!r})\n")
    provider = token_provider(f"{sys.executable} {script}")
    assert provider() == TOKEN


def test_token_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    provider = configured_token("xoauth2", None)
    assert provider is not None and provider() == TOKEN
    assert configured_token("password", None) is None


def test_a_failing_command_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    with pytest.raises(OutboxConfigError, match="run it by hand"):
        token_provider("false")()
    with pytest.raises(OutboxConfigError, match=TOKEN_ENV):
        token_provider(None)()


def raw() -> bytes:
    return b"From: a@paris.fr\r\nTo: b@paris.fr\r\nSubject: test\r\n\r\nbody\r\n"


def test_smtp_login_with_xoauth2(oauth_smtp: tuple[XOAuth2Handler, int]) -> None:
    handler, port = oauth_smtp
    sender = SmtpSender("127.0.0.1", port, user=USER, tls=False, token=lambda: TOKEN)
    sender.send(mail_id=1, envelope_from=USER, recipients=["b@paris.fr"], raw=raw())
    sender.close()
    assert len(handler.wait_for(1, timeout=5)) == 1


def test_a_wrong_token_is_refused_and_nothing_is_sent(
    oauth_smtp: tuple[XOAuth2Handler, int],
) -> None:
    handler, port = oauth_smtp
    sender = SmtpSender("127.0.0.1", port, user=USER, tls=False, token=lambda: "expired")
    with pytest.raises(SendError, match="535"):
        sender.send(mail_id=1, envelope_from=USER, recipients=["b@paris.fr"], raw=raw())
    assert handler.messages == []


# -- IMAP: Dovecot checks each token with an introspection endpoint, as an identity provider --


@pytest.fixture
def oauth_dovecot() -> Iterator[tuple[Dovecot, Introspection]]:
    with (
        Introspection({TOKEN: "intake"}) as endpoint,
        Dovecot(oauth2_url=endpoint.url) as server,
    ):
        yield server, endpoint


def test_the_worker_reads_the_mailbox_with_an_xoauth2_login(
    oauth_dovecot: tuple[Dovecot, Introspection], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server, endpoint = oauth_dovecot
    server.append(fiche_email())
    config = write_config(
        tmp_path,
        mailbox=f"imap://{server.user}@{server.host}:{server.imap_port}/INBOX",
        outbox="dir://outbox",
        auth="xoauth2",
    )
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    monkeypatch.setenv("INTAKE_SECRET", "s" * 32)
    monkeypatch.delenv("INTAKE_IMAP_PASSWORD", raising=False)

    result = CliRunner().invoke(main, ["--config", str(config), "run", "--once"])

    assert result.exit_code == 0, result.output
    assert "1 message(s) read" in result.output and "fiche" in result.output
    assert endpoint.asked == [TOKEN]  # the token, not a password, opened the mailbox
    assert server.messages() == [] and len(server.messages("Traités")) == 1


def test_an_expired_token_is_refused_by_the_imap_server(
    oauth_dovecot: tuple[Dovecot, Introspection],
) -> None:
    server, endpoint = oauth_dovecot
    source = ImapSource(
        server.host, server.imap_port, server.user, server.password, token=lambda: "expired"
    )
    with pytest.raises(SourceError, match="refusée pour intake.*oauth2_token_command"):
        list(source.fetch())
    source.close()
    assert endpoint.asked == ["expired"]
