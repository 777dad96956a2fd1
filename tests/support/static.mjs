// A tiny static file server for the demo page and the wasm package (node:http, no deps).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, isAbsolute, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import { closer, listen } from './listen.mjs';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

/** Mount prefixes ('/', '/pkg/') to absolute directories, longest prefix first. */
function normalizeMounts(mounts, root) {
  return Object.entries(mounts)
    .map(([prefix, dir]) => {
      const withSlash = prefix.endsWith('/') ? prefix : `${prefix}/`;
      return [withSlash, isAbsolute(dir) ? dir : resolve(root, dir)];
    })
    .sort(([a], [b]) => b.length - a.length);
}

/** The file a URL path maps to, or null when it maps to nothing or escapes its mount. */
function resolvePath(mounts, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  if (decoded.split('/').some((segment) => segment === '..')) return null;

  for (const [prefix, dir] of mounts) {
    if (!decoded.startsWith(prefix)) continue;
    const file = resolve(join(dir, decoded.slice(prefix.length)));
    return file === dir || file.startsWith(dir + sep) ? file : null;
  }
  return null;
}

async function findFile(file) {
  const info = await stat(file).catch(() => null);
  if (info?.isFile()) return { file, size: info.size };
  if (info?.isDirectory()) return findFile(join(file, 'index.html'));
  return null;
}

function send(res, status, text, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

function handler(mounts) {
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'Method Not Allowed\n', { Allow: 'GET, HEAD' });
      return;
    }
    const { pathname } = new URL(req.url, 'http://localhost');
    const path = resolvePath(mounts, pathname);
    const found = path && await findFile(path);
    if (!found) {
      send(res, 404, 'Not Found\n');
      return;
    }
    res.writeHead(200, {
      'Content-Type': MIME_TYPES[extname(found.file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': found.size,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(found.file)
      .on('error', () => res.destroy())
      .pipe(res);
  };
}

/**
 * Serves `mounts` (URL prefix -> directory, relative to `root`, default the repository root).
 * `port: 0` picks a free port. The origin is always `http://localhost:<port>`.
 * @returns {Promise<{ origin: string, port: number, close(): Promise<void> }>}
 */
export async function startStatic({ port = 0, mounts = { '/': 'www', '/pkg/': 'pkg' }, root = REPO_ROOT } = {}) {
  const server = createServer(handler(normalizeMounts(mounts, root)));
  const boundPort = await listen(server, port);
  return {
    origin: `http://localhost:${boundPort}`,
    port: boundPort,
    close: closer(server),
  };
}
