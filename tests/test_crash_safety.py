"""Kill the worker with SIGKILL at every step over a backlog of fiches, restart it, and count:
no fiche lost, no ticket duplicated, no second acknowledgement. Real Dovecot, real SMTP."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import time
from collections import Counter
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from helpers import fiche_email, write_config
from servers import MailUser, RecordingSMTP

from intake.store.database import Store
from outbox.faults import POINTS

FICHES = int(os.environ.get("INTAKE_FAULT_FICHES", "1000"))
REF = re.compile(r"\[(3975-\d{4}-\d{5})\]")


def worker(config: Path, password: str, crash_at: str | None) -> subprocess.Popen[bytes]:
    env = {**os.environ, "INTAKE_IMAP_PASSWORD": password}
    env.pop("INTAKE_CRASH_AT", None)
    if crash_at:
        env["INTAKE_CRASH_AT"] = crash_at
    with (config.parent / "worker.log").open("ab") as log:  # a file: a pipe could fill and block
        return subprocess.Popen(
            [sys.executable, "-m", "intake", "--config", str(config), "run", "--once"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )


def test_killed_at_every_step_the_work_is_done_exactly_once(
    tmp_path: Path,
    mailbox_user: MailUser,
    smtp_server: RecordingSMTP,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = write_config(
        tmp_path,
        mailbox=f"imap://{mailbox_user.user}@{mailbox_user.host}:{mailbox_user.imap_port}/INBOX",
        outbox=f"smtp://{smtp_server.host}:{smtp_server.port}",
        max_mails_per_recipient_per_day=100000,
        max_mails_per_sender_per_day=100000,
    )
    rng = random.Random(3975)
    kills: Counter[str] = Counter()
    # Every named point several times, at varying depths; fiches keep arriving between
    # restarts so that each run has messages to take in and mails to hand over.
    runs = 4 * len(POINTS) + 10
    # A depth within the fiches each run gets, so that every point is reached at every size.
    depth = max(1, FICHES // runs // 2)
    plan: list[str | None] = [
        f"{point}:{rng.randint(1, depth)}" for _ in range(4) for point in POINTS
    ]
    plan += [None] * 10  # and SIGKILL from outside at random moments
    batches = [range(i, FICHES, len(plan)) for i in range(len(plan))]
    with mailbox_user.connect() as box:
        for crash_at, batch in zip(plan, batches, strict=True):
            for n in batch:
                box.append(fiche_email(description=f"Fiche d'essai numéro {n:05d}."), "INBOX")
            proc = worker(config, mailbox_user.password, crash_at)
            if crash_at is None:
                time.sleep(rng.uniform(0.3, 1.5))
                if proc.poll() is None:
                    proc.kill()
                    kills["random"] += 1
            proc.wait(timeout=300)
            if crash_at and proc.returncode == -9:
                kills[crash_at.split(":")[0]] += 1
    last = worker(config, mailbox_user.password, None)
    assert last.wait(timeout=600) == 0, (config.parent / "worker.log").read_text()[-2000:]

    store = Store(config.parent / "intake.db")
    tickets = store.tickets()
    numbers = Counter(
        m.group(1) for t in tickets if (m := re.search(r"numéro (\d{5})", t.description or ""))
    )
    lost = FICHES - len(numbers)
    duplicated = sum(c - 1 for c in numbers.values())

    acks: dict[str, set[str]] = {}
    deliveries: Counter[str] = Counter()
    for _, _, raw in smtp_server.messages:
        mail = message_from_bytes(raw, policy=default)
        deliveries[str(mail["Message-ID"])] += 1
        match = REF.search(str(mail["Subject"]))
        if match and "Accusé de réception" in str(mail["Subject"]):
            acks.setdefault(match.group(1), set()).add(str(mail["Message-ID"]))
    second_acks = sum(len(ids) - 1 for ids in acks.values())
    missing_acks = len(tickets) - len(acks)
    redelivered = sum(c - 1 for c in deliveries.values())

    with capsys.disabled():
        print(
            f"\ncrash safety: {FICHES} fiches, {sum(kills.values())} kills "
            f"({', '.join(f'{k} {v}' for k, v in sorted(kills.items()))}); "
            f"lost {lost}, duplicated tickets {duplicated}, second acknowledgements "
            f"{second_acks}, missing acknowledgements {missing_acks}, same mail handed over "
            f"twice {redelivered}, unsent {store.count('outbox', 'status != ?', ['sent'])}"
        )
    assert set(kills) >= set(POINTS) | {"random"}, kills
    assert (lost, duplicated, second_acks, missing_acks) == (0, 0, 0, 0)
    assert store.count("outbox", "status != ?", ["sent"]) == 0
    assert mailbox_user.messages("INBOX") == []
    # Only a death between the SMTP server's "250 OK" and our commit hands a mail over twice,
    # with the same Message-ID; the after_smtp point does exactly that, once per kill.
    assert redelivered <= kills["after_smtp"] + kills["random"]
