"""OAuth 2 access tokens for mail servers that refuse passwords (Microsoft 365, Gmail): XOAUTH2.

The token comes from a command the admin configures (it prints a fresh token on stdout, e.g. a
small script around the organisation's identity provider) or from $INTAKE_OAUTH2_TOKEN. It is
fetched again at every connection: access tokens expire within the hour. The SMTP sender and
the IMAP source both log in with it.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Callable

from outbox.errors import OutboxConfigError

TOKEN_ENV = "INTAKE_OAUTH2_TOKEN"
TokenProvider = Callable[[], str]


def token_provider(command: str | None) -> TokenProvider:
    def fetch() -> str:
        if command:
            try:
                done = subprocess.run(
                    shlex.split(command), capture_output=True, text=True, timeout=60, check=True
                )
            except (OSError, subprocess.SubprocessError) as exc:
                raise OutboxConfigError(
                    f"oauth2_token_command failed ({exc}); run it by hand to see why"
                ) from exc
            token = done.stdout.strip()
        else:
            token = os.environ.get(TOKEN_ENV, "").strip()
        if not token:
            raise OutboxConfigError(
                f"no OAuth 2 token: set oauth2_token_command in intake.yaml or export {TOKEN_ENV}"
            )
        return token

    return fetch


def configured_token(auth: str, command: str | None) -> TokenProvider | None:
    """The token provider when the configuration says `auth: xoauth2`, else None."""
    return token_provider(command) if auth == "xoauth2" else None


def xoauth2_string(user: str, token: str) -> str:
    """The SASL XOAUTH2 initial response (before base64), as IMAP and SMTP servers expect it."""
    return f"user={user}\x01auth=Bearer {token}\x01\x01"
