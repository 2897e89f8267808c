"""One email cannot make us mail thousands (real Dovecot and SMTP).

An acknowledgement goes to the mail's sender (or a reporter the directory knows), never to an
address written in a fiche; a message yields at most `max_fiches_per_message` fiches, beyond
which it is answered once; one sender's fiches cause at most `max_mails_per_sender_per_day`
mails a day, the rest waiting for the next day.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from harness import Harness
from helpers import fiche_email
from hostile import as_mail
from openpyxl import Workbook
from servers import MailUser, RecordingSMTP

SENDER = "sophie.martin@paris.fr"
CHEF = "chef.accueil.m12@paris.fr"


def table(rows: int) -> bytes:
    """A table of fiches, one a row, each naming its own reporter address."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(
        [
            "Service / mairie déclarant",
            "Agent déclarant",
            "Courriel de l'agent déclarant",
            "Date de l'appel",
            "Type de dysfonctionnement",
            "Description",
        ]
    )
    for n in range(rows):
        sheet.append(
            [
                "Mairie du 12e",
                f"Agent {n}",
                f"victime{n}@exemple.org",
                "12/03/2026",
                "Erreur de transfert d'appel",
                f"Transfert vers le mauvais service, appel numéro {n}",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table_mail(rows: int) -> bytes:
    return as_mail("fiches.xlsx", table(rows), sender=f"Sophie Martin <{SENDER}>")


def envelopes(h: Harness) -> list[str]:
    return [r for _, rcpts, _ in h.smtp.messages for r in rcpts]


@pytest.fixture
def h(tmp_path: Path, mailbox_user: MailUser, smtp_server: RecordingSMTP) -> Iterator[Harness]:
    harness = Harness(tmp_path, mailbox_user, smtp_server, max_fiches_per_message=3)
    yield harness
    harness.close()


@pytest.mark.parametrize(
    ("rows", "said"),
    [
        # The attack as found: 5,000 rows, each its own reporter address.
        (5000, "cellules remplies, au-delà des 20\u00a0000"),
        (200, "Votre message contient 200 fiches de signalement (dans le tableau joint)"),
        (4, "au plus 3 sont enregistrées par message"),
    ],
)
def test_a_table_beyond_the_bound_is_answered_once(h: Harness, rows: int, said: str) -> None:
    start = time.monotonic()
    (outcome,) = h.send(table_mail(rows)).outcomes
    took = time.monotonic() - start
    assert outcome.kind == "invalid" and len(outcome.refs) == 1
    assert h.rt.store.count("tickets") == 1 and h.ticket(outcome.refs[0]).status == "invalid"
    (answer,) = h.new_mails()
    assert envelopes(h) == [SENDER] and said in answer.get_content()
    assert took < 5, f"{took:.1f} s to answer a table of {rows} rows"


def test_fiches_of_a_table_are_acknowledged_to_the_sender_only(h: Harness) -> None:
    refs = h.send(table_mail(3)).outcomes[0].refs
    assert len(refs) == 3
    mails = h.new_mails()
    acks = [m for m in mails if "Accusé" in str(m["Subject"])]
    assert [str(m["To"]) for m in acks] == [SENDER] * 3
    assert not [a for a in envelopes(h) if a.endswith("@exemple.org")]
    assert sorted(set(envelopes(h))) == [CHEF, SENDER]
    # The sender is told which written address got nothing, and why.
    assert "« victime0@exemple.org »" in acks[0].get_content()
    assert "ne figure pas dans" in acks[0].get_content()
    for ref in refs:
        assert h.ticket(ref).reporter_email == SENDER
    assert not [a for a in h.rt.store.mails(None) for r in a.recipients if "exemple" in r]


def test_a_sender_causes_at_most_the_daily_number_of_mails(
    tmp_path: Path, mailbox_user: MailUser, smtp_server: RecordingSMTP
) -> None:
    h = Harness(tmp_path, mailbox_user, smtp_server, max_mails_per_sender_per_day=5)
    try:
        for n in range(4):  # 4 fiches: 4 acknowledgements and 4 approval requests
            h.user.append(fiche_email(description=f"Fiche numéro {n}"))
        h.user.append(
            fiche_email(sender="Paul Durand <paul.durand@paris.fr>", description="Une autre")
        )
        h.run()
        first_day = envelopes(h)
        from_sophie = [a for a in first_day if a != "paul.durand@paris.fr"]
        # Sophie's fiches: 5 mails; Paul's: his acknowledgement and its request, unaffected.
        assert len(from_sophie) == 5 + 1 and "paul.durand@paris.fr" in first_day
        assert h.rt.store.count("outbox", "status = 'pending'") == 3
        held = h.rt.store.db.execute(
            "select count(*) from events where kind = 'mail_held' and detail like '%sender_cap%'"
        ).fetchone()[0]
        assert held == 3
        h.advance(hours=25)
        h.run()
        assert len(envelopes(h)) == len(first_day) + 3
        assert h.rt.store.count("outbox", "status != 'sent'") == 0
    finally:
        h.close()
