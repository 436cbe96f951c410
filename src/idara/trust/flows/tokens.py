"""The token endpoint (RFC 6749 §4.1.3, §6; OpenID Connect Core §3.1.3) and userinfo (§5.3).

Grant types: authorization_code (PKCE verified, RFC 7636 §4.6; DPoP-bound when the client
sent a proof, RFC 9449 §5 and §10), refresh_token (rotated, reuse revokes the grant) and
client_credentials (the identity-verification API only). Every release of claims, in an ID
token or a userinfo response, is recorded for the citizen and in the audit log.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from idara.identity.models import Person
from idara.trust import claims, clients, consent, dpop, grants, id_token, loa, pkce, userinfo
from idara.trust.exceptions import OAuthError, invalid_token
from idara.trust.flows.context import TrustCtx
from idara.trust.models import Client, Grant


@dataclass(frozen=True, slots=True)
class Answer:
    """A JSON body and the headers to send with it."""

    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


def _proof(
    ctx: TrustCtx, client: Client, headers: list[str], *, url: str, required: bool
) -> dpop.Proof | None:
    if not headers:
        if required:
            raise OAuthError("invalid_dpop_proof", "this client must send a DPoP proof")
        return None
    return dpop.verify(ctx.db, headers, method="POST", url=url, settings=ctx.trust, now=ctx.now)


def _release(ctx: TrustCtx, grant: Grant, names: list[str], channel: str) -> None:
    if grant.person_id is None or not names:
        return
    consent.record_release(
        ctx.db,
        person_id=grant.person_id,
        client_id=grant.client_id,
        channel=channel,
        claims=names,
        consent_reference=grant.claims.get("consent"),
        now=ctx.now,
    )
    ctx.record(
        "trust.claims_released",
        target_type="client",
        target_id=grant.client_id,
        details={"channel": channel, "claims": names, "grant": grant.grant_id},
    )


def _id_token(ctx: TrustCtx, client: Client, grant: Grant, *, nonce: str | None) -> str:
    names = list(grant.claims.get("id_token", []))
    extra: dict[str, Any] = {}
    if names and grant.person_id is not None:
        person = ctx.db.get(Person, grant.person_id)
        if person is not None:
            extra = claims.values(person, names)
    token_claims = id_token.build(
        issuer=ctx.issuer,
        client_id=client.client_id,
        sub=grant.sub or "",
        nonce=nonce,
        acr=loa.PREFIX + grant.acr if grant.acr else None,
        amr=list(grant.amr),
        auth_time=grant.auth_time,
        sid=grant.sid,
        extra=extra,
        now=ctx.now,
        ttl_s=client.id_token_ttl_s,
    )
    _release(ctx, grant, sorted(extra), "id_token")
    return id_token.sign(ctx.db, token_claims, ctx.trust, now=ctx.now)


def _tokens(
    ctx: TrustCtx, client: Client, grant: Grant, proof: dpop.Proof | None, *, nonce: str | None
) -> dict[str, Any]:
    issued = grants.issue(
        ctx.db,
        grant,
        jkt=proof.jkt if proof else None,
        access_ttl_s=client.access_token_ttl_s,
        refresh_ttl_s=client.refresh_token_ttl_s,
        now=ctx.now,
    )
    body: dict[str, Any] = {
        "access_token": issued.access_token,
        "token_type": "DPoP" if proof else "Bearer",
        "expires_in": issued.access_expires_in,
        "scope": grant.scope,
    }
    if issued.refresh_token:
        body["refresh_token"] = issued.refresh_token
    if grant.person_id is not None and "openid" in grant.scope.split():
        body["id_token"] = _id_token(ctx, client, grant, nonce=nonce)
    return body


def token(
    ctx: TrustCtx, client: Client, form: Mapping[str, str], *, dpop_headers: list[str], url: str
) -> Answer:
    """Answer a token request of an authenticated client."""
    grant_type = form.get("grant_type")
    if grant_type not in ("authorization_code", "refresh_token", "client_credentials"):
        raise OAuthError("unsupported_grant_type", "grant_type not supported")
    proof = _proof(ctx, client, dpop_headers, url=url, required=client.require_dpop)
    headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
    if proof is not None:
        headers["DPoP-Nonce"] = dpop.nonce(ctx.trust, ctx.now)
    if grant_type == "authorization_code":
        grant = grants.redeem_code(
            ctx.db, form.get("code", ""), client_id=client.client_id, now=ctx.now
        )
        if form.get("redirect_uri") != grant.redirect_uri:
            raise OAuthError("invalid_grant", "redirect_uri does not match the authorization")
        if not pkce.verify(form.get("code_verifier"), grant.code_challenge or ""):
            raise OAuthError("invalid_grant", "PKCE code_verifier does not match")
        if grant.dpop_jkt and (proof is None or proof.jkt != grant.dpop_jkt):
            raise OAuthError("invalid_grant", "the code is bound to another DPoP key")
        body = _tokens(ctx, client, grant, proof, nonce=grant.nonce)
    elif grant_type == "refresh_token":
        _old, grant = grants.use_refresh(
            ctx.db, form.get("refresh_token", ""), client_id=client.client_id, now=ctx.now
        )
        body = _tokens(ctx, client, grant, proof, nonce=None)
    else:
        requested = set((form.get("scope") or claims.VERIFICATION_SCOPE).split())
        if claims.VERIFICATION_SCOPE not in client.scopes or requested != {
            claims.VERIFICATION_SCOPE
        }:
            raise OAuthError(
                "unauthorized_client", "client credentials only for identity verification"
            )
        grant = grants.new_grant(
            ctx.db,
            client_id=client.client_id,
            person_id=None,
            sub=None,
            scope=[claims.VERIFICATION_SCOPE],
            claims={},
            now=ctx.now,
        )
        body = _tokens(ctx, client, grant, proof, nonce=None)
    # The grant and token rows are the record of issuance; releases are audited above.
    return Answer(body=body, headers=headers)


@dataclass(frozen=True, slots=True)
class Presented:
    """An access token as the request carried it."""

    value: str
    scheme: str  # "Bearer" or "DPoP"


def bearer_of(authorization: str | None, form: Mapping[str, str]) -> Presented | None:
    """The access token from the Authorization header (RFC 6750 §2.1, RFC 9449 §7.1) or body."""
    if authorization:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() in ("bearer", "dpop") and value.strip():
            return Presented(value.strip(), "DPoP" if scheme.lower() == "dpop" else "Bearer")
        return None
    in_body = form.get("access_token")
    return Presented(in_body, "Bearer") if in_body else None


@dataclass(frozen=True, slots=True)
class Checked:
    """A valid access token's grant and client."""

    grant: Grant
    client: Client


