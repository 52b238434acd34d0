// evil_op.mjs — a hostile OpenID Connect provider for the login tests: it
// serves a discovery document and a JWKS like any provider, and its token
// endpoint answers with an ID token broken in the way the test asked for
// (wrong nonce, expired, alg none, HS256 with the public key as secret, no
// auth_time or an old one, ...).
// The real provider (tools/oidc) covers the happy path; this one covers the
// attacks a well-behaved provider never makes. Node's own crypto only.
//
//   node evil_op.mjs PORT      then POST /control {"scenario", "nonce", "client_id", "sid"};
//   POST /logout_token gives a back-channel logout token built the same way.
import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import http from 'node:http';

const port = Number(process.argv[2]);
const issuer = `http://127.0.0.1:${port}`;
const good = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...good.publicKey.export({ format: 'jwk' }), kid: 'good', use: 'sig', alg: 'RS256' };
const publicPem = good.publicKey.export({ format: 'pem', type: 'spki' });

let control = { scenario: 'ok', nonce: '', client_id: '' };

const b64 = (x) => Buffer.from(typeof x === 'string' ? x : JSON.stringify(x)).toString('base64url');

// A synthetic identity number (month + 80) that nobody is registered with.
const PID = '01818010083';

function token() {
	const now = Math.floor(Date.now() / 1000);
	const s = control.scenario;
	const claims = {
		iss: s === 'wrong_iss' ? 'http://127.0.0.1:1' : issuer,
		aud: s === 'wrong_aud' ? 'someone-else' : control.client_id,
		sub: 'pairwise-subject',
		pid: s === 'bad_pid' ? '12345678901' : PID,
		acr: s === 'acr_substantial' ? 'idporten-loa-substantial' : 'idporten-loa-high',
		nonce: s === 'wrong_nonce' ? 'not-the-nonce' : control.nonce,
		iat: s === 'iat_future' ? now + 600 : now,
		exp: s === 'expired' ? now - 600 : now + 120,
		// When the person logged in: an hour ago is a single sign-on
		// session older than any fresh login asked for.
		auth_time: s === 'old_auth_time' ? now - 3600 : s === 'auth_time_future' ? now + 600 : now,
		sid: 'evil-sid',
	};
	if (s === 'no_pid') delete claims.pid;
	if (s === 'no_auth_time') delete claims.auth_time;
	const header = { alg: 'RS256', typ: 'JWT', kid: 'good' };
	if (s === 'unknown_kid') header.kid = 'nobody-knows-me';
	if (s === 'alg_none') header.alg = 'none';
	if (s === 'hs256') header.alg = 'HS256';
	const input = `${b64(header)}.${b64(claims)}`;
	let sig;
	if (s === 'alg_none') sig = '';
	else if (s === 'hs256') sig = createHmac('sha256', publicPem).update(input).digest('base64url');
	else if (s === 'other_key' || s === 'unknown_kid') sig = sign('sha256', Buffer.from(input), other.privateKey).toString('base64url');
	else sig = sign('sha256', Buffer.from(input), good.privateKey).toString('base64url');
	return `${input}.${sig}`;
}

// A back-channel logout token for control.sid, broken as control.scenario.
function logoutToken() {
	const now = Math.floor(Date.now() / 1000);
	const s = control.scenario;
	const claims = {
		iss: issuer,
		aud: s === 'wrong_aud' ? 'someone-else' : control.client_id,
		iat: now,
		exp: now + 120,
		jti: `jti-${now}-${Math.random()}`,
		sid: control.sid,
		events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
	};
	if (s === 'no_event') delete claims.events;
	if (s === 'with_nonce') claims.nonce = 'an-id-token-in-disguise';
	const header = { alg: s === 'alg_none' ? 'none' : 'RS256', typ: 'logout+jwt', kid: 'good' };
	const input = `${b64(header)}.${b64(claims)}`;
	let sig = '';
	if (s === 'other_key') sig = sign('sha256', Buffer.from(input), other.privateKey).toString('base64url');
	else if (s !== 'alg_none') sig = sign('sha256', Buffer.from(input), good.privateKey).toString('base64url');
	return `${input}.${sig}`;
}

function json(res, status, body) {
	res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
	res.end(JSON.stringify(body));
}

const server = http.createServer(async (req, res) => {
	let body = '';
	for await (const chunk of req) body += chunk;
	const path = req.url.split('?')[0];
	if (path === '/.well-known/openid-configuration') {
		return json(res, 200, {
			issuer,
			authorization_endpoint: `${issuer}/authorize`,
			token_endpoint: `${issuer}/token`,
			jwks_uri: `${issuer}/jwks`,
			end_session_endpoint: `${issuer}/logout`,
			id_token_signing_alg_values_supported: ['RS256'],
		});
	}
	if (path === '/jwks') return json(res, 200, { keys: [jwk] });
	if (path === '/control' && req.method === 'POST') {
		control = { ...control, ...JSON.parse(body) };
		return json(res, 200, { ok: true });
	}
	if (path === '/logout_token' && req.method === 'POST') return json(res, 200, { logout_token: logoutToken() });
	if (path === '/token' && req.method === 'POST') {
		if (!req.headers.authorization?.startsWith('Basic ')) return json(res, 401, { error: 'invalid_client' });
		const form = new URLSearchParams(body);
		if (form.get('grant_type') !== 'authorization_code' || !form.get('code_verifier')) {
			return json(res, 400, { error: 'invalid_request' });
		}
		return json(res, 200, { access_token: 'x', token_type: 'Bearer', expires_in: 60, id_token: token() });
	}
	json(res, 404, { error: 'not_found' });
});
server.listen(port, '127.0.0.1', () => console.log(`evil op on ${issuer}`));
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => server.close(() => process.exit(0)));
