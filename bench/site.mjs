// The bench site's server: bench/.build/site on one localhost port, in two ways.
//   /<path>              Cache-Control: no-store, as tests/support/static.mjs serves it: every
//                        load is a first visit (b, c, d and the rest).
//   /warm/<tag>/<path>   the same file, the scripts and the wasm with
//                        `Cache-Control: public, max-age=31536000, immutable` (what a build's
//                        hashed assets get), the page itself `no-cache`: the returning visitor
//                        (figure b2). A new <tag> per run and library gives URLs that nothing
//                        has cached yet, so each run's first load is a cold one.
// One origin for both, so the pages' redirectUri (`<origin>/<library>/`) is on the page's
// origin wherever it is loaded from (spa-oauth's constructor refuses anything else).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

import { closer, listen } from '../tests/support/listen.mjs';

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
};
const WARM = /^\/warm\/[A-Za-z0-9-]+(\/.*)$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The file under `dir` for a URL path, or null (outside `dir`, encoded oddities). */
async function fileFor(dir, path) {
  let decoded;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').includes('..')) return null;
  let file = resolve(join(dir, decoded));
  if (file !== dir && !file.startsWith(dir + sep)) return null;
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory()) {
    file = join(file, 'index.html');
    info = await stat(file).catch(() => null);
  }
  return info?.isFile() ? { file, size: info.size } : null;
}

/** Serves `dir`; resolves `{ origin, warmUrl(tag, path), close() }`. */
export async function startSite(dir) {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url, 'http://localhost');
    const warm = pathname.match(WARM);
    const found = (req.method === 'GET' || req.method === 'HEAD') && await fileFor(root, warm ? warm[1] : pathname);
    if (!found) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end('Not Found\n');
      return;
    }
    const type = extname(found.file).toLowerCase();
    res.writeHead(200, {
      'Content-Type': MIME_TYPES[type] ?? 'application/octet-stream',
      'Content-Length': found.size,
      'Cache-Control': !warm ? 'no-store' : type === '.html' ? 'no-cache' : IMMUTABLE,
      'X-Content-Type-Options': 'nosniff',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(found.file).on('error', () => res.destroy()).pipe(res);
  });
  const origin = `http://localhost:${await listen(server, 0)}`;
  return {
    origin,
    warmUrl: (tag, path) => `${origin}/warm/${tag}${path}`,
    close: closer(server),
  };
}
