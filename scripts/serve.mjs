// A small static file server (node:http) for the playground and the browser tests.
//   node scripts/serve.mjs [--port N] [--host H]     (npm run demo builds first, then runs this)
// Serves the repository's demo/ and dist/ folders (so demo/ can import ../dist/browser/wasm-mlp.js)
// on 127.0.0.1; "/" redirects to /demo/. Port: --port, else $PORT, else 8080; when that port is
// taken, any free port. Prints the URL. As `npm run demo` runs it, every response carries
// Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp: the page
// is cross-origin isolated, so it has SharedArrayBuffer and the playground's Worker runs threads.
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** the headers that make a page cross-origin isolated (crossOriginIsolated: SharedArrayBuffer, threads) */
export const ISOLATION_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

/**
 * Starts a static server over `root`, answering only for paths under the top-level folders in
 * `folders`. Resolves to { server, url, close() } once listening; port 0 means any free port, and
 * a busy port falls back to a free one when `fallback` is true. `isolated`: send ISOLATION_HEADERS
 * with every response.
 */
export function startServer({ root = repoRoot, folders = ['demo', 'dist'], host = '127.0.0.1', port = 0, fallback = true, isolated = false } = {}) {
  const base = path.resolve(root);
  const extra = isolated ? ISOLATION_HEADERS : {};
  const server = createServer((req, res) => {
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...extra, ...headers });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      return send(400, 'bad request\n');
    }
    if (pathname === '/') return send(302, '', { location: '/demo/' });
    const file = path.resolve(base, '.' + pathname);
    const top = path.relative(base, file).split(path.sep)[0];
    if (!file.startsWith(base + path.sep) || !folders.includes(top)) return send(404, 'not found\n');
    let target = file;
    let st;
    try {
      st = statSync(target);
      if (st.isDirectory()) {
        if (!pathname.endsWith('/')) return send(301, '', { location: pathname + '/' });
        target = path.join(target, 'index.html');
        st = statSync(target);
      }
    } catch {
      return send(404, 'not found\n');
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(target)] ?? 'application/octet-stream',
      'content-length': st.size,
      'cache-control': 'no-store',
      ...extra,
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(target).pipe(res);
  });
  return new Promise((resolve, reject) => {
    const listen = (p) => {
      server.once('error', (err) => {
        if (err.code === 'EADDRINUSE' && fallback && p !== 0) {
          console.error(`port ${p} is busy; using a free port`);
          listen(0);
        } else reject(err);
      });
      server.listen(p, host, () => {
        const { port: actual } = server.address();
        const shown = host === '127.0.0.1' ? 'localhost' : host;
        resolve({ server, url: `http://${shown}:${actual}/`, close: () => new Promise((r) => server.close(() => r())) });
      });
    };
    listen(port);
  });
}

function parsePort(value, from) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`serve: ${from} must be an integer port in 0..65535; got ${JSON.stringify(value)}`);
    process.exit(2);
  }
  return n;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let port = process.env.PORT !== undefined && process.env.PORT !== '' ? parsePort(process.env.PORT, 'PORT') : 8080;
  let host = '127.0.0.1';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--port') port = parsePort(args[++i], '--port');
    else if (a.startsWith('--port=')) port = parsePort(a.slice(7), '--port');
    else if (a === '--host') host = args[++i];
    else if (a.startsWith('--host=')) host = a.slice(7);
    else {
      console.error(`serve: unknown argument ${JSON.stringify(a)}; usage: node scripts/serve.mjs [--port N] [--host H]`);
      process.exit(2);
    }
  }
  const { url } = await startServer({ host, port, isolated: true });
  console.log(`wasm-mlp playground: ${url}demo/   (Ctrl+C to stop)`);
}
