"""The portal's registration with the trust service: its key and its client record."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from idara.portal import oidc_rp
from idara.settings import Settings
from idara.trust import clients
from idara.trust.clock import SYSTEM
from idara.trust.schemas import ClientSpec

CALLBACK = "/me/callback"
BACKCHANNEL = "/me/backchannel-logout"


@dataclass(frozen=True, slots=True)
class PortalClient:
    """What the portal needs to act as a relying party."""

    client_id: str
    issuer: str
    redirect_uri: str
    key: oidc_rp.ClientKey


def key_path(settings: Settings) -> Path:
    """Where the portal's private client key lives (owner-only file in the data directory)."""
    return settings.data_dir / "portal" / "rp-key.json"


def spec(settings: Settings, jwks: dict[str, Any]) -> ClientSpec:
    """The portal's registration: a first-party client with a public `sub` (the registry id)."""
    origin = settings.public_origin
    return ClientSpec(
        client_id=settings.trust.portal_client_id,
        name_fr="Portail Idara — Mon espace",
        name_ar="بوابة إدارة — فضائي",
        organisation_fr="Ministère de la Transition numérique et de la Réforme de l'administration",
        organisation_ar="وزارة الانتقال الرقمي وإصلاح الإدارة",
        purpose_fr=(
            "Vous connecter à votre espace citoyen : vos connexions, les données partagées "
            "et vos consentements."
        ),
        purpose_ar="تسجيل دخولك إلى فضائك: عمليات الدخول والبيانات المتقاسمة وموافقاتك.",
        legal_basis_fr="Loi n° 55-19 relative à la simplification des procédures administratives",
        legal_basis_ar="القانون رقم 55-19 المتعلق بتبسيط المساطر والإجراءات الإدارية",
        redirect_uris=[origin + CALLBACK],
        post_logout_redirect_uris=[f"{origin}/{lang}/" for lang in settings.web.languages],
        backchannel_logout_uri=origin + BACKCHANNEL,
        jwks=jwks,
        scopes=["openid", "profile"],
        subject_type="public",
        sector_identifier=origin.split("://", 1)[1],
        min_acr="substantial",
    )


def ensure_registered(db: Session, settings: Settings) -> PortalClient:
    """Create the portal's key and client registration when missing (the demo, the tests)."""
    key = oidc_rp.load_or_create_key(key_path(settings))
    jwks = oidc_rp.public_jwks(key)
    found = clients.get(db, client_id=settings.trust.portal_client_id)
    if found is None:
        clients.add(db, spec(settings, jwks), now=SYSTEM.now())
    elif found.jwks != jwks:
        found.jwks = jwks  # the key file was replaced: register the new public key
        db.flush()
    return PortalClient(
        client_id=settings.trust.portal_client_id,
        issuer=settings.public_origin,
        redirect_uri=settings.public_origin + CALLBACK,
        key=key,
    )
