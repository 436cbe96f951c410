"""Subject identifiers (OpenID Connect Core §8): pairwise per sector, or public.

§8.1: sub = base64url(HMAC-SHA256(secret, sector_identifier ‖ 0x00 ‖ local id)). Two clients
of different sectors cannot link a citizen by `sub`; clients of one sector (an
administration's several services) see the same one. The separator keeps
("ab", "c") and ("a", "bc") apart. The local id is the registry's public id, never the CIN.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from idara.settings import TrustSettings
from idara.trust.models import Client


def subject(client: Client, person_public_id: str, settings: TrustSettings) -> str:
    """The `sub` this client knows the person by."""
    if client.subject_type == "public":
        return person_public_id
    key = settings.subject_secret.get_secret_value().encode()
    message = client.sector_identifier.encode() + b"\x00" + person_public_id.encode()
    mac = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode("ascii")
