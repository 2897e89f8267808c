"""`intake stats` on a generated dataset whose answers are known; never by person."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import write_config

from intake.cli.main import main
from intake.reports.topics import group_topics, keywords
from intake.store.database import Store

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # a Monday, ISO week 10

# (status, category, service_id, expected_service, wrong_information, caller_request,
#  hours to decision, days after START)
DATASET = [
    (
        "forwarded",
        "transfer_error",
        "mairie-12",
        "Mairie du 11e",
        None,
        "Listes électorales",
        10,
        0,
    ),
    ("forwarded", "transfer_error", "mairie-12", "MAIRIE DU XIE ARRONDISSEMENT", None, None, 20, 1),
    ("forwarded", "transfer_error", "mairie-12", "mairie du 11ème", None, None, 30, 2),
    ("forwarded", "transfer_error", "dpe", "Voirie", None, "Travaux rue", 40, 7),
    ("rejected", "wrong_information", "mairie-18", None, "Horaires d'ouverture faux", None, 5, 8),
    (
        "pending_approval",
        "wrong_information",
        "mairie-18",
        None,
        "Les horaires du samedi",
        None,
        None,
        8,
    ),
    ("forwarded", "wrong_information", "dfpe", None, "Tarif de la crèche", "Cantine", None, 9),
    ("invalid", "transfer_error", None, "Mairie du 11e", None, None, None, 9),
]


def make_store(path: Path) -> None:
    store = Store(path)
    for n, (status, category, service, expected, wrong, request, hours, days) in enumerate(
        DATASET, 1
    ):
        created = START + dt.timedelta(days=days)
        row, _ = store.save_raw(
            {"message_id": f"<{n}@x>", "sha256": str(n), "received_at": created.isoformat()}
        )
        decided = created + dt.timedelta(hours=hours) if hours is not None else None
        store.insert_ticket(
            {
                "ref": f"3975-2026-{n:05d}",
                "year": 2026,
                "seq": n,
                "status": status,
                "message_row": row,
                "fiche_index": 0,
                "service": service or "Mairie du 14e",
                "service_id": service,
                "category": category,
                "agent_3975": f"Agent Numero{n}",
                "reporter_name": "Sophie Martin",
                "expected_service": expected,
                "wrong_information": wrong,
                "caller_request": request,
                "created_at": created.isoformat(),
                "decided_at": decided.isoformat() if decided else None,
            }
        )
    store.close()


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = write_config(tmp_path, mailbox="maildir://inbox", outbox="dir://outbox")
    make_store(tmp_path / "intake.db")
    return path


def stats(config: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--config", str(config), "stats", *args])
    return result.exit_code, result.output


def test_known_answers(config: Path) -> None:
    code, out = stats(config, "--json")
    assert code == 0, out
    data = json.loads(out)
    assert data["totals"] == {
        "tickets": 8,
        "invalid": 1,
        "approved": 4,  # decided and forwarded; the one forwarded without approval is not
        "forwarded": 5,
        "rejected": 1,
        "waiting": 1,
        "rejection_rate": 0.2,
        "median_hours_to_approval": 25.0,
        "mean_hours_to_approval": 25.0,
    }
    # Three ways of writing the 11e, resolved through the directory; the invalid one left out.
    assert data["wrong_transfers"] == [
        {"from": "mairie-12", "expected": "mairie-11", "count": 3},
        {"from": "dpe", "expected": "dvd", "count": 1},
    ]
    topics = {t["topic"]: t["count"] for t in data["wrong_information_topics"]}
    assert topics["horaire"] == 2 and sum(topics.values()) == 3
    assert "Numero" not in out and "Sophie" not in out


def test_by_week_and_period(config: Path) -> None:
    code, out = stats(config, "--by", "week", "--json")
    groups = {g["group"]: g["tickets"] for g in json.loads(out)["groups"]}
    assert groups == {"2026-W10": 3, "2026-W11": 5}
    code, out = stats(config, "--since", "2026-03-09", "--until", "2026-03-10", "--json")
    assert json.loads(out)["totals"]["tickets"] == 3


def test_by_service_csv(config: Path) -> None:
    code, out = stats(config, "--by", "service", "--csv")
    assert code == 0, out
    rows = list(csv.DictReader(io.StringIO(out)))
    by = {r["service"]: r for r in rows}
    assert (
        by["mairie-12"]["tickets"] == "3" and by["mairie-12"]["median_hours_to_approval"] == "20.0"
    )
    assert by["mairie-18"]["rejection_rate"] == "1.0"


def test_text_output_names_no_one(config: Path) -> None:
    code, out = stats(config, "--by", "category")
    assert code == 0
    assert "mairie-12  mairie-11  3" in out and "horaire" in out
    assert "Numero" not in out


@pytest.mark.parametrize("by", ["agent_3975", "reporter_name", "agent", "approver"])
def test_grouping_by_a_person_is_refused_and_says_why(config: Path, by: str) -> None:
    code, out = stats(config, "--by", by)
    assert code == 2
    assert "refused by design" in out and "never at people" in out


def test_an_unknown_grouping_lists_the_choices(config: Path) -> None:
    code, out = stats(config, "--by", "colour")
    assert code == 2 and "service, category or week" in out


def test_topics_are_explainable() -> None:
    assert keywords("Les horaires d'ouverture de la Mairie") == {"horaire", "ouverture", "mairie"}
    topics = group_topics(
        [("a", "horaires d'ouverture"), ("b", "Horaires du samedi"), ("c", "tarif cantine")]
    )
    assert [(t.keyword, t.refs) for t in topics] == [("horaire", ["a", "b"]), ("cantine", ["c"])]
