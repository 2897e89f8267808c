"""A small writer of Outlook .msg files, for tests: no maintained library writes them.

An .msg is an OLE compound file ([MS-CFB]) holding the message's MAPI properties
([MS-OXMSG]): fixed-size values in a `__properties_version1.0` stream, strings and binaries
each in a `__substg1.0_IIIITTTT` stream, one storage per attachment. This writes version 3
compound files (512-byte sectors, streams under 4096 bytes in the 64-byte mini stream), the
same layout Outlook writes, and reads back with olefile and extract-msg.
"""

from __future__ import annotations

import datetime as dt
import struct
from dataclasses import dataclass, field

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SECTOR, MINI, CUTOFF = 512, 64, 4096
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
PT_LONG, PT_SYSTIME, PT_UNICODE, PT_BINARY = 0x0003, 0x0040, 0x001F, 0x0102


@dataclass
class Entry:
    name: str
    data: bytes | None = None  # None: a storage
    children: list[Entry] = field(default_factory=list)
    id: int = 0
    start: int = END
    right: int = NOSTREAM  # siblings form a right-leaning chain: a valid, unbalanced tree


def _sort_key(entry: Entry) -> tuple[int, str]:
    return len(entry.name), entry.name.upper()  # [MS-CFB] 2.6.4: length, then upper case


def _chain(start: int, count: int) -> list[int]:
    return [start + i + 1 for i in range(count - 1)] + [END] if count else []


