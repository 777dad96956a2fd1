// Shipped size: the bytes an app downloads for a library, raw, gzip -9 and brotli (quality 11),
// each file compressed on its own (as a server sends them).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

function sizesOf(file) {
  const bytes = readFileSync(file);
  const brotli = brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
  return { file: basename(file), raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotli.length };
}

/** `{ raw, gzip, brotli, files: [...] }`: the sums over `files`, and each file's sizes. */
export function measureSizes(files) {
  const each = files.map(sizesOf);
  const sum = (key) => each.reduce((total, f) => total + f[key], 0);
  return { raw: sum('raw'), gzip: sum('gzip'), brotli: sum('brotli'), files: each };
}
