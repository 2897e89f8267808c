"""Build outbox rows: render a template for one recipient and freeze the bytes to send."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from email.utils import formataddr, parseaddr
from typing import Any

from outbox.compose import compose, new_message_id, plus_address
from outbox.render import Renderer


class MailFactory:
    def __init__(self, renderer: Renderer, sender: str, clock: Callable[[], dt.datetime]) -> None:
        self.renderer = renderer
        self.sender = sender
        self.sender_name, self.sender_address = parseaddr(sender)
        self.domain = self.sender_address.rpartition("@")[2] or "localhost"
        self.clock = clock

    def _reply_to(self, tag: str) -> str:
        return formataddr((self.sender_name, plus_address(self.sender_address, tag)))

    def make(
        self,
        template: str,
        *,
        to: list[str],
        context: dict[str, Any],
        ref: str | None,
        ticket_id: int | None,
        message_row: int | None,
        in_reply_to: str | None = None,
        cc: list[str] | None = None,
        auto_submitted: str = "auto-replied",
        tag: str | None = None,
        html: bool = False,
        images: dict[str, bytes] | None = None,
        procedure: bool = False,
    ) -> dict[str, Any]:
        """An outbox row; its Message-ID is fixed now so a resend is recognisably the same.

        `tag` (an approval token) goes into the Message-ID and a Reply-To plus-address, the two
        places a reply brings back; templates see that address as `reply_address`. With
        `html`, `TEMPLATE.html.j2` is rendered too and sent as an alternative to the text,
        with `images` (Content-ID -> PNG) inline. `procedure`: a mail the approval procedure
        needs (a request, a reminder, a transmission, a decision notice), which the daily cap
        per recipient never holds; any other is an answer to incoming mail, which it does.
        """
        now = self.clock()
        context = {**context, "sender": self.sender}
        if tag:
            context["reply_address"] = plus_address(self.sender_address, tag)
        rendered = self.renderer.render(template, context)
        message_id = new_message_id(template, ref, self.domain, tag)
        raw = compose(
            sender=self.sender,
            recipients=to,
            cc=cc,
            subject=rendered.subject,
            body=rendered.body,
            message_id=message_id,
            ref=ref,
            now=now,
            in_reply_to=in_reply_to,
            references=[in_reply_to] if in_reply_to else None,
            auto_submitted=auto_submitted,
            reply_to=self._reply_to(tag) if tag else None,
            html=self.renderer.render_html(template, context) if html else None,
            images=images,
        )
        subject = (
            rendered.subject
            if not ref or ref in rendered.subject
            else f"[{ref}] {rendered.subject}"
        )
        return {
            "ticket_id": ticket_id,
            "message_row": message_row,
            "template": template,
            "recipients": to + (cc or []),
            "subject": subject,
            "message_id": message_id,
            "raw": raw,
            "created_at": now.isoformat(),
            "purpose": "procedure" if procedure else "answer",
        }