def compound_file(root: Entry) -> bytes:
    entries: list[Entry] = []

    def number(entry: Entry) -> None:
        entry.id = len(entries)
        entries.append(entry)
        entry.children.sort(key=_sort_key)
        for child in entry.children:
            number(child)
        for child, after in zip(entry.children, entry.children[1:], strict=False):
            child.right = after.id

    number(root)
    streams = [e for e in entries if e.data is not None]
    small = [e for e in streams if e.data is not None and len(e.data) < CUTOFF]
    large = [e for e in streams if e.data is not None and len(e.data) >= CUTOFF]
    mini_stream, mini_fat = b"", []
    for e in small:
        assert e.data is not None
        count = -(-len(e.data) // MINI)
        e.start = len(mini_fat) if count else END
        mini_fat += _chain(len(mini_fat), count)
        mini_stream += e.data.ljust(count * MINI, b"\0")

    def sectors(size: int) -> int:
        return -(-size // SECTOR)

    blobs: list[tuple[str, bytes]] = [
        ("dir", b""),  # filled once the start sectors are known
        ("minifat", b"".join(struct.pack("<I", n) for n in mini_fat)),
        ("ministream", mini_stream),
    ] + [(str(e.id), e.data or b"") for e in large]
    dir_sectors = sectors(len(entries) * 128)
    sizes = [dir_sectors] + [sectors(len(b)) for _, b in blobs[1:]]
    fat_count = 1
    while fat_count * (SECTOR // 4) < fat_count + sum(sizes):
        fat_count += 1
    fat = [FATSECT] * fat_count
    starts: dict[str, int] = {}
    for (key, _), count in zip(blobs, sizes, strict=True):
        starts[key] = len(fat) if count else END
        fat += _chain(len(fat), count)
    fat += [FREE] * (fat_count * (SECTOR // 4) - len(fat))
    root.start = starts["ministream"]
    for e in large:
        e.start = starts[str(e.id)]

    directory = b"".join(_dir_entry(e, len(mini_stream)) for e in entries)
    directory = directory.ljust(dir_sectors * SECTOR, b"\0")
    # Unused directory slots must say "no sibling, no child".
    for slot in range(len(entries), dir_sectors * 4):
        at = slot * 128 + 68
        directory = directory[:at] + struct.pack("<III", NOSTREAM, NOSTREAM, NOSTREAM) + (
            directory[at + 12 :])
    difat = list(range(fat_count)) + [FREE] * (109 - fat_count)
    header = (
        MAGIC + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
        + struct.pack("<IIIIIIIII", 0, fat_count, starts["dir"], 0, CUTOFF,
                      starts["minifat"], sectors(len(blobs[1][1])), END, 0)
        + b"".join(struct.pack("<I", n) for n in difat)
    )
    body = b"".join(struct.pack("<I", n) for n in fat)
    body += directory
    for _, blob in blobs[1:]:
        body += blob.ljust(sectors(len(blob)) * SECTOR, b"\0")
    return header + body


def _dir_entry(entry: Entry, mini_size: int) -> bytes:
    name = entry.name.encode("utf-16-le") + b"\0\0"
    kind = 5 if entry.id == 0 else (1 if entry.data is None else 2)
    child = entry.children[0].id if entry.children else NOSTREAM
    size = mini_size if entry.id == 0 else len(entry.data or b"")
    start = entry.start if (entry.data is not None or entry.id == 0) else 0
    return (
        name.ljust(64, b"\0") + struct.pack("<HBB", len(name), kind, 1)
        + struct.pack("<III", NOSTREAM, entry.right, child) + bytes(16 + 4 + 16)
        + struct.pack("<IQ", start, size)
    )


@dataclass
class MsgAttachment:
    filename: str
    data: bytes
    mimetype: str = "application/octet-stream"


def _properties(values: dict[tuple[int, int], object], header: bytes) -> tuple[bytes, list[Entry]]:
    """The properties stream and the string/binary streams beside it."""
    stream, entries = header, []
    for (ident, kind), value in sorted(values.items()):
        if kind == PT_UNICODE:
            data = str(value).encode("utf-16-le")
        elif kind == PT_BINARY:
            data = bytes(value)  # type: ignore[call-overload]
        else:
            data = b""
        if kind in (PT_UNICODE, PT_BINARY):
            entries.append(Entry(f"__substg1.0_{ident:04X}{kind:04X}", data))
            # A string's size counts its terminator, which the stream does not hold.
            fixed = struct.pack("<II", len(data) + (2 if kind == PT_UNICODE else 0), 0)
        elif kind == PT_SYSTIME:
            assert isinstance(value, dt.datetime)
            ticks = int((value - dt.datetime(1601, 1, 1, tzinfo=dt.UTC)).total_seconds() * 1e7)
            fixed = struct.pack("<Q", ticks)
        else:
            fixed = struct.pack("<II", int(value), 0)  # type: ignore[call-overload]
        stream += struct.pack("<HHI", kind, ident, 6) + fixed  # flags: readable, writable
    return stream, entries


def msg_bytes(
    *,
    subject: str,
    sender_name: str,
    sender_email: str,
    body: str,
    html: str | None = None,
    sent: dt.datetime | None = None,
    attachments: list[MsgAttachment] | None = None,
) -> bytes:
    """An Outlook message as Outlook saves it with "Enregistrer sous… (.msg)"."""
    values: dict[tuple[int, int], object] = {
        (0x001A, PT_UNICODE): "IPM.Note",
        (0x0037, PT_UNICODE): subject,
        (0x0C1A, PT_UNICODE): sender_name,
        (0x0C1F, PT_UNICODE): sender_email,
        (0x0C1E, PT_UNICODE): "SMTP",
        (0x5D01, PT_UNICODE): sender_email,  # PR_SENDER_SMTP_ADDRESS
        (0x1000, PT_UNICODE): body,
        (0x0039, PT_SYSTIME): sent or dt.datetime(2026, 3, 9, 15, 0, tzinfo=dt.UTC),
    }
    if html is not None:
        values[(0x1013, PT_BINARY)] = html.encode("utf-8")
        values[(0x3FDE, PT_LONG)] = 65001  # PR_INTERNET_CPID: the HTML body is UTF-8
    files = attachments or []
    header = bytes(8) + struct.pack("<IIII", 0, len(files), 0, len(files)) + bytes(8)
    stream, children = _properties(values, header)
    root = Entry("Root Entry", None, [Entry("__properties_version1.0", stream), *children])
    root.children.append(Entry("__nameid_version1.0", None, [
        Entry("__substg1.0_00020102", b""), Entry("__substg1.0_00030102", b""),
        Entry("__substg1.0_00040102", b""),
    ]))
    for n, att in enumerate(files):
        stream, parts = _properties({
            (0x3707, PT_UNICODE): att.filename,
            (0x3704, PT_UNICODE): att.filename[:12],
            (0x3701, PT_BINARY): att.data,
            (0x3705, PT_LONG): 1,  # ATTACH_BY_VALUE
            (0x370E, PT_UNICODE): att.mimetype,
        }, bytes(8))
        root.children.append(
            Entry(f"__attach_version1.0_#{n:08X}", None,
                  [Entry("__properties_version1.0", stream), *parts]))
    return compound_file(root)
