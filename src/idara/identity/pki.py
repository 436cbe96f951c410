"""The national PKI: root CA, issuing CA, card certificates and CRLs (RFC 5280), P-256.

Certificates and CRLs are built with `cryptography`, but signed by the key store: the
builder signs the to-be-signed part with a throwaway key, then the real signature from
the key store replaces it (`_resign`). The CA private keys therefore never enter this
module, which is what lets an HSM hold them.

Card certificates follow the eID card profile: subject serialNumber `PNOMA-<CIN>` (ETSI
EN 319 412-1 natural-person semantics), key usage digitalSignature only, extended key usage
clientAuth, a CRL distribution point and the issuer's certificate URL.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from idara.identity.keystore import KeyStore

SERIAL_PREFIX = "PNOMA-"
_ORG = "Royaume du Maroc - Idara (démonstration)"


@dataclass(frozen=True, slots=True)
class Revocation:
    """One revoked certificate for a CRL."""

    serial: str
    revoked_at: datetime
    reason: str


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "MA"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, _ORG),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _read_length(der: bytes, offset: int) -> tuple[int, int]:
    """(length of the length field, content length) of the DER TLV whose length is at offset."""
    first = der[offset]
    if first < 0x80:
        return 1, first
    count = first & 0x7F
    return 1 + count, int.from_bytes(der[offset + 1 : offset + 1 + count], "big")


def _length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def _resign(placeholder_der: bytes, tbs: bytes, signature: bytes) -> bytes:
    """SEQUENCE { tbs, signatureAlgorithm, BIT STRING signature } with the real signature."""
    head, _ = _read_length(placeholder_der, 1)
    start = 1 + head  # first element: the tbs we were given
    assert placeholder_der[start : start + len(tbs)] == tbs
    alg_at = start + len(tbs)
    alg_head, alg_len = _read_length(placeholder_der, alg_at + 1)
    algorithm = placeholder_der[alg_at : alg_at + 1 + alg_head + alg_len]
    bits = b"\x00" + signature  # no unused bits
    body = tbs + algorithm + b"\x03" + _length(len(bits)) + bits
    return b"\x30" + _length(len(body)) + body


def _placeholder_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _sign_certificate(builder: x509.CertificateBuilder, store: KeyStore, key_id: str) -> bytes:
    draft = builder.sign(_placeholder_key(), hashes.SHA256())
    tbs = draft.tbs_certificate_bytes
    return _resign(draft.public_bytes(serialization.Encoding.DER), tbs, store.sign(key_id, tbs))


def _public(spki: bytes) -> ec.EllipticCurvePublicKey:
    key = serialization.load_der_public_key(spki)
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
        raise ValueError("the PKI issues P-256 keys only")
    return key


def build_root(store: KeyStore, key_id: str, *, now: datetime, years: int = 20) -> bytes:
    """The self-signed root CA certificate (DER)."""
    public = _public(store.public_key(key_id))
    name = _name("Idara Root CA (démonstration)")
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
        .add_extension(_ca_usage(), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
    )
    der = _sign_certificate(builder, store, key_id)
    cert = x509.load_der_x509_certificate(der)
    cert.verify_directly_issued_by(cert)  # proves the key store signed with the right key
    return der


def _ca_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=False,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )


def build_issuing(
    store: KeyStore,
    key_id: str,
    *,
    root_key_id: str,
    root_der: bytes,
    now: datetime,
    years: int = 12,
) -> bytes:
    """The issuing CA certificate, signed by the root (DER)."""
    root = x509.load_der_x509_certificate(root_der)
    public = _public(store.public_key(key_id))
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name("Idara CNIE Issuing CA (démonstration)"))
        .issuer_name(root.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(min(now + timedelta(days=365 * years), root.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_ca_usage(), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(
                _public(store.public_key(root_key_id))
            ),
            critical=False,
        )
    )
    der = _sign_certificate(builder, store, root_key_id)
    x509.load_der_x509_certificate(der).verify_directly_issued_by(root)
    return der


def build_card_certificate(
    store: KeyStore,
    *,
    issuer_key_id: str,
    issuer_der: bytes,
    card_public_key: bytes,
    cin: str,
    first_name: str,
    last_name: str,
    not_before: datetime,
    not_after: datetime,
    base_url: str,
) -> bytes:
    """A card's authentication certificate binding its public key to the CIN (DER)."""
    issuer = x509.load_der_x509_certificate(issuer_der)
    public = _public(card_public_key)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "MA"),
            x509.NameAttribute(NameOID.SURNAME, last_name.upper()),
            x509.NameAttribute(NameOID.GIVEN_NAME, first_name.upper()),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, SERIAL_PREFIX + cin),
            x509.NameAttribute(
                NameOID.COMMON_NAME, f"{last_name.upper()},{first_name.upper()},{cin}"
            ),
        ]
    )
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(min(not_after, issuer.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(
                _public(store.public_key(issuer_key_id))
            ),
            critical=False,
        )
        .add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        full_name=[
                            x509.UniformResourceIdentifier(f"{base_url}/pki/issuing-ca.crl")
                        ],
                        relative_name=None,
                        reasons=None,
                        crl_issuer=None,
                    )
                ]
            ),
            critical=False,
        )
        .add_extension(
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        x509.oid.AuthorityInformationAccessOID.CA_ISSUERS,
                        x509.UniformResourceIdentifier(f"{base_url}/pki/issuing-ca.crt"),
                    )
                ]
            ),
            critical=False,
        )
    )
    der = _sign_certificate(builder, store, issuer_key_id)
    x509.load_der_x509_certificate(der).verify_directly_issued_by(issuer)
    return der


