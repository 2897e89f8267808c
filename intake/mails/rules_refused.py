"""The admins told that an edit of the rules file was refused (regles-invalides): which
file and version, the version kept in service, and each problem as `rules check` prints it."""

from __future__ import annotations

from typing import Any

from intake.mails.kind import MailKind

TEMPLATE = "regles-invalides"


def context(path: str, version: str, kept_version: str, problems: list[str]) -> dict[str, Any]:
    return {"path": path, "version": version, "kept_version": kept_version, "problems": problems}


KIND = MailKind(
    TEMPLATE,
    lambda _ticket: context(
        "/etc/intake/rules.yaml",
        "0123456789ab",
        "ba9876543210",
        ["rules.yaml:12:5: unknown key 'aprovers'; did you mean 'approvers'?"],
    ),
)
