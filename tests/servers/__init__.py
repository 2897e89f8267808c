"""Real mail servers for tests: a private Dovecot (IMAP + LMTP) and a recording aiosmtpd."""

from .dovecot import Dovecot, MailUser, require_dovecot
from .smtp import RecordingSMTP

__all__ = ["Dovecot", "MailUser", "RecordingSMTP", "require_dovecot"]
