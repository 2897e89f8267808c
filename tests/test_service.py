"""Running as a service: SIGHUP reloads rules and templates, SIGTERM stops cleanly, and the
worker records its polls for `intake status`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import fiche_email, write_config

from intake.config.settings import load_settings
from intake.runtime import build_runtime
from intake.sources import open_source
from intake.sources.maildir import deliver_to_maildir
from intake.store.database import Store
from intake.worker.loop import Worker
from outbox.senders import open_sender


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTAKE_SECRET", "s" * 32)


def local_worker(tmp_path: Path) -> Path:
    config = write_config(tmp_path, mailbox="maildir://in", outbox="dir://out")
    templates = tmp_path / "templates"
    templates.mkdir()
    for template in Path(load_settings(config).templates).glob("*.j2"):
        (templates / template.name).write_bytes(template.read_bytes())
    text = config.read_text().replace(str(load_settings(config).templates), str(templates))
    config.write_text(text)
    (tmp_path / "in").mkdir()
    return config


def test_sighup_reloads_the_templates_unless_one_is_broken(tmp_path: Path) -> None:
    config = local_worker(tmp_path)
    settings = load_settings(config)
    rt = build_runtime(settings)
    worker = Worker(rt, open_source(settings), open_sender(settings.outbox, settings.base_dir))
    try:
        first = rt.mails.renderer
        worker._hangup(signal.SIGHUP, None)
        worker.poll()
        assert rt.mails.renderer is not first
        kept = rt.mails.renderer
        broken = tmp_path / "templates" / "transmission.txt.j2"
        broken.write_text(broken.read_text().replace("{% endblock %}", "{% endblok %}", 1))
        worker._hangup(signal.SIGHUP, None)
        worker.poll()
        assert rt.mails.renderer is kept
    finally:
        rt.close()


def test_the_service_reloads_on_sighup_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    config = local_worker(tmp_path)
    deliver_to_maildir(tmp_path / "in", fiche_email(), "1.a.host")
    worker = subprocess.Popen(
        [sys.executable, "-m", "intake", "--config", str(config), "--log-format", "json", "run"],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )
    try:
        deadline = time.monotonic() + 20
        while not list((tmp_path / "in" / ".Traités" / "cur").glob("*")):
            assert time.monotonic() < deadline, "the worker did not process the fiche"
            time.sleep(0.1)
        worker.send_signal(signal.SIGHUP)
        time.sleep(1.5)  # poll_seconds is 1: the reload happens at the next poll
        worker.send_signal(signal.SIGTERM)
        _, stderr = worker.communicate(timeout=20)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, stderr
    lines = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    messages = [line["message"] for line in lines]
    assert any("reloaded" in m for m in messages), messages
    assert messages[-1] == "stopped"
    (fiche_line,) = [line for line in lines if line.get("ref", "").startswith("3975-")][:1]
    assert fiche_line["message_id"].startswith("<")
    store = Store(tmp_path / "intake.db")
    state = {row["key"]: row["value"] for row in store.db.table("worker_state").rows}
    assert state["stopped_at"] and state["last_poll_at"]
