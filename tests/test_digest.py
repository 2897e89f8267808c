"""The weekly digest, rendered and delivered to the real SMTP server with its inline chart."""

from __future__ import annotations

from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner
from harness import Harness
from helpers import FICHE_TEXT, fiche_email
from servers import MailUser, RecordingSMTP

from intake.cli.main import main
from intake.reports.digest import previous_week, weekly_digest
from outbox.compose import LOOP_HEADER

WRONG_INFO = FICHE_TEXT.format(
    service="Mairie du 18e", description="Mauvaise information."
).replace(
    "Erreur de transfert d'appel",
    "Information erronée\nInformation erronée communiquée : <b>Fermé</b> le samedi & dimanche",
)


@pytest.fixture
def h(tmp_path: Path, mailbox_user: MailUser, smtp_server: RecordingSMTP) -> Iterator[Harness]:
    harness = Harness(tmp_path, mailbox_user, smtp_server)
    yield harness
    harness.close()


def parts(mail: EmailMessage) -> dict[str, EmailMessage]:
    return {part.get_content_type(): part for part in mail.walk()}  # type: ignore[misc]


def test_digest_is_delivered_with_its_chart_inline(h: Harness) -> None:
    h.send(fiche_email())
    h.send(fiche_email(body=WRONG_INFO))
    h.new_mails()
    h.advance(days=7)  # the Monday after: the digest covers the week of the fiches
    assert previous_week(h.now) == "2026-W11"
    weekly_digest(h.rt)
    weekly_digest(h.rt)  # once per week, however often the job runs
    h.run()
    # (reminders and escalations of the waiting fiches went out too)
    (digest,) = [m for m in h.new_mails() if "digest-hebdo" in str(m["Message-ID"])]

    assert str(digest["To"]) == "responsables-3975@paris.fr"
    assert "2026-W11" in str(digest["Subject"]) and "[" not in str(digest["Subject"])
    assert digest["Auto-Submitted"] == "auto-generated" and digest[LOOP_HEADER]
    assert digest.get_content_type() == "multipart/alternative"
    found = parts(digest)
    assert set(found) >= {"text/plain", "multipart/related", "text/html", "image/png"}
    image = found["image/png"]
    assert image.get_content().startswith(b"\x89PNG")
    cid = str(image["Content-ID"]).strip("<>")
    html = found["text/html"].get_content()
    assert f'src="cid:{cid}"' in html
    # What agents wrote is escaped in the HTML part (autoescape on).
    assert "&lt;b&gt;Fermé&lt;/b&gt; le samedi &amp; dimanche" in html and "<b>Fermé" not in html
    text = found["text/plain"].get_content()
    assert "Mairie du 12e arrondissement -> Mairie du 11e arrondissement : 1" in text
    assert "<b>Fermé</b> le samedi" in text
    # Figures, not people.
    for part in (text, html):
        assert "Karim" not in part and "Sophie" not in part
    assert h.rt.store.count("events", "kind = 'digest_queued'") == 1


def test_digest_command_previews_and_writes_the_chart(h: Harness, tmp_path: Path) -> None:
    h.send(fiche_email(body=WRONG_INFO))
    chart = tmp_path / "chart.png"
    config = tmp_path / "intake.yaml"
    result = CliRunner().invoke(
        main, ["--config", str(config), "digest", "--week", "2026-W11", "--chart", str(chart)]
    )
    assert result.exit_code == 0, result.output
    assert "Subject: Signalements 39 75 : bilan de la semaine 2026-W11" in result.output
    assert "samedi" in result.output
    assert chart.read_bytes().startswith(b"\x89PNG")
    bad = CliRunner().invoke(main, ["--config", str(config), "digest", "--week", "11"])
    assert bad.exit_code == 2 and "YYYY-Www" in bad.output
