"""Render the editable email templates (jinja2, sandboxed) into a subject and a body."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from outbox.errors import OutboxConfigError


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


class Renderer:
    """Each template defines two blocks, `subject` and `body`, so an admin edits one file."""

    def __init__(self, folder: Path) -> None:
        if not folder.is_dir():
            raise OutboxConfigError(
                f"template folder {folder} not found: set 'templates' in intake.yaml"
            )
        self.folder = folder
        # Sandboxed: templates are edited by admins and see data written by agents.
        self.env = SandboxedEnvironment(
            loader=FileSystemLoader(folder),
            undefined=StrictUndefined,
            autoescape=False,  # plain-text mail; HTML templates would switch it on
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        # HTML mails (`NAME.html.j2`, a `body` block): every value escaped unless marked safe.
        self.html_env = SandboxedEnvironment(
            loader=FileSystemLoader(folder),
            undefined=StrictUndefined,
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def has_html(self, name: str) -> bool:
        """True when `name` has an HTML alternative (`NAME.html.j2`) beside its text."""
        return (self.folder / f"{name}.html.j2").is_file()

    def render_html(self, name: str, context: dict[str, Any]) -> str:
        try:
            return self.html_env.get_template(f"{name}.html.j2").render(context)
        except TemplateError as exc:
            raise OutboxConfigError(f"template {name}.html.j2 in {self.folder}: {exc}") from exc

    def render(self, name: str, context: dict[str, Any]) -> Rendered:
        try:
            template = self.env.get_template(f"{name}.txt.j2")
            ctx = template.new_context(context)
            subject = "".join(template.blocks["subject"](ctx))
            body = "".join(template.blocks["body"](ctx))
        except KeyError as exc:
            raise OutboxConfigError(f"template {name}.txt.j2 lacks the block {exc}") from exc
        except TemplateError as exc:
            raise OutboxConfigError(f"template {name}.txt.j2 in {self.folder}: {exc}") from exc
        return Rendered(" ".join(subject.split()), body.strip() + "\n")
