"""Word 97-2003 (.doc) fiches: antiword's DocBook output, else LibreOffice's conversion.

antiword is a small C program that reads a .doc in milliseconds; its DocBook output keeps
tables as rows and cells (its text output wraps long cells over several lines). It refuses
some files (very short documents, some Word versions): LibreOffice headless then converts
the file to .docx, read like any docx. LibreOffice is large and takes seconds to start, so it
is the fallback, never the first reader. Both run without a shell, in a private folder, under
a time limit.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from lxml import etree

from parsers.attachments.docx import read_docx
from parsers.attachments.guard import ReaderMissing
from parsers.cells import Grid
from parsers.fold import clean_spaces

WORD_97 = "Word 97-2003 (.doc)"
ANTIWORD_SECONDS = 20
OFFICE_SECONDS = 60
#: DocBook from a hostile file: no DTD, no entities, no network.
_XML = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True
)


_TABLES = ("informaltable", "table")


def _text(node: etree._Element) -> str:
    return clean_spaces(" ".join(node.itertext()))


def _own_text(node: etree._Element) -> str:
    """A paragraph's text without the tables antiword nests in it (read as grids)."""
    parts = [node.text or ""]
    for child in node:
        if child.tag not in _TABLES:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return clean_spaces(" ".join(parts))


def docbook(xml: bytes) -> tuple[list[Grid], str]:
    """Tables to grids (one cell per <entry>), other paragraphs to lines of text."""
    root = etree.fromstring(xml, _XML)
    if root is None:
        raise ValueError("antiword wrote no document")
    grids: list[Grid] = []
    lines: list[str] = []
    for node in root.iter(*_TABLES, "para", "title"):
        if node.xpath("ancestor::informaltable|ancestor::table|ancestor::bookinfo"):
            continue  # a nested table is read as its outer cell's text
        if node.tag in _TABLES:
            grids.append([[_text(e) for e in row.iter("entry")] for row in node.iter("row")])
        else:
            lines.append(_own_text(node))
    return grids, "\n".join(lines)


def _antiword(path: Path) -> bytes | None:
    """DocBook XML, or None when antiword is missing or refuses the file."""
    program = shutil.which("antiword")
    if program is None:
        return None
    try:
        done = subprocess.run(
            [program, "-x", "db", "-m", "UTF-8.txt", str(path)],
            capture_output=True, timeout=ANTIWORD_SECONDS, check=False,
        )
    except subprocess.TimeoutExpired:
        return None
    return done.stdout if done.returncode == 0 and done.stdout.strip() else None


def _office_docx(path: Path) -> Path | None:
    """`path` converted by LibreOffice headless to .docx, None when LibreOffice is not
    installed; raises when it fails. A private profile: a running office is not disturbed and
    never locks the conversion."""
    program = shutil.which("soffice") or shutil.which("libreoffice")
    if program is None:
        return None
    folder = path.parent
    # soffice is a script starting soffice.bin: its own session, so that a file that hangs
    # the office is ended whole, not just the script.
    office = subprocess.Popen(
        [program, "--headless", "--norestore", "--nolockcheck", "--nologo",
         f"-env:UserInstallation={(folder / 'profile').as_uri()}",
         "--convert-to", "docx", "--outdir", str(folder / "out"), str(path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        if office.wait(timeout=OFFICE_SECONDS) != 0:
            raise ValueError("LibreOffice could not convert the file")
    finally:
        if office.poll() is None:
            os.killpg(office.pid, signal.SIGKILL)
            office.wait()
    converted = folder / "out" / f"{path.stem}.docx"
    if not converted.is_file():
        raise ValueError("LibreOffice wrote nothing")
    return converted


def read_doc(data: bytes) -> tuple[list[Grid], str]:
    with tempfile.TemporaryDirectory(prefix="intake-doc-") as tmp:
        path = Path(tmp) / "fiche.doc"
        path.write_bytes(data)
        xml = _antiword(path)
        if xml is not None:
            return docbook(xml)
        converted = _office_docx(path)
        if converted is None:
            if shutil.which("antiword"):
                raise ValueError("antiword refused the file and LibreOffice is not installed")
            raise ReaderMissing(WORD_97)
        return read_docx(converted.read_bytes())