_REASONS = {
    "key_compromise": x509.ReasonFlags.key_compromise,
    "lost": x509.ReasonFlags.key_compromise,
    "superseded": x509.ReasonFlags.superseded,
    "cessation_of_operation": x509.ReasonFlags.cessation_of_operation,
    "revoked": x509.ReasonFlags.unspecified,
}


def build_crl(
    store: KeyStore,
    *,
    issuer_key_id: str,
    issuer_der: bytes,
    revoked: Iterable[Revocation],
    number: int,
    now: datetime,
    next_update: datetime,
) -> bytes:
    """The issuing CA's certificate revocation list (DER), signed through the key store."""
    issuer = x509.load_der_x509_certificate(issuer_der)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.subject)
        .last_update(now)
        .next_update(next_update)
        .add_extension(x509.CRLNumber(number), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(
                _public(store.public_key(issuer_key_id))
            ),
            critical=False,
        )
    )
    for item in revoked:
        entry = (
            x509.RevokedCertificateBuilder()
            .serial_number(int(item.serial, 16))
            .revocation_date(item.revoked_at)
            .add_extension(
                x509.CRLReason(_REASONS.get(item.reason, x509.ReasonFlags.unspecified)),
                critical=False,
            )
            .build()
        )
        builder = builder.add_revoked_certificate(entry)
    draft = builder.sign(_placeholder_key(), hashes.SHA256())
    tbs = draft.tbs_certlist_bytes
    der = _resign(
        draft.public_bytes(serialization.Encoding.DER), tbs, store.sign(issuer_key_id, tbs)
    )
    crl = x509.load_der_x509_crl(der)
    if not crl.is_signature_valid(issuer.public_key()):  # type: ignore[arg-type]
        raise RuntimeError("the key store signed the CRL with the wrong key")
    return der


@dataclass(frozen=True, slots=True)
class CertificateFacts:
    """What the rest of the domain needs to know about a certificate, without cryptography."""

    serial: str
    not_before: datetime
    not_after: datetime
    subject_serial: str | None


def facts(der: bytes) -> CertificateFacts:
    """Serial (hex), validity and subject serialNumber of a DER certificate."""
    cert = x509.load_der_x509_certificate(der)
    serials = cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)
    value = serials[0].value if serials else None
    return CertificateFacts(
        serial=format(cert.serial_number, "x"),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        subject_serial=value if isinstance(value, str) else None,
    )


def pem(der: bytes) -> str:
    """PEM text of a DER certificate."""
    body = base64.encodebytes(der).decode("ascii").replace("\n", "")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


def crl_facts(der: bytes) -> tuple[int, list[str]]:
    """The CRL number and the revoked serials (hex) of a DER CRL."""
    crl = x509.load_der_x509_crl(der)
    number = crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
    return number, [format(r.serial_number, "x") for r in crl]
