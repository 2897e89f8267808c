"""The key of the approval tokens: $INTAKE_SECRET, else a key file made once beside the database.

Every token the procedure mails (intake/tickets/tokens.py) is an HMAC under this key, so it
must outlive restarts and upgrades: it is part of the deployment, like the database.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from intake.errors import ConfigError

SECRET_ENV = "INTAKE_SECRET"


def load_secret(database: Path) -> bytes:
    """$INTAKE_SECRET, else a key file made once beside the database (readable by us only)."""
    value = os.environ.get(SECRET_ENV)
    if value:
        if len(value) < 16:
            raise ConfigError(f"{SECRET_ENV} is too short: use at least 16 random characters")
        return value.encode()
    key_file = database.with_name(database.name + ".key")
    try:
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            # Written aside then linked into place: a reader never sees a half-written key.
            tmp = key_file.with_name(f"{key_file.name}.{os.getpid()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(32))
            try:
                os.link(tmp, key_file)
            except FileExistsError:
                pass  # another process made it first: use theirs
            finally:
                tmp.unlink()
        return key_file.read_text().strip().encode()
    except OSError as exc:
        raise ConfigError(
            f"no {SECRET_ENV} and cannot use {key_file} ({exc.strerror}): set {SECRET_ENV}"
        ) from exc
