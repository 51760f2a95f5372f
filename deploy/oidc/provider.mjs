// Utviklings-OIDC-leverandør for helsetilbud. KUN for utvikling og tester, aldri i produksjon.
//
// Bruker npm-pakken oidc-provider (sertifisert) til all protokoll- og tokenhåndtering; denne fila
// legger bare til brukerliste, en norsk innloggingsside og automatisk samtykke.
//
// Installer:  npm ci --prefix deploy/oidc
// Kjør:       node deploy/oidc/provider.mjs --port PORT --users USERS.json \
//               --client-id ID --client-secret SECRET --redirect-uri URI \
//               [--post-logout-redirect-uri URI]
//
//   --port                      lytter på 127.0.0.1:PORT; utsteder (issuer) er http://127.0.0.1:PORT
//   --users                     JSON-liste: [{"login": "1000001", "name": "Kari Nordmann",
//                               "role": "fastlege", "hpr": "1000001"}, ...]. Passordet er "demo"
//                               med mindre oppføringen har "password".
//   --client-id/--client-secret den ene klienten (mod_auth_openidc i Apache)
//   --redirect-uri              klientens redirect-URI (kan gjentas)
//   --post-logout-redirect-uri  tillatt adresse etter utlogging (kan gjentas); standard er
//                               opprinnelsen til første redirect-URI + "/"
//
// Skriver «OIDC-leverandør klar på http://127.0.0.1:PORT» på stdout når den tar imot forespørsler.
//
// Påstander (claims) som i HelseID: sub = login, name, preferred_username = login, og for
// helsepersonell med HPR-nummer «helseid://claims/hpr/hpr_number» (bak scopet
// «helseid://scopes/identity/hpr_number»). Påstandene legges også i id_token
// (conformIdTokenClaims: false), slik at mod_auth_openidc ser dem uten userinfo-kallet.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

import Provider from 'oidc-provider';

const HPR_SCOPE = 'helseid://scopes/identity/hpr_number';
const HPR_CLAIM = 'helseid://claims/hpr/hpr_number';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string' },
    users: { type: 'string' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    'redirect-uri': { type: 'string', multiple: true },
    'post-logout-redirect-uri': { type: 'string', multiple: true },
  },
});
for (const name of ['port', 'users', 'client-id', 'client-secret', 'redirect-uri']) {
  if (!args[name]) {
    console.error(`Mangler --${name}. Se bruksanvisningen øverst i provider.mjs.`);
    process.exit(2);
  }
}

const port = Number(args.port);
const issuer = `http://127.0.0.1:${port}`;
const users = new Map(
  JSON.parse(readFileSync(args.users, 'utf8')).map((user) => [String(user.login), user]),
);
const redirectUris = args['redirect-uri'];
const postLogoutRedirectUris = args['post-logout-redirect-uri']
  ?? [`${new URL(redirectUris[0]).origin}/`];

