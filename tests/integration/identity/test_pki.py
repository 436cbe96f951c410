"""The national PKI: chain, key store, CRL and status, as a relying party would check them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography import x509
from sqlalchemy.orm import Session

from idara.db import utcnow
from idara.identity import pki, sealing
from idara.identity.flows import pki as pki_flow
from idara.identity.keystore import FileKeyStore
from idara.identity.service import cards
from idara.settings import Settings
from tests.identity_fixtures import IssuedCard, issue


def test_a_card_certificate_chains_to_the_root_with_the_eid_profile(
    db_session: Session, store: FileKeyStore, card: IssuedCard
) -> None:
    authorities = pki_flow.ensure_pki(db_session, store, now=utcnow())
    root = x509.load_der_x509_certificate(authorities.root.certificate)
    issuing = x509.load_der_x509_certificate(authorities.issuing.certificate)
    leaf = x509.load_der_x509_certificate(card.certificate)
    root.verify_directly_issued_by(root)
    issuing.verify_directly_issued_by(root)
    leaf.verify_directly_issued_by(issuing)
    serial = leaf.subject.get_attributes_for_oid(x509.oid.NameOID.SERIAL_NUMBER)[0].value
    assert serial == f"PNOMA-{card.person.cin}"
    usage = leaf.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and not usage.key_cert_sign
    eku = leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(eku) == [x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH]
    assert leaf.public_key().curve.name == "secp256r1"  # type: ignore[union-attr]


def test_ca_keys_are_sealed_files_that_only_the_passphrase_opens(
    tmp_path: Path,
) -> None:
    own = FileKeyStore(tmp_path, b"right passphrase", iterations=1000)
    own.create("test-ca")
    path = tmp_path / "test-ca.key.json"
    assert path.stat().st_mode & 0o777 == 0o600
    assert "PRIVATE" not in path.read_text()
    assert json.loads(path.read_text())["sealed"]["kdf"] == "PBKDF2-HMAC-SHA256"
    with pytest.raises(sealing.WrongSecretError):
        FileKeyStore(tmp_path, b"wrong passphrase").sign("test-ca", b"data")
    with pytest.raises(FileExistsError):
        own.create("test-ca")


def test_a_revoked_card_appears_on_a_newer_crl_and_in_the_status_answer(
    db_session: Session, store: FileKeyStore, card: IssuedCard
) -> None:
    now = utcnow()
    before, _ = pki.crl_facts(pki_flow.current_crl(db_session, store, now=now))
    record = cards.card_by_serial(db_session, serial=card.serial)
    assert record is not None
    assert pki_flow.certificate_status(db_session, serial=card.serial).status == "good"
    pki_flow.revoke_card(db_session, store, record, reason="lost", now=now)
    number, serials = pki.crl_facts(pki_flow.current_crl(db_session, store, now=now))
    assert number > before and card.serial in serials
    status = pki_flow.certificate_status(db_session, serial=card.serial.upper())
    assert (status.status, status.reason) == ("revoked", "lost")
    assert pki_flow.certificate_status(db_session, serial="abc").status == "unknown"


def test_the_crl_is_signed_by_the_issuing_ca(db_session: Session, store: FileKeyStore) -> None:
    issuing = pki_flow.ensure_pki(db_session, store, now=utcnow()).issuing
    crl = x509.load_der_x509_crl(pki_flow.current_crl(db_session, store, now=utcnow()))
    ca = x509.load_der_x509_certificate(issuing.certificate)
    assert crl.is_signature_valid(ca.public_key())  # type: ignore[arg-type]
    assert crl.issuer == ca.subject


def test_a_new_card_supersedes_and_revokes_the_previous_one(
    db_session: Session, store: FileKeyStore, settings: Settings, card: IssuedCard
) -> None:
    newer = issue(db_session, store, settings, card.person)
    old = cards.card_by_serial(db_session, serial=card.serial)
    assert old is not None and (old.status, old.revocation_reason) == ("revoked", "superseded")
    assert pki_flow.certificate_status(db_session, serial=newer.serial).status == "good"
