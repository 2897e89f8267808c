"""Parsing in a second process: same results as in the worker, and nothing lost or left
behind when that process or the worker dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from helpers import fiche_email, shipped_parse_context

from intake.parse_process import Classifier
from parsers import classify

RAWS = [
    fiche_email(description=f"Transfert numéro {n} vers le mauvais accueil.") for n in range(5)
] + [b"", b"From: x@paris.fr\r\nSubject: bonjour\r\n\r\nrien\r\n"]


def test_the_parse_process_gives_what_the_worker_would() -> None:
    context = shipped_parse_context()
    classifier = Classifier(1)
    try:
        results = classifier.start(RAWS, context).results()
    finally:
        classifier.close()
    assert results == [classify(raw, context) for raw in RAWS]
    assert [r.kind for r in results][:5] == ["fiche"] * 5


def test_a_dead_parse_process_costs_nothing_but_time() -> None:
    context = shipped_parse_context()
    classifier = Classifier(1)
    try:
        classifier.start(RAWS[:1], context).results()  # the child is up
        (child,) = classifier._pool._processes.values()  # type: ignore[union-attr]
        pending = classifier.start(RAWS, context)
        os.kill(child.pid, signal.SIGKILL)
        assert [r.kind for r in pending.results()][:5] == ["fiche"] * 5  # parsed in the worker
        again = classifier.start(RAWS, context).results()  # and a new child next time
        assert [r.kind for r in again][:5] == ["fiche"] * 5
    finally:
        classifier.close()


def test_the_parse_process_dies_with_the_worker(tmp_path: Path) -> None:
    script = tmp_path / "worker.py"
    script.write_text(
        "import sys, time\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from helpers import fiche_email, shipped_parse_context\n"
        "from intake.parse_process import Classifier\n"
        "c = Classifier(1)\n"
        "c.start([fiche_email()], shipped_parse_context()).results()\n"
        "(child,) = c._pool._processes.values()\n"
        "print(child.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    worker = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    assert worker.stdout is not None
    child = int(worker.stdout.readline())
    worker.kill()
    worker.wait()
    deadline = time.monotonic() + 10
    while _alive(child):
        assert time.monotonic() < deadline, "the parse process outlived the worker"
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has exited; only its parent's wait is missing
