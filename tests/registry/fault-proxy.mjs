// An HTTP proxy in front of a test registry that injects one failure per rule,
// so the registry client's retries and resumes meet real registry state.
//
// Arguments: --target=127.0.0.1:PORT, --rules=JSON, --log= (one line per
// request: "METHOD path"), --port-file= (written once listening on 127.0.0.1).
// A rule: {"method": "PATCH", "path": "regex", "nth": 2, "action": ..., ...}
// fires once, on the nth matching request. Actions:
//   status         answer `status` (with `retryAfter` seconds if given) without forwarding
//   reset          drop the connection before forwarding anything
//   lose-response  forward, let the registry act, then drop the connection instead of answering
//   truncate       forward, relay headers and the first `bytes` of the body, then drop the connection
//   redirect       answer 307 to `location`
//   hold           forward only once the file `until` exists (a slow upstream the test releases)
import fs from 'node:fs';
import http from 'node:http';

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const eq = a.indexOf('=');
    return [a.slice(2, eq), a.slice(eq + 1)];
  }),
);
const [targetHost, targetPort] = args.target.split(':');
const rules = JSON.parse(args.rules || '[]').map((r) => ({ ...r, seen: 0, regex: new RegExp(r.path || '') }));

// Every matching rule counts the request; the first whose turn it is fires.
function matchingRule(req) {
  let firing = null;
  for (const rule of rules) {
    if (rule.method && rule.method !== req.method) continue;
    if (!rule.regex.test(req.url)) continue;
    rule.seen += 1;
    if (!firing && rule.seen === (rule.nth || 1)) firing = rule;
  }
  return firing;
}

function forward(req, onResponse) {
  const upstream = http.request(
    { host: targetHost, port: Number(targetPort), method: req.method, path: req.url, headers: req.headers },
    onResponse,
  );
  upstream.on('error', () => req.socket.destroy());
  req.pipe(upstream);
}

const server = http.createServer((req, res) => {
  fs.appendFileSync(args.log, `${req.method} ${req.url}${req.headers.authorization ? ' [authorization]' : ''}\n`);
  const rule = matchingRule(req);
  const action = rule ? rule.action : 'forward';
  if (action === 'hold') {
    req.pause();
    const waiting = setInterval(() => {
      if (!fs.existsSync(rule.until)) return;
      clearInterval(waiting);
      forward(req, (upstream) => {
        res.writeHead(upstream.statusCode, upstream.headers);
        upstream.pipe(res);
      });
      req.resume();
    }, 20);
  } else if (action === 'redirect') {
    req.resume();
    res.writeHead(307, { Location: rule.location, 'Content-Length': '0' });
    res.end();
  } else if (action === 'reset') {
    req.socket.destroy();
  } else if (action === 'status') {
    req.resume();
    req.on('end', () => {
      const headers = { 'Content-Type': 'application/json' };
      if (rule.retryAfter !== undefined) headers['Retry-After'] = String(rule.retryAfter);
      res.writeHead(rule.status, headers);
      res.end(JSON.stringify({ errors: [{ code: 'INJECTED', message: `injected ${rule.status}` }] }));
    });
  } else if (action === 'lose-response') {
    forward(req, (upstream) => {
      upstream.resume();
      upstream.on('end', () => req.socket.destroy());
    });
  } else if (action === 'truncate') {
    forward(req, (upstream) => {
      res.writeHead(upstream.statusCode, upstream.headers);
      let left = rule.bytes;
      upstream.on('data', (piece) => {
        if (left <= 0) return;
        res.write(piece.subarray(0, left));
        left -= piece.length;
        if (left <= 0) {
          upstream.destroy();
          // Let the bytes written so far reach the client before the connection drops.
          setTimeout(() => req.socket.destroy(), 50);
        }
      });
      upstream.on('end', () => res.end());
    });
  } else {
    forward(req, (upstream) => {
      res.writeHead(upstream.statusCode, upstream.headers);
      upstream.pipe(res);
    });
  }
});

server.listen(0, '127.0.0.1', () => {
  const tmp = `${args['port-file']}.tmp`;
  fs.writeFileSync(tmp, String(server.address().port));
  fs.renameSync(tmp, args['port-file']);
});
process.on('SIGTERM', () => process.exit(0));
