"""Demo data of the trust service: signing keys, the portal's client, one relying administration.

The demo administration's private key is written to the data directory so that an external
relying party (openid-client, Authlib, curl) can sign in citizens against the demo.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from idara.portal import rp_setup
from idara.settings import Settings
from idara.trust import clients, jose, keyring
from idara.trust.clock import SYSTEM
from idara.trust.schemas import ClientSpec

DEMO_CLIENT_ID = "demo-bac"
DEMO_REDIRECTS = ["http://127.0.0.1:9000/callback", "http://localhost:9000/callback"]


def demo_spec(jwks: dict[str, Any]) -> ClientSpec:
    """The demo relying administration: the free-candidate baccalaureate application."""
    return ClientSpec(
        client_id=DEMO_CLIENT_ID,
        name_fr="Candidature libre au baccalauréat",
        name_ar="الترشح الحر لامتحان البكالوريا",
        organisation_fr="Ministère de l'Éducation nationale, du Préscolaire et des Sports",
        organisation_ar="وزارة التربية الوطنية والتعليم الأولي والرياضة",
        purpose_fr="Préremplir votre candidature et vérifier votre identité de candidat libre.",
        purpose_ar="ملء طلب ترشحك مسبقا والتحقق من هويتك كمترشح حر.",
        legal_basis_fr=(
            "Décret n° 2-02-376 relatif au statut des établissements d'enseignement ; "
            "loi n° 55-19 (simplification des procédures)"
        ),
        legal_basis_ar="المرسوم رقم 2.02.376 ؛ القانون رقم 55.19 المتعلق بتبسيط المساطر",
        redirect_uris=DEMO_REDIRECTS,
        post_logout_redirect_uris=["http://127.0.0.1:9000/", "http://localhost:9000/"],
        jwks=jwks,
        scopes=["openid", "profile", "birth", "address", "card", "identity_verification"],
        allowed_claims=["cin"],
        min_acr="substantial",
        fapi=True,
        verification_allowed=True,
    )


def _demo_key(folder: Path) -> dict[str, Any]:
    """The demo administration's key pair: private half on disk, public half returned."""
    folder.mkdir(parents=True, exist_ok=True)
    private_file = folder / "private_jwk.json"
    if not private_file.exists():
        private_file.write_text(json.dumps(jose.generate_client_key()), encoding="utf-8")
        private_file.chmod(0o600)
    private = json.loads(private_file.read_text(encoding="utf-8"))
    return {"keys": [jose.public_part(private)]}


def load(session: Session, settings: Settings) -> list[str]:
    """Create the keys and clients the demo needs (idempotent)."""
    now = SYSTEM.now()
    key = keyring.ensure(session, settings.trust, now=now)
    lines = [f"signing key {key.kid[:12]}… (ES256), next key published"]
    portal = rp_setup.ensure_registered(session, settings)
    lines.append(f"portal registered as relying party {portal.client_id}")
    folder = settings.data_dir / "demo-rp"
    jwks = _demo_key(folder)
    if clients.get(session, client_id=DEMO_CLIENT_ID) is None:
        clients.add(session, demo_spec(jwks), now=now)
    (folder / "client.json").write_text(
        json.dumps(
            {
                "issuer": settings.public_origin,
                "client_id": DEMO_CLIENT_ID,
                "redirect_uris": DEMO_REDIRECTS,
                "private_jwk_file": str((folder / "private_jwk.json").resolve()),
                "profile": "FAPI 2.0: PAR, DPoP, private_key_jwt, PKCE S256",
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    key_file = folder / "private_jwk.json"
    lines.append(f"relying administration {DEMO_CLIENT_ID} (FAPI 2.0); its key: {key_file}")
    return lines
