"""Pydantic schemas of the identity APIs (they document the OpenAPI) and of `idara identity`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from idara.identity import places


class WebEidToken(BaseModel):
    """A Web eID authentication token (format web-eid:1.0), as the card software sends it."""

    model_config = ConfigDict(extra="forbid")

    unverifiedCertificate: str = Field(description="The card certificate, base64 DER.")  # noqa: N815
    algorithm: str = Field(description="Signature algorithm; only ES256 is accepted.")
    signature: str = Field(description="Base64 r‖s over SHA-256(origin) ‖ SHA-256(nonce).")
    format: str = Field(description="Token format: web-eid:1.0.")
    appVersion: str | None = Field(default=None, description="The signing software's URL.")  # noqa: N815


class AppApproval(BaseModel):
    """What the mobile app sends: the code it scanned and a card token over that code."""

    code: str = Field(description="The code shown with the QR code (dashes optional).")
    token: WebEidToken


class ChallengeOut(BaseModel):
    """A challenge nonce for the card to sign, bound to the caller's login session."""

    nonce: str = Field(description="Base64 of 32 random bytes; sign it as text.")
    origin: str = Field(description="The origin the card must sign together with the nonce.")
    expires_at: datetime


class LoginOut(BaseModel):
    """A successful login: where the browser continues, and the level reached."""

    next: str
    level: Literal["low", "substantial", "high"]


class AppStartOut(BaseModel):
    """A mobile-app login request shown to the citizen as a QR code."""

    code: str
    qr_payload: str = Field(description="The text inside the QR code.")
    expires_at: datetime


class AppStatusOut(BaseModel):
    """Where the session's mobile-app request stands (polled by the login page)."""

    status: Literal["none", "pending", "approved", "expired", "consumed"]


class AppApprovedOut(BaseModel):
    """The app's approval was accepted."""

    status: Literal["approved"] = "approved"


class OtpSendIn(BaseModel):
    """Ask for a one-time code by SMS."""

    cin: str = Field(min_length=2, max_length=20, description="The national identity number.")


class OtpSentOut(BaseModel):
    """Always the same answer, whether or not the CIN exists."""

    sent: Literal[True] = True
    expires_at: datetime


class OtpVerifyIn(BaseModel):
    """The code received by SMS."""

    code: str = Field(pattern=r"^[0-9]{6}$")


class SessionOut(BaseModel):
    """The caller's login session."""

    authenticated: bool
    level: str | None = None
    amr: list[str] = []
    auth_time: datetime | None = None


class CertificateStatusOut(BaseModel):
    """Status of a card certificate (good, revoked, unknown), like an OCSP answer."""

    serial: str
    status: Literal["good", "revoked", "unknown"]
    revoked_at: datetime | None = None
    reason: str | None = None


class PersonOut(BaseModel):
    """A person of the registry, as `idara identity show --json` prints it."""

    model_config = ConfigDict(from_attributes=True)

    public_id: str
    cin: str
    first_name: str
    last_name: str
    first_name_ar: str
    last_name_ar: str
    birth_date: date
    birth_commune: str
    sex: str
    street: str
    street_ar: str
    region_code: str
    province_code: str
    commune_code: str
    phone: str | None
    photo_ref: str | None
    card_number: str
    card_issued_on: date
    card_expires_on: date
    card_status: str

    def places(self) -> dict[str, str]:
        """Names of the address's region, province and commune, and of the birth place."""
        commune = places.COMMUNE_BY_CODE.get(self.commune_code)
        province = places.PROVINCE_BY_CODE.get(self.province_code)
        region = places.REGION_BY_CODE.get(self.region_code)
        birth = places.COMMUNE_BY_CODE.get(self.birth_commune)
        return {
            "commune": commune.latin if commune else "",
            "province": province.latin if province else "",
            "region": region.latin if region else "",
            "birth_place": birth.latin if birth else "",
        }


def raw_body(model: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra` documenting a JSON body the route parses itself (own error codes)."""
    schema = model.model_json_schema()
    definitions = schema.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return inline(definitions[ref.split("/")[-1]])
            return {key: inline(value) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(item) for item in node]
        return node

    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": inline(schema)}},
        }
    }
