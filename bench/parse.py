"""Parse throughput per format, on one core: `python -m bench.parse [--iterations N]`.

Each format gets realistic fiches (the golden files' builders, with values varied per fiche so
nothing is cached), and `classify` runs on the raw email bytes, as the worker calls it. The
.doc, .xls and .rtf fiches are the files LibreOffice wrote in tests/files/ (no Python library
writes those formats), the same file in every email.
"""

from __future__ import annotations

import argparse
import html
import os
import shutil
import sys
import time
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "emails"), str(ROOT / "tests")]

import make_attachments as make  # noqa: E402 - the golden files' builders
from msgfile import msg_bytes  # noqa: E402 - the tests' Outlook .msg writer
from typed_fiches import mail_with  # noqa: E402 - the scans' mail

from parsers import classify  # noqa: E402
from parsers.context import ParseContext  # noqa: E402
from parsers.model import FicheResult  # noqa: E402
from rules.loader import load_rules  # noqa: E402

VARIANTS = 25


def rows(n: int) -> list[tuple[str, str]]:
    return [
        ("Service / mairie déclarant", f"Mairie du {5 + n % 16}e arrondissement"),
        ("Agent déclarant", f"Agent n° {n}"),
        ("Date de l'appel", f"{1 + n % 28:02d}/02/2026"),
        ("Heure de l'appel", f"{8 + n % 10}h{n % 60:02d}"),
        ("Type de dysfonctionnement", ("Erreur de transfert d'appel", "Autre")[n % 2]),
        ("Nom de l'agent 39 75", "Julien"),
        ("Objet de la demande de l'usager", "Inscription sur les listes électorales"),
        ("Description", f"Usager transféré à tort, appel n° {n}, rappelé ensuite par nos soins."),
    ]


def html_mail(n: int) -> bytes:
    cells = "".join(
        f"<tr><td><b>{html.escape(k)}</b></td><td>{html.escape(v)}</td></tr>" for k, v in rows(n)
    )
    msg = EmailMessage()
    msg["From"], msg["Subject"] = "Agent <agent@paris.fr>", "Fiche"
    msg["Date"] = "Thu, 05 Mar 2026 09:12:00 +0100"
    msg.set_content("Ce message est au format HTML.")
    msg.add_alternative(
        f"<html><body><p>Bonjour,</p><table>{cells}</table></body></html>", subtype="html"
    )
    return msg.as_bytes()


def attached(ext: str, build: Callable[[list[tuple[str, str]]], bytes]) -> Callable[[int], bytes]:
    return lambda n: make.email(f"bench-{n}", make.ATTACHED, [(f"fiche.{ext}", build(rows(n)))])


def text_fiche(n: int) -> str:
    return "Bonjour,\n\n" + "\n".join(f"{k} : {v}" for k, v in rows(n)) + "\n"


def file_mail(n: int, filename: str, data: bytes) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["Subject"] = "Agent <agent@paris.fr>", f"Fiche n° {n}"
    msg["Date"] = "Fri, 13 Mar 2026 09:12:00 +0100"  # after the office files' call date
    msg.set_content(make.ATTACHED)
    msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=filename)
    return msg.as_bytes()


def office_file(name: str) -> Callable[[int], bytes]:
    data = (ROOT / "tests" / "files" / name).read_bytes()
    return lambda n: file_mail(n, name, data)


def outlook(n: int) -> bytes:
    data = msg_bytes(subject="Fiche", sender_name="Agent", sender_email="agent@paris.fr",
                     body=text_fiche(n))
    return file_mail(n, "fiche.msg", data)


FORMATS: dict[str, Callable[[int], bytes]] = {
    "text": lambda n: make.email(f"bench-{n}", text_fiche(n), []),
    "html": html_mail,
    "docx": attached("docx", make.docx_table),
    "xlsx": attached("xlsx", lambda r: make.xlsx_bytes([list(x) for x in r])),
    "ods": attached("ods", lambda r: make.ods_bytes([list(x) for x in r])),
    "odt": attached("odt", lambda r: make.odt_bytes([list(x) for x in r], [])),
    "pdf": attached("pdf", lambda r: make.pdf_text([f"{k} : {v}" for k, v in r])),
    "csv": attached("csv", lambda r: make.csv_bytes([list(x) for x in r])),
    "doc": office_file("fiche-table.doc"),
    "xls": office_file("fiche-labels.xls"),
    "rtf": office_file("fiche-table.rtf"),
    "msg": outlook,
    "eml": lambda n: file_mail(n, "fiche.eml", make.email(f"inner-{n}", text_fiche(n), [])),
}


def measure(iterations: int) -> list[tuple[str, int, float, float]]:
    """(format, fiches, wall seconds, CPU seconds) for each format, `classify` on one core."""
    ctx = ParseContext(directory=load_rules(ROOT / "config" / "rules.yaml").directory)
    results = []
    for name, build in FORMATS.items():
        mails = [build(n) for n in range(VARIANTS)]
        assert isinstance(classify(mails[0], ctx), FicheResult), name  # warm-up and sanity
        start, cpu = time.perf_counter(), time.process_time()
        for i in range(iterations):
            classify(mails[i % VARIANTS], ctx)
        results.append((name, iterations, time.perf_counter() - start, time.process_time() - cpu))
    return results


def measure_ocr(iterations: int) -> tuple[int, float, float]:
    """(scans, wall seconds, CPU seconds with Tesseract's) over the golden scans and photos."""
    ctx = ParseContext(directory=load_rules(ROOT / "config" / "rules.yaml").directory)
    files = sorted((ROOT / "tests" / "files" / "scans").iterdir())
    mails = [mail_with(f.name, f.read_bytes()) for f in files]
    start, before = time.perf_counter(), os.times()
    for i in range(iterations):
        assert isinstance(classify(mails[i % len(mails)], ctx), FicheResult), files[i % len(files)]
    after = os.times()
    cpu = sum(after[:4]) - sum(before[:4])  # this process and its tesseract children
    return iterations, time.perf_counter() - start, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iterations", type=int, default=300, help="fiches per format")
    parser.add_argument("--scans", type=int, default=8, help="scans and photos read by OCR")
    args = parser.parse_args()
    # Wall time is what a user sees; CPU time is this process's own, fair on a shared machine.
    head = ("format", "fiches", "seconds", "fiches/s", "cpu s", "fiches/cpu s")
    print(f"{head[0]:<8}{head[1]:>8}{head[2]:>10}{head[3]:>10}{head[4]:>8}{head[5]:>14}")
    for name, n, elapsed, cpu in measure(args.iterations):
        print(f"{name:<8}{n:>8}{elapsed:>10.2f}{n / elapsed:>10.0f}{cpu:>8.2f}{n / cpu:>14.0f}")
    if args.scans and shutil.which("tesseract"):
        n, elapsed, cpu = measure_ocr(args.scans)
        print(f"{'ocr':<8}{n:>8}{elapsed:>10.2f}{n / elapsed:>10.2f}{cpu:>8.2f}{n / cpu:>14.2f}")


if __name__ == "__main__":
    main()
