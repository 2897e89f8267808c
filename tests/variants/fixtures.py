"""Writes tests/office/: golden attachments made by LibreOffice, run by
scripts/make-office-fixtures (never by the tests: CI has no office suite).

Sources are generated fiches (fixed seeds) laid out the ways of variants.office and
variants.html, and the blank fiche of `intake form` filled in as an agent does; LibreOffice
opens each and saves it in every format it would be sent in (docx, odt, doc, rtf, pdf for
Writer; xlsx, ods, xls, pdf for Calc). A Writer PDF is also rendered to an image, as a copier
scan (image-only PDF) and a phone photo (JPEG). Beside each file, FILE.expected.json holds
the fiche it means and the email it travels in. Seeds are fixed: a new run writes the same
fiches (LibreOffice stamps its own dates and ids inside the files).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import tempfile
from email.utils import format_datetime, formataddr
from pathlib import Path

from intake.operations.blank_form import blank_fiche
from parsers.form import default_form
from tests.formfill import FILLERS
from tests.helpers import shipped_parse_context

from . import html, office
from .fiche import Fiche, make_fiche
from .golden import OFFICE
from .wording import KNOWN_CLASSES

#: LibreOffice's filter per target format.
WRITER = {"docx": "docx:MS Word 2007 XML", "odt": "odt", "doc": "doc:MS Word 97",
          "rtf": "rtf:Rich Text Format", "pdf": "pdf:writer_pdf_Export"}
CALC = {"xlsx": "xlsx:Calc MS Excel 2007 XML", "ods": "ods", "xls": "xls:MS Excel 97",
        "pdf": "pdf:calc_pdf_Export"}
#: name -> (writer of the source, its extension, the LibreOffice targets)
SOURCES = {
    "writer-2col": (office.docx_two_columns, "docx", WRITER),
    "writer-4col": (office.docx_four_columns, "docx", WRITER),
    "writer-section-column": (office.docx_section_column, "docx", WRITER),
    "writer-labels-above": (office.docx_labels_above, "docx", WRITER),
    "writer-paragraphs": (office.odt_paragraphs, "odt", WRITER),
    "writer-from-html": (lambda rng, f: _html_bytes(rng, f), "html", WRITER),
    "calc-rows": (office.xlsx_rows, "xlsx", CALC),
    "calc-sections": (office.xlsx_sections, "xlsx", CALC),
    "calc-ods-rows": (office.ods_rows, "ods", CALC),
}
BLANK_FORMS = {"form-docx": ("docx", WRITER), "form-odt": ("odt", WRITER),
               "form-xlsx": ("xlsx", CALC)}
SCANNED = "writer-2col"


def _html_bytes(rng: random.Random, fiche: Fiche) -> tuple[bytes, list[str]]:
    page, classes = html.two_columns(rng, fiche)
    return page.encode("utf-8"), classes


def _fiche(name: str) -> tuple[random.Random, Fiche]:
    """The fiche of one source: labels from the classes form.yaml's matching was built for,
    so a failure tells about the format and the layout, not a new wording."""
    ctx = shipped_parse_context()
    for attempt in range(100):
        rng = random.Random(f"office:{name}:{attempt}")
        fiche = make_fiche(rng, default_form(), ctx.directory, KNOWN_CLASSES)
        if all(line.field != "call_datetime" for line in fiche.lines):
            return rng, fiche
    raise RuntimeError(name)


def _soffice(profile: Path, source: Path, target: str, outdir: Path) -> Path:
    """LibreOffice opens `source` and saves it with the filter `target` in `outdir`."""
    outdir.mkdir(parents=True, exist_ok=True)
    command = ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
               "--convert-to", target, "--outdir", str(outdir), str(source)]
    if source.suffix == ".html":
        command[3:3] = ["--infilter=HTML (StarWriter)"]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    made = outdir / f"{source.stem}.{target.split(':')[0]}"
    if not made.exists():
        raise RuntimeError(f"LibreOffice wrote nothing for {source.name} -> {target}")
    return made


def _expect(path: Path, fiche: Fiche, fmt: str, made_from: str) -> None:
    spec = {
        "format": fmt,
        "made_from": made_from,
        "sender": formataddr((fiche.sender_name, fiche.sender_email)),
        "sent": format_datetime(fiche.sent),
        "fiche": fiche.expected,
    }
    path.with_name(path.name + ".expected.json").write_text(
        json.dumps(spec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _typed(fiche: Fiche) -> dict[str, str]:
    typed = {line.field: "\n".join(line.value) for line in fiche.lines if line.value}
    typed["category"] = str(fiche.expected["category"])
    return typed


def _scans(pdf: Path, fiche: Fiche, out: Path, work: Path) -> None:
    """The first page printed and scanned (a grey, slightly skewed image in a PDF) and
    photographed (a JPEG)."""
    from PIL import Image, ImageFilter

    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", "-singlefile", str(pdf),
                    str(work / "page")], check=True)
    page = Image.open(work / "page.png").convert("L")
    scan = page.rotate(0.6, expand=True, fillcolor=235).point(lambda v: max(v, 25) - 10)
    scan = scan.filter(ImageFilter.GaussianBlur(0.5))
    scan.save(out / "scan-writer-2col.pdf", "PDF", resolution=150.0)
    _expect(out / "scan-writer-2col.pdf", fiche, "scan-pdf", f"{pdf.name}, rendered at 150 dpi")
    photo = scan.resize((scan.width * 2 // 3, scan.height * 2 // 3)).rotate(-1.2, fillcolor=200)
    photo.save(out / "photo-writer-2col.jpg", "JPEG", quality=70)
    _expect(out / "photo-writer-2col.jpg", fiche, "photo-jpg", f"{pdf.name}, photographed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=OFFICE)
    args = parser.parse_args()
    if shutil.which("soffice") is None:
        raise SystemExit("LibreOffice (soffice) is needed to write these files")
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        old.unlink()
    form = default_form()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        profile = work / "profile"
        jobs: list[tuple[str, Path, dict[str, str], Fiche, str]] = []
        for name, (write, ext, targets) in SOURCES.items():
            rng, fiche = _fiche(name)
            data, _ = write(rng, fiche)
            source = work / "src" / f"{name}.{ext}"
            source.parent.mkdir(exist_ok=True)
            source.write_bytes(data)
            jobs.append((name, source, targets, fiche, f"a {ext} fiche, opened and saved"))
        for name, (fmt, targets) in BLANK_FORMS.items():
            _, fiche = _fiche(name)
            filled = FILLERS[fmt](blank_fiche(form, fmt), form, _typed(fiche))
            source = work / "src" / f"{name}.{fmt}"
            source.write_bytes(filled)
            jobs.append((name, source, targets, fiche, f"the blank {fmt} fiche filled in"))
        for name, source, targets, fiche, how in jobs:
            for ext, target in targets.items():
                made = _soffice(profile, source, target, work / ext)
                final = out / f"{name}.{ext}"
                shutil.copyfile(made, final)
                _expect(final, fiche, ext, f"LibreOffice: {how} as {ext}")
                print(final.relative_to(out.parent.parent), final.stat().st_size)
        _scans(out / f"{SCANNED}.pdf", _fiche(SCANNED)[1], out, work)


if __name__ == "__main__":
    main()
