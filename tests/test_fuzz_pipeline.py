"""Thousands of generated emails, well-formed or not, through the whole pipeline: stored, then
classified, routed and answered, or quarantined, and never a crash of the worker."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest
from helpers import write_config
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.config.settings import load_settings
from intake.runtime import build_runtime
from intake.sources.base import SourceMessage
from intake.worker.pipeline import process_message
from outbox.deliver import Courier
from outbox.senders import DirSender

LINES = [
    "Service / mairie déclarant : Mairie du 12e",
    "Date de l'appel : 12/03/2026",
    "Date de l'appel : 31/02/2026",
    "Heure de l'appel : 14h30",
    "Type de dysfonctionnement : [X] Erreur de transfert d'appel",
    "Description : L'usager a été mal orienté.\r\nBcc: victime@example.com",
    "Nom de l'agent 39 75 : Karim B.",
    "Courriel de l'agent déclarant : signalements-3975@paris.fr",
    "Objet de la demande de l'usager : =cmd|' /C calc'!A0",
]
HEADER_VALUES = st.one_of(
    st.sampled_from(
        [
            "Sophie <sophie.martin@paris.fr>",
            "=?utf-8?q?R=C3=A9ponse_automatique?=",
            "=?x-unknown?b?////?=",
            "RE: [3975-2026-00001] Validation requise",
            "<>",
            "MAILER-DAEMON@paris.fr",
            "auto-replied",
            "bulk",
            "a\x00b",
            "é" * 300,
            "<approval.a1r1t0123456789abcdef0123@paris.fr>",
        ]
    ),
    st.text(max_size=80),
)
HEADER_NAMES = st.sampled_from(
    [
        "From",
        "To",
        "Subject",
        "Date",
        "Message-ID",
        "In-Reply-To",
        "References",
        "Reply-To",
        "Auto-Submitted",
        "Precedence",
        "X-Autoreply",
        "Return-Path",
        "List-Id",
        "X-Intake-3975",
        "Content-Type",
        "Content-Transfer-Encoding",
        "Authentication-Results",
    ]
)
CONTENT_TYPES = st.sampled_from(
    [
        'text/plain; charset="utf-8"',
        "text/plain; charset=iso-8859-1",
        "text/plain; charset=bogus",
        "text/html",
        "multipart/mixed; boundary=XX",
        "multipart/report; report-type=delivery-status",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/pdf",
        "message/rfc822",
        "multipart/alternative",
    ]
)
ENCODINGS = st.sampled_from(["7bit", "8bit", "base64", "quoted-printable", "x-uuencode", ""])


@st.composite
def emails(draw: st.DrawFn) -> bytes:
    headers = draw(st.lists(st.tuples(HEADER_NAMES, HEADER_VALUES), max_size=12))
    lines = [f"{name}: {value}" for name, value in headers]
    if draw(st.booleans()):
        lines.append(f"Content-Type: {draw(CONTENT_TYPES)}")
        lines.append(f"Content-Transfer-Encoding: {draw(ENCODINGS)}")
    body_lines = draw(
        st.lists(st.one_of(st.sampled_from(LINES), st.text(max_size=120)), max_size=30)
    )
    if draw(st.integers(0, 20)) == 0:
        body_lines += ["x" * 50] * 10_000  # a 10,000-line body
    if draw(st.booleans()):
        body_lines = ["--XX", "Content-Type: text/plain", "", *body_lines, "--XX--"]
    text = "\r\n".join(lines) + "\r\n\r\n" + "\r\n".join(body_lines)
    charset = draw(st.sampled_from(["utf-8", "latin-1", "utf-16"]))
    return text.encode(charset, errors="replace") + draw(st.binary(max_size=64))


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("fuzz")
    config = write_config(folder, mailbox="maildir://inbox", outbox="dir://outbox")
    rt = build_runtime(load_settings(config))
    yield rt
    rt.close()


KINDS: Counter[str] = Counter()


@settings(
    max_examples=int(os.environ.get("INTAKE_FUZZ_EXAMPLES", "2000")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)
@given(raw=emails())
def test_no_generated_email_crashes_the_pipeline(runtime, raw: bytes) -> None:  # type: ignore[no-untyped-def]
    outcome = process_message(runtime, SourceMessage(f"fuzz:{len(KINDS)}", raw), "fuzz")
    KINDS[outcome.kind] += 1
    assert outcome.kind in {"fiche", "invalid", "ignored", "reply", "duplicate"}, outcome.error
    assert runtime.store.message(outcome.row)["raw"] == raw


def test_every_queued_mail_can_be_sent_and_no_header_was_injected(
    runtime,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    deliveries = Courier(
        runtime.store, DirSender(tmp_path), "signalements-3975@paris.fr", runtime.clock
    ).finish()
    assert all(d.error is None for d in deliveries)
    for mail in tmp_path.glob("*.eml"):
        head = mail.read_bytes().split(b"\r\n\r\n", 1)[0]
        assert b"\nBcc:" not in head
    with capsys.disabled():
        print(
            f"\nfuzz: {sum(KINDS.values())} generated emails through the pipeline: "
            f"{dict(KINDS)}; {len(deliveries)} mails written, 0 crashes"
        )
