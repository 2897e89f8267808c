"""The database schema, as named migrations recorded in the database itself."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from intake.privacy.policy import KEPT_FREE_TEXT, without_agent_name

migrations = Migrations("intake")


@migrations(name="0001_initial")
def initial(db: Database) -> None:
    # Every received email, stored before it is parsed: nothing is lost if parsing fails.
    db.table("messages").create(
        {
            "id": int,
            "message_id": str,
            "sha256": str,
            "source": str,
            "source_uid": str,
            "uidvalidity": int,
            "received_at": str,
            "sender": str,
            "subject": str,
            "size": int,
            "raw": bytes,
            "status": str,  # received -> processed | quarantined
            "kind": str,  # fiche, invalid, ignored, reply
            "error": str,
            "processed_at": str,
        },
        pk="id",
        not_null={"message_id", "sha256", "received_at", "status"},
    )
    db.table("messages").create_index(["message_id", "sha256"], unique=True)
    db.table("messages").create_index(["status"])

    db.table("tickets").create(
        {
            "id": int,
            "ref": str,
            "year": int,
            "seq": int,
            "status": str,
            "message_row": int,
            "fiche_index": int,
            "service": str,
            "service_id": str,
            "reporter_name": str,
            "reporter_email": str,
            "call_date": str,
            "call_time": str,
            "category": str,
            "agent_3975": str,
            "caller_request": str,
            "expected_service": str,
            "wrong_information": str,
            "description": str,
            "follow_up": str,
            "source": str,
            "errors": str,  # JSON list of {field, message} for an invalid fiche
            "warnings": str,  # JSON list of {field, message}
            "rule_id": str,
            "rules_version": str,
            "approvers": str,  # JSON list of addresses
            "recipients": str,  # JSON list of addresses
            "redactions": str,  # JSON {address: [hidden fields]}
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("message_row", "messages", "id")],
        not_null={"ref", "year", "seq", "status", "message_row", "fiche_index", "created_at"},
    )
    db.table("tickets").create_index(["ref"], unique=True)
    db.table("tickets").create_index(["year", "seq"], unique=True)
    # One ticket per fiche of a message: processing a message twice cannot duplicate it.
    db.table("tickets").create_index(["message_row", "fiche_index"], unique=True)
    db.table("tickets").create_index(["status"])

    db.table("events").create(
        {
            "id": int,
            "at": str,
            "ticket_id": int,
            "message_row": int,
            "actor": str,
            "kind": str,
            "detail": str,  # JSON
        },
        pk="id",
        foreign_keys=[("ticket_id", "tickets", "id"), ("message_row", "messages", "id")],
        not_null={"at", "actor", "kind"},
    )
    db.table("events").create_index(["ticket_id"])

    db.table("outbox").create(
        {
            "id": int,
            "ticket_id": int,
            "message_row": int,
            "template": str,
            "recipients": str,  # JSON list
            "subject": str,
            "message_id": str,
            "raw": bytes,
            "status": str,  # pending -> sent | failed
            "attempts": int,
            "next_attempt_at": str,
            "last_error": str,
            "delivered_to": str,
            "created_at": str,
            "sent_at": str,
        },
        pk="id",
        foreign_keys=[("ticket_id", "tickets", "id"), ("message_row", "messages", "id")],
        not_null={"template", "recipients", "message_id", "raw", "status", "created_at"},
        defaults={"attempts": 0},
    )
    db.table("outbox").create_index(["message_id"], unique=True)
    db.table("outbox").create_index(["status", "next_attempt_at"])


@migrations(name="0002_approvals")
def approvals(db: Database) -> None:
    # One row per approver per round; a round ends with a decision or an escalation.
    db.table("approvals").create(
        {
            "id": int,
            "ticket_id": int,
            "round": int,
            "approver": str,
            "status": str,  # open -> decided | superseded
            "requested_at": str,
            "reminded_at": str,
            "clarification_at": str,  # when we asked again after an unclear answer
            "decided_at": str,
            "decision": str,  # approve | reject
            "reason": str,
        },
        pk="id",
        foreign_keys=[("ticket_id", "tickets", "id")],
        not_null={"ticket_id", "round", "approver", "status", "requested_at"},
    )
    db.table("approvals").create_index(["ticket_id", "round", "approver"], unique=True)
    db.table("approvals").create_index(["status"])
    tickets = db.table("tickets")
    tickets.add_column("approval_round", int)
    tickets.add_column("reminder_hours", int)
    tickets.add_column("escalate_hours", int)
    tickets.add_column("escalate_to", str)  # JSON list of addresses
    tickets.add_column("decided_at", str)
    tickets.add_column("decision_reason", str)


@migrations(name="0003_privacy")
def privacy(db: Database) -> None:
    # When `intake purge` erased a row's personal data; the anonymous facts stay.
    for table in ("tickets", "messages", "outbox", "events", "approvals"):
        db.table(table).add_column("purged_at", str)
    db.table("tickets").create_index(["created_at"])
    # What may be browsed (Datasette, see config/datasette-metadata.yaml): no personal column.
    db.execute(
        """
        create view tickets_anonymous as
        select id, ref, status, category, service, service_id, call_date, call_time,
               caller_request, expected_service, wrong_information, rule_id, approval_round,
               created_at, decided_at, updated_at, purged_at
        from tickets
        """
    )


@migrations(name="0004_suppressions")
def suppressions(db: Database) -> None:
    # Addresses that bounced: not written to again until `until`, so a dead address
    # cannot turn into a loop of failure reports.
    db.table("suppressions").create(
        {"address": str, "reason": str, "until": str, "created_at": str, "message_row": int},
        pk="address",
        not_null={"until", "created_at"},
    )


@migrations(name="0005_worker_state")
def worker_state(db: Database) -> None:
    # What the worker last did (last poll, its outcome, pid), for `intake status`.
    db.table("worker_state").create({"key": str, "value": str, "updated_at": str}, pk="key")


@migrations(name="0006_ticket_templates")
def ticket_templates(db: Database) -> None:
    # The templates the routing rule chose for this ticket's mails (kind -> template name),
    # so a request sent days later still uses the rule's choice.
    db.table("tickets").add_column("templates", str)


@migrations(name="0007_comment_relay")
def comment_relay(db: Database) -> None:
    # Who the routing rule said should get a copy of the comments on this ticket.
    db.table("tickets").add_column("relay_to", str)  # JSON list of addresses


@migrations(name="0008_agent_name_masked")
def agent_name_masked(db: Database) -> None:
    # The free text kept for statistics never names the 39 75 agent: mask it in the
    # tickets stored before it was masked on arrival.
    columns = ", ".join(KEPT_FREE_TEXT)
    rows = db.execute(
        f"select id, agent_3975, {columns} from tickets where agent_3975 is not null"
    ).fetchall()
    for ticket_id, name, *values in rows:
        masked = without_agent_name(
            {"agent_3975": name, **dict(zip(KEPT_FREE_TEXT, values, strict=True))}
        )
        db.execute(
            f"update tickets set {', '.join(f'{c} = ?' for c in KEPT_FREE_TEXT)} where id = ?",
            [*(masked[c] for c in KEPT_FREE_TEXT), ticket_id],
        )



@migrations(name="0009_outbox_purpose")
def outbox_purpose(db: Database) -> None:
    # `answer`: a mail written because a mail came in (acknowledgement, « fiche incomplète »,
    # explanation, relayed comment): the daily cap per recipient, against loops with
    # auto-responders, applies to these. `procedure`: requests, reminders, transmissions and
    # decision notices, which the cap never holds.
    db.table("outbox").add_column("purpose", str, not_null_default="answer")
