// panva's oidc-provider (OpenID Certified) set up for the same code flow as the Idara benchmark:
// authorization code + PKCE S256, private_key_jwt (ES256), ES256 ID tokens, userinfo,
// a remembered consent (an existing grant is reused), client credentials for the token
// endpoint figure. The login is an interaction that accepts the account id it is given (no
// card signature: Idara's login also verifies a Web eID token, which this one does not).
// Storage is oidc-provider's in-memory adapter. Listens on 127.0.0.1 only.
//   node oidc_provider_server.mjs PORT CLIENT_JWKS_FILE PROVIDER_JWK_FILE
import { readFileSync } from "node:fs";
import http from "node:http";
import Provider from "oidc-provider";

const [port, clientJwksFile, providerJwkFile] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: "bench",
      token_endpoint_auth_method: "private_key_jwt",
      token_endpoint_auth_signing_alg: "ES256",
      jwks: JSON.parse(readFileSync(clientJwksFile, "utf8")),
      redirect_uris: ["http://127.0.0.1:9/callback"],
      grant_types: ["authorization_code", "client_credentials"],
      response_types: ["code"],
      id_token_signed_response_alg: "ES256",
      scope: "openid profile",
    },
  ],
  jwks: { keys: [JSON.parse(readFileSync(providerJwkFile, "utf8"))] },
  pkce: { required: () => true },
  features: { clientCredentials: { enabled: true }, devInteractions: { enabled: false } },
  claims: { openid: ["sub"], profile: ["given_name", "family_name", "birthdate"] },
  scopes: ["openid", "profile"],
  cookies: { keys: ["benchmark-cookie-key-not-a-secret"] },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: async (ctx, id) => ({
    accountId: id,
    claims: async () => ({ sub: id, given_name: "Amina", family_name: "Alaoui", birthdate: "1990-05-17" }),
  }),
  loadExistingGrant: async (ctx) => {
    // The remembered consent: reuse the session's grant, or record one without asking.
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid profile");
    await grant.save();
    return grant;
  },
});

const callback = provider.callback();
http
  .createServer(async (req, res) => {
    if (req.url === "/healthz") {
      res.end("ok");
      return;
    }
    if (req.method === "POST" && req.url.startsWith("/interaction/")) {
      let body = "";
      for await (const chunk of req) body += chunk;
      const account = new URLSearchParams(body).get("account");
      await provider.interactionFinished(req, res, { login: { accountId: account } }, {
        mergeWithLastSubmission: false,
      });
      return;
    }
    callback(req, res);
  })
  .listen(Number(port), "127.0.0.1");
