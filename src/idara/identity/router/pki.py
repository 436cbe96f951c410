"""The national PKI's public files (RFC 2585 media types) and the certificate status API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from starlette.responses import Response

from idara.db import utcnow
from idara.identity import pki as pki_files
from idara.identity.dependencies import Keys
from idara.identity.flows import pki as pki_flow
from idara.identity.schemas import CertificateStatusOut
from idara.web.deps import DbSession
from idara.web.policy import public

router = APIRouter(tags=["identity"], dependencies=[public])
_CACHE = {"Cache-Control": "public, max-age=3600"}


def _certificate(der: bytes, name: str, as_pem: bool) -> Response:
    if as_pem:
        return Response(pki_files.pem(der), media_type="application/x-pem-file", headers=_CACHE)
    headers = {**_CACHE, "Content-Disposition": f'attachment; filename="{name}"'}
    return Response(der, media_type="application/pkix-cert", headers=headers)


@router.get("/pki/root-ca.crt", summary="Download the root CA certificate")
def root_certificate(db: DbSession, keys: Keys, pem: bool = False) -> Response:
    """The national root CA certificate (DER, or PEM with ?pem=true)."""
    root = pki_flow.ensure_pki(db, keys, now=utcnow()).root
    return _certificate(root.certificate, "idara-root-ca.crt", pem)


@router.get("/pki/issuing-ca.crt", summary="Download the issuing CA certificate")
def issuing_certificate(db: DbSession, keys: Keys, pem: bool = False) -> Response:
    """The CA that issues card certificates (DER, or PEM with ?pem=true)."""
    issuing = pki_flow.ensure_pki(db, keys, now=utcnow()).issuing
    return _certificate(issuing.certificate, "idara-issuing-ca.crt", pem)


@router.get("/pki/issuing-ca.crl", summary="Download the certificate revocation list")
def revocation_list(db: DbSession, keys: Keys) -> Response:
    """The issuing CA's CRL (RFC 5280), re-signed at least daily and at each revocation."""
    der = pki_flow.current_crl(db, keys, now=utcnow())
    return Response(der, media_type="application/pkix-crl", headers={"Cache-Control": "no-cache"})


@router.get(
    "/api/identity/certificates/{serial}/status",
    response_model=CertificateStatusOut,
    summary="Status of a card certificate",
)
def certificate_status(
    db: DbSession, serial: Annotated[str, Path(pattern=r"^[0-9a-fA-F]{1,40}$")]
) -> CertificateStatusOut:
    """good, revoked (with date and reason) or unknown, for a certificate serial in hex."""
    status = pki_flow.certificate_status(db, serial=serial)
    return CertificateStatusOut(
        serial=status.serial,
        status=status.status,
        revoked_at=status.revoked_at,
        reason=status.reason,
    )
