// A certified relying party (openid-client 6, panva) against a running Idara provider.
// FAPI 2.0 style: discovery, PAR with DPoP, code flow with PKCE, private_key_jwt,
// ID token validation, userinfo, refresh, RP-initiated logout.
// Protocol with the Python test: it reads JSON lines on stdin and writes JSON lines on stdout.
//   argv: issuer clientId privateJwkFile redirectUri postLogoutUri
//   out {"authorize": url}  in {"callback": url}  out {"result": {...}}
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import * as client from "openid-client";

const [issuer, clientId, jwkFile, redirectUri, postLogoutUri] = process.argv.slice(2);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const send = (value) => process.stdout.write(JSON.stringify(value) + "\n");
const receive = async () => JSON.parse((await lines.next()).value);

const jwk = JSON.parse(readFileSync(jwkFile, "utf8"));
const privateKey = await crypto.subtle.importKey(
  "jwk", jwk, { name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);

const config = await client.discovery(
  new URL(issuer),
  clientId,
  {
    id_token_signed_response_alg: "ES256",
    token_endpoint_auth_method: "private_key_jwt",
    redirect_uris: [redirectUri],
  },
  client.PrivateKeyJwt({ key: privateKey, kid: jwk.kid }),
  { execute: [client.allowInsecureRequests] }, // the test server listens on http://127.0.0.1
);
const dpop = client.getDPoPHandle(config, await client.randomDPoPKeyPair("ES256"));

const verifier = client.randomPKCECodeVerifier();
const state = client.randomState();
const nonce = client.randomNonce();
const url = await client.buildAuthorizationUrlWithPAR(
  config,
  {
    redirect_uri: redirectUri,
    scope: "openid profile birth",
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
    acr_values: "urn:idara:loa:high",
  },
  { DPoP: dpop },
);
send({ authorize: url.href });

const { callback } = await receive();
const tokens = await client.authorizationCodeGrant(
  config,
  new URL(callback),
  { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true },
  undefined,
  { DPoP: dpop },
);
const claims = tokens.claims();
const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub, { DPoP: dpop });
const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token, undefined, { DPoP: dpop });
const logout = client.buildEndSessionUrl(config, {
  id_token_hint: refreshed.id_token ?? tokens.id_token,
  post_logout_redirect_uri: postLogoutUri,
  state: "bye",
});
send({
  result: {
    token_type: tokens.token_type,
    acr: claims.acr,
    amr: claims.amr,
    sub: claims.sub,
    userinfo: info,
    refreshed: refreshed.access_token !== tokens.access_token,
    refresh_rotated: refreshed.refresh_token !== tokens.refresh_token,
    logout: logout.href,
  },
});
process.exit(0);
