"""Hostile or broken attachments give a clear French answer, in bounded memory, never a crash."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
import zlib
from email.message import EmailMessage
from pathlib import Path

import pytest
from helpers import FICHE_TEXT

from parsers import classify
from parsers.context import ParseContext
from parsers.form import Limits, default_form
from parsers.model import FicheResult, InvalidResult
from rules.loader import load_rules

ROOT = Path(__file__).resolve().parent.parent
CTX = ParseContext(directory=load_rules(ROOT / "config" / "rules.yaml").directory)
GIGABYTE = 1 << 30


def mail(filename: str, data: bytes, body: str = "Bonjour, la fiche est jointe.") -> bytes:
    msg = EmailMessage()
    msg["From"] = "Agent <agent@paris.fr>"
    msg["Subject"] = "Fiche"
    msg["Date"] = "Fri, 13 Mar 2026 09:00:00 +0100"
    msg.set_content(body)
    msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=filename)
    return msg.as_bytes()


def _stored_deflate(name: str, size: int) -> bytes:
    """A zip with one deflated member of `size` zero bytes, written by hand: zipfile at level 9
    takes a minute for a gigabyte, but a fully flushed deflate chunk can be repeated."""
    block = bytes(1 << 22)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    count = size // len(block)
    stream = chunk * count + packer.flush()
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    encoded = name.encode()
    fields = struct.pack("<HHHHHIII", 20, 0, 8, 0, 0, crc, len(stream), size)
    local = b"PK\x03\x04" + fields + struct.pack("<HH", len(encoded), 0) + encoded
    central = (b"PK\x01\x02" + struct.pack("<H", 20) + fields
               + struct.pack("<HHHHHII", len(encoded), 0, 0, 0, 0, 0, 0) + encoded)
    end = b"PK\x05\x06" + struct.pack(
        "<HHHHIIH", 0, 0, 1, 1, len(central), len(local) + len(stream), 0)
    return local + stream + central + end


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """A .docx-shaped zip whose document.xml inflates to 1 GB of zeros (about 1 MB packed)."""
    bomb = _stored_deflate("word/document.xml", GIGABYTE)
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive, archive.open("word/document.xml") as f:
        assert f.read(1 << 20) == bytes(1 << 20)  # a real zip, readable as such
    return bomb


@pytest.mark.parametrize("name", ["fiche.docx", "fiche.xlsx", "fiche.ods", "fiche.odt"])
def test_zip_bomb_is_refused_in_bounded_memory(zip_bomb: bytes, name: str) -> None:
    tracemalloc.start()
    try:
        result = classify(mail(name, zip_bomb), CTX)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(result, InvalidResult)
    (error,) = result.errors
    assert name in error.message and "décompressée" in error.message
    assert len(zip_bomb) < 2 * 1024 * 1024  # under the attachment limit: inflation is the test
    assert peak < 100 * 1024 * 1024  # the bomb is never inflated in memory


def test_zip_that_lies_about_its_sizes_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", bytes(60 << 20))
    data = bytearray(out.getvalue())
    # Declare 100 bytes in the local and central headers: the real stream is 60 MB.
    real = (60 << 20).to_bytes(4, "little")
    for at in range(len(data) - 4):
        if data[at : at + 4] == real:
            data[at : at + 4] = (100).to_bytes(4, "little")
    result = classify(mail("fiche.docx", bytes(data)), CTX)
    assert isinstance(result, InvalidResult)
    assert "fiche.docx" in result.errors[0].message


def test_attachment_above_the_configured_size() -> None:
    form = default_form().model_copy(update={"limits": Limits(max_attachment_mb=0.01)})
    ctx = ParseContext(directory=CTX.directory, form=form)
    result = classify(mail("fiche.pdf", b"%PDF-1.4\n" + bytes(20_000)), ctx)
    assert isinstance(result, InvalidResult)
    assert "au-delà de la limite" in result.errors[0].message


def test_unreadable_attachment_beside_a_fiche_in_the_body_is_a_warning() -> None:
    body = FICHE_TEXT.format(service="Mairie du 12e", description="Mauvais transfert.")
    protected = (ROOT / "tests" / "files" / "fiche-protected.xlsx").read_bytes()
    result = classify(mail("fiche.xlsx", protected, body), CTX)
    assert isinstance(result, FicheResult)
    assert [w.field for w in result.warnings] == [""]
    assert "mot de passe" in result.warnings[0].message


@pytest.mark.parametrize(
    "name", ["fiche.docx", "fiche.xlsx", "fiche.ods", "fiche.odt", "fiche.pdf", "fiche.csv",
             "winmail.dat"],
)
@pytest.mark.parametrize(
    "data", [b"", b"PK\x03\x04garbage", b"%PDF-1.7\n1 0 obj << /Type /Catalog", bytes(range(256))],
    ids=["empty", "broken-zip", "broken-pdf", "noise"],
)
def test_damaged_files_give_a_clean_answer(name: str, data: bytes) -> None:
    result = classify(mail(name, data), CTX)
    assert isinstance(result, InvalidResult)
    assert all(e.message for e in result.errors)
    result.model_dump(mode="json")
