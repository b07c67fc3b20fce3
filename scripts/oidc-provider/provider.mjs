// A real OpenID provider for Nansen's tests (panva's oidc-provider, an OpenID-certified
// implementation), started on loopback by the test that needs it. Only the sign-in screen is
// ours: a form that names the account, as a ministry's provider would after a password and a
// second factor. Consent is granted to the registered clients (first-party, as ProConnect's).
//
// Settings (environment):
//   OIDC_PORT      the port to listen on (0: any; the chosen one is printed)
//   OIDC_CLIENTS   JSON array of clients: [{ client_id, client_secret, redirect_uris, post_logout_redirect_uris }]
//   OIDC_ACCOUNTS  JSON object: { "<sub>": { email, email_verified, preferred_username, name } }
// Prints one line `listening <issuer>` when ready. Its signing key is new at every start, so a
// restart on the same port is a key rotation.

import http from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

const clients = JSON.parse(process.env.OIDC_CLIENTS ?? '[]');
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS ?? '{}');

const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
key.kid = randomBytes(8).toString('hex');
key.use = 'sig';
key.alg = 'RS256';

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const server = http.createServer();
await new Promise((resolve) => server.listen(Number(process.env.OIDC_PORT ?? 0), '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: clients.map((c) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    ...c,
  })),
  jwks: { keys: [key] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['preferred_username', 'name'],
  },
  scopes: ['openid', 'email', 'profile'],
  pkce: { required: () => true },
  ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      // The provider asks before ending its session (no fonts fetched from elsewhere).
      async logoutSource(ctx, form) {
        ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign out</title></head>
<body><main><h1>Sign out of the test identity provider?</h1>${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
</main></body></html>`;
      },
    },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const claims = accounts[sub];
    if (!claims) return undefined;
    return { accountId: sub, async claims() { return { sub, ...claims }; } };
  },
  // First-party clients: what they ask for is granted without a consent screen.
  async loadExistingGrant(ctx) {
    const id = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (id) return ctx.oidc.provider.Grant.find(id);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});
// Loopback over plain HTTP: the provider runs behind no proxy.
provider.proxy = false;

const readForm = (req) =>
  new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });

const callback = provider.callback();
server.on('request', async (req, res) => {
  const path = new URL(req.url, issuer).pathname;
  if (!path.startsWith('/interaction/')) return callback(req, res);
  try {
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'POST') {
      const form = await readForm(req);
      const login = form.get('login') ?? '';
      if (!accounts[login]) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(page(details.uid, `Unknown account ${escape(login)}`));
      }
      return provider.interactionFinished(
        req, res,
        { login: { accountId: login, amr: ['pwd'], ts: Math.floor(Date.now() / 1000) } },
        { mergeWithLastSubmission: false },
      );
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    return res.end(page(details.uid, ''));
  } catch (e) {
    res.writeHead(400, { 'content-type': 'text/plain' });
    return res.end(String(e));
  }
});

function page(uid, error) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head>
<body><main><h1>Test identity provider</h1>${error ? `<p role="alert">${error}</p>` : ''}
<form method="post" action="/interaction/${uid}">
<label for="login">Account</label> <input id="login" name="login" autocomplete="username">
<button type="submit">Sign in</button></form></main></body></html>`;
}

console.log(`listening ${issuer}`);
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