function accountClaims(user) {
  const claims = { sub: String(user.login), name: user.name, preferred_username: String(user.login) };
  if (user.hpr) claims[HPR_CLAIM] = String(user.hpr);
  return claims;
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
  body { font-family: system-ui, sans-serif; background: #f4f4f4; color: #1a1a1a; margin: 0; }
  main { max-width: 24rem; margin: 3rem auto; background: #fff; padding: 1.5rem 2rem;
         border: 1px solid #767676; border-radius: 4px; }
  h1 { font-size: 1.4rem; margin-top: 0; }
  label { display: block; font-weight: 600; margin-top: 1rem; }
  input { display: block; width: 100%; box-sizing: border-box; font-size: 1rem; padding: .5rem;
          margin-top: .25rem; border: 1px solid #1a1a1a; border-radius: 3px; }
  input:focus, button:focus { outline: 3px solid #005fcc; outline-offset: 2px; }
  button { margin-top: 1.5rem; font: inherit; padding: .6rem 1.2rem; background: #00457d;
           color: #fff; border: 0; border-radius: 3px; cursor: pointer; }
  .feil { background: #fde8e8; color: #7a0000; border: 1px solid #7a0000; padding: .5rem .75rem;
          border-radius: 3px; }
  .merknad { color: #444; font-size: .9rem; }`;

function page(title, body) {
  return `<!DOCTYPE html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

function loginPage(uid, { error = '', login = '' } = {}) {
  const alert = error ? `<p class="feil" role="alert">${escapeHtml(error)}</p>` : '';
  return page('Logg inn (utviklingsinnlogging)', `<h1>Logg inn (utviklingsinnlogging)</h1>
<p class="merknad">Dette er en lokal innlogging for utvikling og tester, ikke HelseID.</p>
${alert}
<form method="post" action="/interaction/${escapeHtml(uid)}/login" autocomplete="off">
  <label for="login">Brukernavn eller HPR-nummer</label>
  <input id="login" name="login" value="${escapeHtml(login)}" required autofocus>
  <label for="password">Passord</label>
  <input id="password" name="password" type="password" required>
  <button type="submit">Logg inn</button>
</form>`);
}

const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });

const provider = new Provider(issuer, {
  clients: [{
    client_id: args['client-id'],
    client_secret: args['client-secret'],
    redirect_uris: redirectUris,
    post_logout_redirect_uris: postLogoutRedirectUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  jwks: { keys: [{ ...jwk, use: 'sig', kid: 'dev' }] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username'],
    [HPR_SCOPE]: [HPR_CLAIM],
  },
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource(ctx, form) {
        ctx.body = page('Logg ut', `<h1>Vil du logge ut?</h1>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Ja, logg ut</button>
<button type="submit" form="op.logoutForm">Nei, forbli innlogget</button>`);
      },
      postLogoutSuccessSource(ctx) {
        ctx.body = page('Logget ut', '<h1>Du er logget ut</h1>');
      },
    },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const user = users.get(String(sub));
    if (!user) return undefined;
    return { accountId: String(user.login), claims: async () => accountClaims(user) };
  },
  async renderError(ctx, out) {
    ctx.type = 'html';
    const details = Object.entries(out)
      .map(([key, value]) => `<li><code>${escapeHtml(key)}</code>: ${escapeHtml(value)}</li>`)
      .join('');
    ctx.body = page('Feil ved innlogging', `<h1>Feil ved innlogging</h1>
<p role="alert">Innloggingen kunne ikke fullføres.</p><ul>${details}</ul>`);
  },
});

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function sendHtml(res, status, html) {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(html);
}

// Samtykke gis automatisk: alt klienten ba om, innvilges.
async function grantConsent(details) {
  const { prompt: { details: missing }, params, session } = details;
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  return { consent: { grantId: await grant.save() } };
}

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const { uid, prompt } = details;
  if (req.method === 'GET' && prompt.name === 'login') {
    return sendHtml(res, 200, loginPage(uid));
  }
  if (req.method === 'GET' && prompt.name === 'consent') {
    return provider.interactionFinished(req, res, await grantConsent(details), {
      mergeWithLastSubmission: true,
    });
  }
  if (req.method === 'POST' && req.url.endsWith('/login') && prompt.name === 'login') {
    const form = await readForm(req);
    const login = (form.get('login') ?? '').trim();
    const user = users.get(login);
    if (!user || form.get('password') !== (user.password ?? 'demo')) {
      return sendHtml(res, 401, loginPage(uid, { error: 'Feil brukernavn eller passord.', login }));
    }
    return provider.interactionFinished(req, res, { login: { accountId: String(user.login) } }, {
      mergeWithLastSubmission: false,
    });
  }
  return sendHtml(res, 400, page('Ugyldig forespørsel', '<h1>Ugyldig forespørsel</h1>'));
}

const oidc = provider.callback();
const server = createServer((req, res) => {
  if (!req.url.startsWith('/interaction/')) return oidc(req, res);
  return interaction(req, res).catch((err) => {
    console.error(err);
    if (!res.headersSent) {
      sendHtml(res, 400, page('Feil ved innlogging', `<h1>Feil ved innlogging</h1>
<p role="alert">Innloggingsøkten er utløpt eller ugyldig. Gå tilbake og prøv igjen.</p>`));
    }
  });
});
server.listen(port, '127.0.0.1', () => {
  console.log(`OIDC-leverandør klar på ${issuer}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
