"""The envelope facts the pipeline reads from every message before anything else."""

from __future__ import annotations

import hashlib

from intake.sources.envelope import read_info


def test_encoded_subject_and_addresses_are_read() -> None:
    raw = (
        b"From: =?utf-8?q?H=C3=A9l=C3=A8ne?= <Helene.Dupont@Paris.fr>\r\n"
        b"Reply-To: Accueil <accueil.m12@paris.fr>\r\n"
        b"To: signalements-3975+00012.abc@paris.fr\r\n"
        b"Subject: =?utf-8?b?RmljaGUgZGUgc2lnbmFsZW1lbnQg4oCTIG1haXJpZQ==?=\r\n"
        b" du 12e\r\n"
        b"Message-ID: <m1@paris.fr>\r\n"
        b"In-Reply-To: <approval.3975-2026-00012.tok@paris.fr>\r\n"
        b"Authentication-Results: mx.paris.fr; dmarc=pass\r\n"
        b"Authentication-Results: ailleurs; dmarc=fail\r\n"
        b"\r\nBonjour\r\n"
    )
    info = read_info(raw)
    assert info.sender == "helene.dupont@paris.fr"
    assert info.reply_to == "accueil.m12@paris.fr"
    assert info.subject == "Fiche de signalement – mairie du 12e"
    assert info.message_id == "<m1@paris.fr>"
    assert "approval.3975-2026-00012.tok" in info.threading
    assert "+00012.abc@" in info.threading
    assert info.auth_results == "mx.paris.fr; dmarc=pass"  # the topmost one: our server's
    assert info.sha256 == hashlib.sha256(raw).hexdigest() and info.size == len(raw)


def test_raw_eight_bit_and_broken_headers_never_stop_the_message() -> None:
    raw = (
        "From: Agent <agent@paris.fr>\r\nSubject: Fiche é\u00e0 envoyée\r\n".encode("utf-8")
        + b"Subject-Extra: \xff\xfe\r\n"
        + b"Reply-To: pas une adresse\r\n"
        + b"Cc: =?bogus?q?x?=\r\n\r\ncorps\r\n"
    )
    info = read_info(raw)
    assert info.subject == "Fiche éà envoyée"
    assert info.reply_to == "agent@paris.fr"  # no usable Reply-To: answers go to From
    assert info.message_id == ""


def test_a_message_without_headers_still_has_facts() -> None:
    info = read_info(b"juste du texte\r\n")
    assert (info.sender, info.subject, info.message_id) == ("", "", "")


def test_an_address_we_cannot_write_to_is_no_sender() -> None:
    info = read_info(b"From: \xc2\x80\r\nReply-To: \x01@exemple.fr\r\n\r\nx\r\n")
    assert (info.sender, info.reply_to) == ("", "")


def test_an_accented_address_is_answered() -> None:
    # Sent over SMTPUTF8, or recorded as a failed mail when the server lacks it.
    info = read_info(b"From: Agent <agent@paris.fr>\r\nReply-To: jos\xc3\xa9@exemple.fr\r\n\r\nx")
    assert info.reply_to == "jos\u00e9@exemple.fr"
