"""The approval request as a browser-based mail client shows it: rendered by headless Chromium,
with its two buttons there, visible, and pointing at the request's own token address."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest
from helpers import SENDER, SHIPPED
from lxml import html

from intake.mails.samples import sample_context
from outbox.mails import MailFactory
from outbox.render import Renderer

TAG = "a42r1t0123456789abcdef0123"
GREEN, RED = (0x1E, 0x7D, 0x32), (0xB7, 0x1C, 0x1C)


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "headless Chromium is needed: apt-get install chromium (scripts/test does)"
    return found


def browse(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *args,
        page.as_uri(),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The HTML part of an approval request, as the outbox holds it."""
    factory = MailFactory(
        Renderer(SHIPPED / "templates" / "fr"), SENDER, lambda: dt.datetime(2026, 3, 12, 16, 6)
    )
    row = factory.make(
        "demande-validation",
        to=["chef.accueil.m12@paris.fr"],
        context=sample_context("demande-validation"),
        ref="3975-2026-00042",
        ticket_id=42,
        message_row=None,
        tag=TAG,
        html=True,
    )
    mail = message_from_bytes(row["raw"], policy=default)
    assert isinstance(mail, EmailMessage)
    part = mail.get_body(("html",))
    assert part is not None
    path = tmp_path_factory.mktemp("request") / "demande-validation.html"
    path.write_text(str(part.get_content()), encoding="utf-8")
    return path


def test_chromium_shows_the_two_buttons(page: Path, tmp_path: Path) -> None:
    dom = html.fromstring(browse(page, tmp_path / "profile", "--dump-dom").stdout)
    links = {a.get("id"): a for a in dom.iter("a")}
    assert set(links) == {"approuver", "refuser"}
    address = f"mailto:signalements-3975+{TAG}@paris.fr?"
    assert links["approuver"].text_content().strip() == "Approuver la fiche"
    assert links["refuser"].text_content().strip() == "Refuser la fiche"
    for link in links.values():
        assert link.get("href").startswith(address)
        assert "subject=RE%3A%20%5B3975-2026-00042%5D%20Validation%20requise" in link.get("href")


def test_the_buttons_are_drawn_in_their_colours(page: Path, tmp_path: Path) -> None:
    from matplotlib import image

    shot = tmp_path / "demande-validation.png"
    browse(page, tmp_path / "profile", f"--screenshot={shot}", "--window-size=900,1000")
    print(f"screenshot of the approval request: {shot}")
    pixels = (image.imread(shot)[:, :, :3] * 255).round().astype(int)

    def painted(colour: tuple[int, int, int]) -> int:
        return int((abs(pixels - colour).max(axis=2) <= 8).sum())

    # Each button is a filled box of at least 100 x 20 pixels.
    assert painted(GREEN) > 2000 and painted(RED) > 2000
