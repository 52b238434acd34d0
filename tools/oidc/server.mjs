// server.mjs — a real OpenID Connect provider for development and tests,
// configured to behave like ID-porten: authorization code flow with PKCE
// (S256) required, RS256-signed ID tokens carrying `pid`, `acr` and
// `auth_time`, RP-initiated logout, and a fresh authentication when asked
// (max_age=0 or prompt=login: oidc-provider's login prompt, so this login
// page again even with a single sign-on session, and a new auth_time). Stafett talks to it only through its discovery
// document, exactly as to ID-porten. Never deploy this: anyone can log in as
// anyone by typing a (synthetic) identity number.
//
//   OIDC_CONFIG=file.json node tools/oidc/server.mjs
//
// file.json: { "issuer": "http://127.0.0.1:PORT", "port": PORT,
//   "clients": [{ client_id, client_secret, redirect_uris, post_logout_redirect_uris }],
//   "people": [{ "pid": "...", "name": "..." }] }
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.env.OIDC_CONFIG, 'utf8'));

// A fresh signing key per start; tests that need rotation restart the provider.
function signingKey(kid) {
	const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	return { ...privateKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' };
}

const provider = new Provider(config.issuer, {
	clients: config.clients.map((c) => ({
		token_endpoint_auth_method: 'client_secret_basic',
		grant_types: ['authorization_code'],
		response_types: ['code'],
		id_token_signed_response_alg: 'RS256',
		// Like ID-porten, put the session id (sid) in every ID token: it is
		// what front- and back-channel logout name.
		backchannel_logout_session_required: true,
		// Like ID-porten, say in every ID token when the person logged in
		// (auth_time): Stafett keeps it with the session and refuses a
		// token without it. oidc-provider adds it on its own only when
		// max_age or prompt=login was asked for.
		require_auth_time: true,
		...c,
	})),
	jwks: { keys: [signingKey(config.kid || 'stafett-dev-1')] },
	cookies: { keys: [randomBytes(32).toString('hex')] },
	acrValues: ['idporten-loa-substantial', 'idporten-loa-high'],
	claims: { openid: ['sub', 'pid'], pid: ['pid'] },
	conformIdTokenClaims: false,
	enabledJWA: { idTokenSigningAlgValues: ['RS256'] },
	pkce: { required: () => true },
	features: {
		devInteractions: { enabled: false },
		rpInitiatedLogout: { enabled: true },
		backchannelLogout: { enabled: true },
	},
	interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
	async findAccount(ctx, id) {
		return { accountId: id, claims: async () => ({ sub: id, pid: id }) };
	},
	ttl: { Session: 3600, Interaction: 600, AuthorizationCode: 60, IdToken: 600, Grant: 3600 },
});
provider.proxy = false;

const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body) {
	return `<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
		`<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>` +
		`<p><strong>Test-ID-porten</strong> (lokal utvikling, ikke ekte innlogging)</p>${body}</body></html>`;
}

async function readForm(req) {
	let body = '';
	for await (const chunk of req) {
		body += chunk;
		if (body.length > 10000) throw new Error('too large');
	}
	return new URLSearchParams(body);
}

// Login and consent in one step: the person types their identity number.
async function interaction(req, res, uid) {
	const details = await provider.interactionDetails(req, res);
	if (details.uid !== uid) throw new Error('interaction mismatch');
	const { prompt, params } = details;
	if (req.method === 'POST' || prompt.name === 'consent') {
		let accountId = details.session?.accountId;
		if (req.method === 'POST') {
			const form = await readForm(req);
			accountId = (form.get('pid') || '').trim();
			if (!/^\d{11}$/.test(accountId)) {
				res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
				return res.end(page('Feil', '<p>Skriv et fødselsnummer med 11 sifre.</p>'));
			}
		}
		const grant = new provider.Grant({ accountId, clientId: params.client_id });
		grant.addOIDCScope('openid');
		grant.addOIDCClaims(['pid']);
		const grantId = await grant.save();
		const result = { consent: { grantId } };
		if (prompt.name === 'login') {
			result.login = { accountId, acr: config.acr || 'idporten-loa-high', amr: ['TestID'] };
		}
		return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
	}
	const people = (config.people || [])
		.map((p) => `<li><code>${escapeHtml(p.pid)}</code> ${escapeHtml(p.name)}</li>`).join('');
	res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
	res.end(page('Logg inn', `<h1>Logg inn</h1>
<form method="post" action="/interaction/${escapeHtml(uid)}">
<label for="pid">Fødselsnummer</label>
<input id="pid" name="pid" inputmode="numeric" autocomplete="off" required>
<button type="submit">Logg inn</button>
</form>
<h2>Testpersoner</h2><ul>${people}</ul>`));
}

const callback = provider.callback();
const server = http.createServer(async (req, res) => {
	// RP-Initiated Logout by POST, as ID-porten takes it (Stafett never puts
	// the ID token in a URL). oidc-provider serves POST here only with
	// SameSite=None cookies, which browsers refuse on plain http; so this
	// development provider hands the posted form to its GET handler, inside
	// the server, where no browser history sees it.
	if (req.method === 'POST' && req.url === '/session/end') {
		try {
			const form = await readForm(req);
			req.method = 'GET';
			req.url = `/session/end?${form.toString()}`;
		} catch (e) {
			res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
			return res.end(`logout failed: ${e.message}\n`);
		}
		return callback(req, res);
	}
	const m = req.url.match(/^\/interaction\/([A-Za-z0-9_-]+)$/);
	if (!m) return callback(req, res);
	try {
		await interaction(req, res, m[1]);
	} catch (e) {
		res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
		res.end(`interaction failed: ${e.message}\n`);
	}
});
server.listen(config.port, '127.0.0.1', () => {
	console.log(`oidc provider on ${config.issuer}`);
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => server.close(() => process.exit(0)));