def check_access_token(
    ctx: TrustCtx, presented: Presented | None, *, dpop_headers: list[str], method: str, url: str
) -> Checked:
    """The grant behind a valid access token, its DPoP binding checked (RFC 9449 §7)."""
    if presented is None:
        raise invalid_token("access token required")
    found = grants.lookup(ctx.db, presented.value)
    if found is None or found[0].kind != grants.ACCESS or not grants.is_active(*found, now=ctx.now):
        raise invalid_token("access token invalid or expired", scheme=presented.scheme)
    token_row, grant = found
    if token_row.jkt is not None:
        if presented.scheme != "DPoP":
            raise invalid_token("this token is bound to a DPoP key", scheme="DPoP")
        proof = dpop.verify(
            ctx.db,
            dpop_headers,
            method=method,
            url=url,
            settings=ctx.trust,
            now=ctx.now,
            access_token=presented.value,
        )
        if proof.jkt != token_row.jkt:
            raise invalid_token("DPoP key does not match the token", scheme="DPoP")
    client = clients.get(ctx.db, client_id=grant.client_id)
    if client is None or client.status != clients.ACTIVE:
        raise invalid_token("client no longer active", scheme=presented.scheme)
    return Checked(grant=grant, client=client)


def userinfo_response(ctx: TrustCtx, grant: Grant, client: Client) -> tuple[str, str]:
    """The userinfo body and content type for a checked access token."""
    if grant.person_id is None or "openid" not in grant.scope.split():
        raise OAuthError("insufficient_scope", "this token carries no identity", status=403)
    person = ctx.db.get(Person, grant.person_id)
    if person is None:
        raise invalid_token("unknown subject")
    names = [n for n in grant.claims.get("userinfo", []) if n != "sub"]
    values = {"sub": grant.sub, **claims.values(person, names)}
    _release(ctx, grant, sorted(k for k in values if k != "sub"), "userinfo")
    return userinfo.render(
        ctx.db, client, values, issuer=ctx.issuer, settings=ctx.trust, now=ctx.now
    )
