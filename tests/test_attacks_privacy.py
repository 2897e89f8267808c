"""The 39 75 agent's name, written again in the fiche's free text, in every form an agent
writes it, never reaches anyone who may not read it (real Dovecot and SMTP): no mail to an
approver, a mairie or the queue, no anonymous export, no row of `tickets_anonymous`, no
`rules explain --ticket`, and after `intake purge` no byte of the SQLite file."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner
from harness import Harness, reply
from helpers import fiche_email, shipped_rules_with
from servers import MailUser, RecordingSMTP

from intake.cli.main import main
from intake.operations.retention import plan_purge, purge
from intake.store.database import Store

CHEF = "chef.accueil.m12@paris.fr"
MANAGERS = "responsables-3975@paris.fr"
REPORTER = "sophie.martin@paris.fr"

#: (the rubrique's text, free text naming the agent in the forms agents use)
NAMES = {
    "full name": (
        "Karim Benali",
        {
            "description": "Karim Benali a transféré l'appel ; rappelé, KARIM a raccroché. "
            "Selon K. Benali c'était normal, K.B. l'a noté.",
            "caller_request": "L'usager voulait que karim le rappelle",
            "expected_service": "Mairie du 11e (M. Benali le savait)",
            "wrong_information": "Benali Karim a donné de mauvais horaires",
        },
    ),
    "first name and initial": (
        "Karim B.",
        {
            "description": "Karim B. a transféré vers le 12e, Karim a insisté.",
            "caller_request": "Inscription ; l'usager cite karim",
            "wrong_information": "KARIM B a dit que c'était fermé",
        },
    ),
    "accents": (
        "Jérôme Dupont",
        {
            "description": "jerome a transféré ; JÉRÔME DUPONT puis Dupont J. l'ont confirmé.",
            "caller_request": "Rappel demandé par Jérôme",
            "expected_service": "Voir avec M. DUPONT",
            "wrong_information": "Jerome-Dupont a donné un mauvais numéro",
        },
    ),
}


def fold(text: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
    ).lower()


def leaks(text: str, name: str) -> list[str]:
    """Every trace of `name` in `text`: any of its words, whatever the case and accents, and
    its initials together ("K.B.", "K. B")."""
    words = [w for w in re.findall(r"\w+", fold(name)) if len(w) >= 2]
    folded = fold(text)
    found = [w for w in words if re.search(rf"\b{w}\b", folded)]
    initials = r"\.?\s*".join(w[0] for w in words)
    if len(words) >= 2 and re.search(rf"\b{initials}\.", folded):
        found.append("initials")
    return found


def fiche(name: str, texts: dict[str, str]) -> bytes:
    body = (
        "Service / mairie déclarant : Mairie du 12e\nAgent déclarant : Sophie Martin\n"
        "Date de l'appel : 12/03/2026\nHeure de l'appel : 14h30\n"
        "Type de dysfonctionnement : Erreur de transfert d'appel\n"
        f"Nom de l'agent 39 75 : {name}\n"
        f"Objet de la demande de l'usager : {texts['caller_request']}\n"
        f"Service vers lequel l'appel aurait dû être orienté : "
        f"{texts.get('expected_service', 'Mairie du 11e')}\n"
        f"Information erronée communiquée : {texts.get('wrong_information', '')}\n"
        f"Description : {texts['description']}\n"
    )
    return fiche_email(body=body)


@pytest.fixture
def h(tmp_path: Path, mailbox_user: MailUser, smtp_server: RecordingSMTP) -> Iterator[Harness]:
    harness = Harness(tmp_path, mailbox_user, smtp_server)
    yield harness
    harness.close()


def text_of(mail: EmailMessage) -> str:
    parts = [str(mail["Subject"])]
    parts += [p.get_content() for p in mail.walk() if p.get_content_maintype() == "text"]
    return "\n".join(parts)


def to(mail: EmailMessage) -> set[str]:
    return {a.strip() for h in ("To", "Cc") for a in str(mail[h] or "").split(",") if a}


def cli(h: Harness, *args: str) -> str:
    result = CliRunner().invoke(
        main, ["--config", str(h.rt.settings.base_dir / "intake.yaml"), *args]
    )
    assert result.exit_code == 0, result.output
    return result.output


def database_bytes(path: Path) -> str:
    data = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    return data.decode("utf-8", "replace")


@pytest.mark.parametrize("case", list(NAMES))
def test_the_agents_name_in_free_text_reaches_only_those_who_may_read_it(
    h: Harness, case: str
) -> None:
    name, texts = NAMES[case]
    (ref,) = h.send(fiche(name, texts)).outcomes[0].refs
    mails = h.new_mails()
    request = next(m for m in mails if to(m) == {CHEF})
    h.advance(hours=49)
    h.run()  # a reminder
    mails += h.new_mails()
    h.send(reply(request, sender=CHEF, body="Approuvé."))
    mails += h.new_mails()
    assert h.ticket(ref).status == "forwarded"

    seen = {}
    for mail in mails:
        who = to(mail)
        traces = leaks(text_of(mail), name)
        if not who <= {REPORTER, MANAGERS}:
            assert traces == [], f"{mail['Subject']} to {who} names the agent: {traces}"
        key = ",".join(sorted(who))
        seen[key] = seen.get(key, False) or bool(traces)
    # Approver (request and reminder) and mairie saw it masked; the managers read it all.
    assert seen == {REPORTER: True, CHEF: False, "accueil.m12@paris.fr": False, MANAGERS: True}
    masked = next(m for m in mails if to(m) == {CHEF})
    assert "(nom masqué)" in text_of(masked) and "(non communiqué)" in text_of(masked)

    # The anonymous export, the anonymous view, and the routing explanation.
    export = cli(h, "export")
    assert leaks(export, name) == [] and "(nom masqué)" in export
    view = h.rt.store.db.execute("select * from tickets_anonymous").fetchall()
    assert leaks(json.dumps(view, ensure_ascii=False), name) == []
    for args in (["--ticket", ref], ["--ticket", ref, "--json"]):
        assert leaks(cli(h, "rules", "explain", *args), name) == []
    assert leaks(cli(h, "export", "--with-personal-data"), name)  # the flag, audited, shows it

    # After the purge, not one byte of the file names the agent.
    path = Path(h.rt.store.path)
    assert leaks(database_bytes(path), name)
    h.advance(days=400)
    purge(
        h.rt.store,
        plan_purge(h.rt.store, h.now, 365),
        now=h.now.isoformat(),
        actor="t",
        outbox_dir=None,
    )
    assert leaks(database_bytes(path), name) == []


def test_an_invalid_fiche_quoting_the_agent_leaves_no_trace_after_purge(h: Harness) -> None:
    name = "Karim Benali"
    body = (
        "Service / mairie déclarant : bureau de Karim Benali\n"
        f"Nom de l'agent 39 75 : {name}\n"
        "Date de l'appel : le jour où Karim a répondu\n"
        "Description : Karim Benali a raccroché.\n"
    )
    (ref,) = h.send(fiche_email(body=body)).outcomes[0].refs
    ticket = h.ticket(ref)
    assert ticket.status == "invalid"
    assert leaks(json.dumps(ticket.errors, ensure_ascii=False), name), "the test sees nothing"
    assert leaks(ticket.service or "", name) == []  # masked on arrival
    (answer,) = h.new_mails()
    assert to(answer) == {REPORTER}  # its writer: may read it

    path = Path(h.rt.store.path)
    h.advance(days=400)
    plan = plan_purge(h.rt.store, h.now, 365)
    assert list(plan.tickets.values()) == [ref]
    purge(h.rt.store, plan, now=h.now.isoformat(), actor="t", outbox_dir=None)
    after = h.ticket(ref)
    assert after.errors and leaks(json.dumps(after.errors, ensure_ascii=False), name) == []
    assert leaks(database_bytes(path), name) == []


@pytest.mark.parametrize("separator", [",", ";"])
def test_no_exported_cell_runs_as_a_formula_whatever_the_separator(
    h: Harness, separator: str
) -> None:
    hostile = {
        "caller_request": "x;=cmd|' /C calc'!A0",
        "expected_service": 'y,=HYPERLINK("http://evil")',
        "wrong_information": "z ; @SUM(1+1)",
        "service": "-2+3",
    }
    (ref,) = h.send(fiche_email()).outcomes[0].refs
    h.rt.store.update_ticket(h.ticket(ref).id, **hostile)
    export = cli(h, "export").lstrip("\ufeff")
    cells = [c for row in csv.reader(io.StringIO(export), delimiter=separator) for c in row]
    # A spreadsheet skips leading spaces and the quote that wraps a field.
    starts = [c.lstrip(' "') for c in cells]
    assert not [c for c in starts if c[:1] in ("=", "+", "-", "@")], starts
    assert any("'=cmd" in c for c in cells) and any("'=HYPERLINK" in c for c in cells)


def test_tickets_stored_before_masking_are_masked_on_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "intake.db"
    store = Store(path)
    row, _ = store.save_raw(
        {"message_id": "<m@paris.fr>", "sha256": "0", "received_at": "2025-03-12", "raw": b""}
    )
    store.insert_ticket(
        {
            "message_row": row,
            "fiche_index": 0,
            "ref": "3975-2025-00001",
            "year": 2025,
            "seq": 1,
            "status": "forwarded",
            "agent_3975": "Karim B.",
            "caller_request": "Rappel demandé par karim",
            "wrong_information": "KARIM B. a donné de mauvais horaires",
            "created_at": "2025-03-12T15:00:00+00:00",
        }
    )
    # As a database of the version before: the masking migration not yet applied.
    store.db.execute("delete from _sqlite_migrations where name = '0008_agent_name_masked'")
    store.close()
    upgraded = Store(path)
    (row,) = upgraded.db.execute("select * from tickets_anonymous").fetchall()
    assert leaks(json.dumps(row, ensure_ascii=False), "Karim B.") == []
    assert upgraded.tickets()[0].agent_3975 == "Karim B."  # the name itself stays, personal


@pytest.mark.parametrize("case", list(NAMES))
def test_a_relayed_comment_naming_the_agent_is_masked_for_its_readers(
    tmp_path: Path, mailbox_user: MailUser, smtp_server: RecordingSMTP, case: str
) -> None:
    name, texts = NAMES[case]
    rules_path = shipped_rules_with(tmp_path, relay_comments_to=["service.supervisors"])
    h = Harness(tmp_path / "w", mailbox_user, smtp_server, rules=rules_path)
    try:
        h.send(fiche(name, texts))
        ack = next(m for m in h.new_mails() if REPORTER in to(m))
        h.send(reply(ack, sender=REPORTER, body=f"Précision : {texts['description']}"))
        (relayed,) = h.new_mails()
        assert to(relayed) == {CHEF}
        assert "Précision" in text_of(relayed) and "(nom masqué)" in text_of(relayed)
        assert leaks(text_of(relayed), name) == []
    finally:
        h.close()
