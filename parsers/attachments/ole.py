"""What an OLE compound file holds: an old Word (.doc) or Excel (.xls) file, an Outlook
message (.msg), or a password-protected one.

Office 97-2003 files and Outlook messages are OLE containers, and so is a docx/xlsx saved
with a password (its zip, encrypted, in an "EncryptedPackage" stream). The streams inside
tell them apart whatever the file is named; an encrypted .doc or .xls is flagged inside its
own stream (the FIB's fEncrypted bit, the FILEPASS record).
"""

from __future__ import annotations

import io
import struct
from typing import Literal

import olefile

from parsers.attachments.guard import Protected

OleSource = Literal["doc", "xls", "msg"]

_WORD_IDENT = 0xA5EC
#: FIB flags: fEncrypted (RC4 or XOR with a password) and fObfuscated (XOR "obfuscation").
_FIB_ENCRYPTED = 0x0100
_FIB_OBFUSCATED = 0x8000
_BIFF_BOF, _BIFF_EOF, _BIFF_FILEPASS = 0x0809, 0x000A, 0x002F
#: FILEPASS sits among the first records of the workbook globals: no need to walk far.
_BIFF_SCAN = 200


def _word_encrypted(fib: bytes) -> bool:
    if len(fib) < 12 or struct.unpack_from("<H", fib, 0)[0] != _WORD_IDENT:
        raise ValueError("not a Word document stream")
    flags = struct.unpack_from("<H", fib, 10)[0]
    return bool(flags & (_FIB_ENCRYPTED | _FIB_OBFUSCATED))


def _excel_encrypted(stream: bytes) -> bool:
    pos = 0
    for _ in range(_BIFF_SCAN):
        if pos + 4 > len(stream):
            break
        kind, size = struct.unpack_from("<HH", stream, pos)
        if pos == 0 and kind != _BIFF_BOF:
            raise ValueError("not an Excel workbook stream")
        if kind == _BIFF_FILEPASS:
            return True
        if kind == _BIFF_EOF:
            break
        pos += 4 + size
    return False


def ole_source(data: bytes) -> OleSource | None:
    """The format inside an OLE file; None when it is none of ours (PowerPoint, Publisher…).
    Raises `Protected` for a file that needs a password, anything else when damaged."""
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        if ole.exists("EncryptedPackage") or ole.exists("EncryptionInfo"):
            raise Protected
        if ole.exists("WordDocument"):
            with ole.openstream("WordDocument") as stream:
                if _word_encrypted(stream.read(32)):
                    raise Protected
            return "doc"
        for name in ("Workbook", "Book"):  # "Book": Excel 5/95, which xlrd also reads
            if ole.exists(name):
                with ole.openstream(name) as stream:
                    if _excel_encrypted(stream.read(_BIFF_SCAN * 256)):
                        raise Protected
                return "xls"
        if ole.exists("__properties_version1.0"):
            return "msg"
    return None
