"""Outlook's winmail.dat (TNEF): the files and the body it wraps, read with tnefparse."""

from __future__ import annotations

from tnefparse import TNEF

from parsers.mime import Attachment, decode_bytes


def is_tnef(att: Attachment) -> bool:
    return att.content_type in ("application/ms-tnef", "application/vnd.ms-tnef") or (
        att.filename.lower() == "winmail.dat"
    )


def unpack_tnef(data: bytes) -> tuple[list[Attachment], str]:
    """The attachments inside, and the plain-text body when Outlook put one there."""
    tnef = TNEF(data, do_checksum=False)
    inner = [
        Attachment(_name(a.long_filename() or a.name), "application/octet-stream", bytes(a.data))
        for a in tnef.attachments
        if a.data
    ]
    body = tnef.body
    text = decode_bytes(body) if isinstance(body, bytes) else str(body or "")
    return inner, text.strip("\x00")


def _name(value: object) -> str:
    text = decode_bytes(value) if isinstance(value, bytes) else str(value)
    return text.strip("\x00").strip()
