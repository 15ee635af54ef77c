// A Docker token issuer for tests, speaking what distribution's `auth.token`
// expects: GET /token?service=&scope=... with Basic credentials answers
// {"token", "expires_in", "issued_at"}, an ES256 JWT whose header carries the
// signing certificate as `x5c` (trusted through the registry's rootcertbundle)
// and whose `access` claim grants the actions asked for. No npm packages.
//
// Arguments: --key= --cert= (PEM), --issuer=, --username=, --password=,
// --log= (one line per token issued: its scopes, space separated),
// --port-file= (written once listening on 127.0.0.1, port chosen by the system).
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const eq = a.indexOf('=');
    return [a.slice(2, eq), a.slice(eq + 1)];
  }),
);
const key = crypto.createPrivateKey(fs.readFileSync(args.key));
const certificate = new crypto.X509Certificate(fs.readFileSync(args.cert)).raw.toString('base64');
const b64url = (data) => Buffer.from(data).toString('base64url');

// "repository:host:5000/a/b:pull,push": the name may hold colons, the actions follow the last one.
function parseScope(scope) {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first < 0 || last === first) return null;
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions: scope.slice(last + 1).split(',').filter(Boolean) };
}

function deny(res, status, code, message) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ errors: [{ code, message }] }));
}

function sign(claims) {
  const header = { typ: 'JWT', alg: 'ES256', x5c: [certificate] };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = crypto.sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${b64url(signature)}`;
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (req.method !== 'GET' || url.pathname !== '/token') return deny(res, 404, 'NOT_FOUND', 'no such endpoint');

  let subject = '';
  const authorization = req.headers.authorization || '';
  if (authorization) {
    const [scheme, value] = authorization.split(' ');
    const pair = scheme.toLowerCase() === 'basic' ? Buffer.from(value || '', 'base64').toString() : '';
    if (pair !== `${args.username}:${args.password}`) return deny(res, 401, 'UNAUTHORIZED', 'invalid username or password');
    subject = args.username;
  }

  const scopes = url.searchParams.getAll('scope').flatMap((s) => s.split(' ')).filter(Boolean);
  // Anonymous callers get a token without access, as public registries do.
  const access = subject ? scopes.map(parseScope).filter(Boolean) : [];
  fs.appendFileSync(args.log, `${scopes.join(' ')}\n`);

  const now = Math.floor(Date.now() / 1000);
  const token = sign({
    iss: args.issuer,
    sub: subject,
    aud: url.searchParams.get('service') || '',
    exp: now + 300,
    nbf: now - 10,
    iat: now,
    jti: crypto.randomBytes(16).toString('hex'),
    access,
  });
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ token, expires_in: 300, issued_at: new Date(now * 1000).toISOString() }));
});

server.listen(0, '127.0.0.1', () => {
  const tmp = `${args['port-file']}.tmp`;
  fs.writeFileSync(tmp, String(server.address().port));
  fs.renameSync(tmp, args['port-file']);
});
process.on('SIGTERM', () => process.exit(0));
