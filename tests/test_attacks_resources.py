"""Hostile spreadsheets cost little: each is answered by `intake parse`, in a fresh process, in
under 5 s and 300 MB of peak memory, with a French answer naming the file.

The time and peak RSS of each are printed. The peak is the child's own high-water mark,
read by a small Python wrapper from wait4 (its ru_maxrss counts the child from its exec on,
plus the wrapper's own few megabytes from before the exec).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import write_config
from hostile import HOSTILE, as_mail

MAX_SECONDS = 5.0
MAX_MB = 300

#: Runs `intake parse`, then prints its wall time and peak RSS (MB) on the last stderr line.
_MEASURE = """
import os, subprocess, sys, time
start = time.monotonic()
child = subprocess.Popen(sys.argv[1:])
_, status, usage = os.wait4(child.pid, 0)
code = os.waitstatus_to_exitcode(status)
sys.stderr.write(f"\\n{time.monotonic() - start:.2f} {usage.ru_maxrss / 1024:.0f} {code}\\n")
"""

FIGURES: list[tuple[str, int, float, float]] = []


def parse_measured(config: Path, eml: Path) -> tuple[dict[str, object], float, float, int]:
    command = [sys.executable, "-m", "intake", "--config", str(config), "parse", str(eml)]
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command, "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    seconds, mb, code = done.stderr.strip().splitlines()[-1].split()
    return json.loads(done.stdout), float(seconds), float(mb), int(code)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_spreadsheet_is_answered_quickly_in_little_memory(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build, said = HOSTILE[name]
    data = build()
    eml = tmp_path / "hostile.eml"
    eml.write_bytes(data)
    config = write_config(tmp_path, mailbox="maildir://inbox", outbox="dir://outbox")
    result, seconds, mb, code = parse_measured(config, eml)
    with capsys.disabled():
        print(f"\n  {name}: {len(data) // 1024} KB, {seconds:.2f} s, peak {mb:.0f} MB")
    assert code == 1 and result["kind"] == "invalid"
    messages = [e["message"] for e in result["errors"]]  # type: ignore[attr-defined]
    assert any(said in m for m in messages), messages
    assert seconds < MAX_SECONDS and mb < MAX_MB


def test_intake_parse_refuses_a_message_over_the_workers_size_limit(tmp_path: Path) -> None:
    eml = tmp_path / "big.eml"
    eml.write_bytes(as_mail("fiche.csv", b"Description;" + b"x" * (2 * 1024 * 1024)))
    config = write_config(
        tmp_path, mailbox="maildir://inbox", outbox="dir://outbox", max_message_mb=1
    )
    result, seconds, mb, code = parse_measured(config, eml)
    assert code == 1
    (error,) = result["errors"]  # type: ignore[misc]
    assert "au-delà de la limite de 1 Mo" in error["message"]
