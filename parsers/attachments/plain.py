"""Plain-text fiches (.txt, as Notepad saves them), read like a message body."""

from __future__ import annotations

from parsers.cells import Grid
from parsers.mime import decode_bytes

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_txt(data: bytes) -> tuple[list[Grid], str]:
    if data.startswith(_UTF16_BOMS):  # Notepad's "Unicode": UTF-16 with a byte order mark
        return [], data.decode("utf-16", errors="replace")
    if b"\0" in data[:4096]:
        raise ValueError("binary data, not text")
    return [], decode_bytes(data).lstrip("\ufeff")
