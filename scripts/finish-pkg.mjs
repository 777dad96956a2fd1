// Finishes wasm-pack's pkg/ into the publishable npm package. Idempotent.
// 1. wasm-bindgen cannot re-export a JS class it imports, so this adds the package's `AuthError`
//    export (the class lives in js/api.js, copied by wasm-bindgen into pkg/snippets/) to
//    the generated module and its typings; and the AuthClient methods written in JS
//    (js/client.js, copied into the package: getAccessToken()'s hot path, fetch).
// 2. Binding names: wasm-bindgen names each import `__wbg_<name>_<16 hex digits>` under the module
//    './spa_oauth_bg.js' and exports closures by their full Rust type; binaryen's
//    --minify-imports-and-exports-and-modules gives them one or two letters (-2.4 KB gzip
//    measured) and prints the renaming, which is applied to the glue here.
// 3. package.json gets `exports` (the module, its types, and the .wasm for bundlers that want
//    to fetch it themselves), `sideEffects: false` (nothing runs at import), the licence file.
// 4. `spa-oauth/react` (js/react.js, hand-written, typed by js/react.d.ts): its own entry, so
//    nothing of it reaches apps that import only `spa-oauth`; React is an optional peer
//    dependency (npm installs none for apps that never import the bindings).
// 5. `spa-oauth/vite` (js/vite.js, typed by js/vite.d.ts): the start-up plugin for Vite builds,
//    run by Vite in Node, never shipped to the browser; Vite is an optional peer dependency.
import { readFileSync, writeFileSync, readdirSync, existsSync, copyFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

const pkg = process.argv[2] ?? 'pkg';
const snippets = join(pkg, 'snippets');
const dir = readdirSync(snippets).find((d) => existsSync(join(snippets, d, 'js', 'api.js')));
if (!dir) throw new Error(`no js/api.js snippet under ${snippets}`);

const marker = '// spa-oauth: AuthError export';
function append(file, text) {
  const path = join(pkg, file);
  const source = readFileSync(path, 'utf8');
  if (!source.includes(marker)) writeFileSync(path, `${source}\n${marker}\n${text}\n`);
}

append(
  'spa_oauth.js',
  `export { AuthError, relayResponse } from './snippets/${dir}/js/api.js';
import { AuthError as AuthErrorClass } from './snippets/${dir}/js/api.js';
import { withJsMethods } from './client.js';
withJsMethods(AuthClient, AuthErrorClass);`,
);
copyFileSync(join('js', 'client.js'), join(pkg, 'client.js'));
append(
  'spa_oauth.d.ts',
  `/** Every spa-oauth failure: a real \`Error\` with a stable \`code\` (see the README's table). */
export class AuthError extends Error {
  readonly name: 'AuthError';
  /** The provider's OAuth error verbatim, or one of the library's own codes. */
  readonly code: AuthErrorCode;
  /** The provider's \`error_description\`, when it sent one. */
  readonly description?: string;
  /** HTTP status of the failed response, when there was one. */
  readonly status?: number;
  /** Azure AD B2C: the \`AADB2Cnnnnn\` code in the description (\`AADB2C90118\`: forgot password). */
  readonly b2cCode?: string;
  /** \`interaction_required\` for one API's token: the provider's own error (\`consent_required\`, \`invalid_scope\`, ...). */
  readonly providerError?: string;
  /** \`interaction_required\` for one API's token: that API's scopes, for \`loginRedirect({ scopes })\`. */
  readonly scopes?: string[];
  constructor(code: AuthErrorCode, message: string, description?: string, status?: number, b2cCode?: string, providerError?: string, scopes?: string);
}

/**
 * On a page a \`loginPopup()\` lands on (\`popupRedirectUri\`): hands the response to the page
 * that opened the popup and closes it; \`false\` when the URL holds no popup login's response.
 * Needs no \`init()\`. (\`handleRedirectCallback()\` does the same on the app's own page.)
 */
export function relayResponse(): boolean;`,
);

// wasm-bindgen declares [Symbol.dispose]() on classes: typings need the lib that defines it, or
// apps compiling with lib ES2022 + skipLibCheck false get TS2550.
const typesPath = join(pkg, 'spa_oauth.d.ts');
const disposable = '/// <reference lib="esnext.disposable" />';
const typings = readFileSync(typesPath, 'utf8');
if (!typings.startsWith(disposable)) writeFileSync(typesPath, `${disposable}\n${typings}`);

const minifiedMarker = '// spa-oauth: binding names minified';
const gluePath = join(pkg, 'spa_oauth.js');
if (!readFileSync(gluePath, 'utf8').includes(minifiedMarker)) minifyBindingNames();

function minifyBindingNames() {
  const wasmPath = join(pkg, 'spa_oauth_bg.wasm');
  const wasmOpt = process.env.WASM_OPT ?? join('node_modules', '.bin', 'wasm-opt');
  const features = ['bulk-memory', 'nontrapping-float-to-int', 'sign-ext', 'reference-types', 'mutable-globals'];
  // The last wasm-opt run, so it also drops the target_features section (which it reads first:
  // the earlier runs need it to know multivalue is used); Cargo.toml's flags drop `producers`.
  const args = ['--minify-imports-and-exports-and-modules', ...features.map((f) => `--enable-${f}`), '--strip-target-features'];
  // Into a side file first: pkg/ is changed only once the glue matches.
  const minifiedPath = `${wasmPath}.minified`;
  const renaming = JSON.parse(execFileSync(wasmOpt, [wasmPath, ...args, '-o', minifiedPath], { encoding: 'utf8' }));
  // `memory` keeps its name: apps and the benchmark read it from init()'s result.
  const memory = renaming.exports.find(([name]) => name === 'memory');
  writeFileSync(minifiedPath, renameExport(readFileSync(minifiedPath), memory[1], 'memory'));
  renaming.exports = renaming.exports.filter((e) => e !== memory);
  const module = new WebAssembly.Module(readFileSync(minifiedPath));
  const newModules = new Set(WebAssembly.Module.imports(module).map((i) => i.module));
  const oldModules = new Set(renaming.imports.map(([m]) => m));
  if (newModules.size !== 1 || oldModules.size !== 1) throw new Error('finish-pkg: expected one import module');
  const identifier = /^[A-Za-z_$][\w$]*$/;
  const edit = (text, pattern, replacement, what) => {
    const out = text.replace(pattern, replacement);
    if (out === text) throw new Error(`finish-pkg: ${what} not found`);
    return out;
  };
  const escape = (s) => s.replace(/[$.]/g, '\\$&');
  const exported = (prefix, name) => new RegExp(`(?<=${escape(prefix)})${escape(name)}(?![\\w$])`, 'g');

  let glue = readFileSync(gluePath, 'utf8');
  for (const [, name, short] of renaming.imports) {
    glue = edit(glue, new RegExp(`(?<=\\n\\s*)${escape(name)}(?=: function)`), JSON.stringify(short), `import ${name}`);
  }
  glue = edit(glue, `${JSON.stringify([...oldModules][0])}:`, `${JSON.stringify([...newModules][0])}:`, 'the module');
  const typings = ['spa_oauth.d.ts', 'spa_oauth_bg.wasm.d.ts'].map((f) => [join(pkg, f), readFileSync(join(pkg, f), 'utf8')]);
  for (const [name, short] of renaming.exports) {
    if (!identifier.test(short)) throw new Error(`finish-pkg: export ${short} is not an identifier`);
    glue = glue.replace(exported('wasm.', name), short);
    for (const t of typings) t[1] = t[1].replace(exported('readonly ', name), short).replace(exported('export const ', name), short);
  }
  const exports = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  const unknown = [...glue.matchAll(/(?<![\w$])wasm\.([\w$]+)/g)].map((m) => m[1]).filter((n) => !exports.has(n));
  if (unknown.length) throw new Error(`finish-pkg: the glue still uses ${unknown.join(', ')}`);
  writeFileSync(gluePath, `${glue}\n${minifiedMarker}\n`);
  for (const [path, text] of typings) writeFileSync(path, text);
  renameSync(minifiedPath, wasmPath);
}

/** The module `bytes` with export `from` renamed `to` (WebAssembly core spec §5.5.10). */
function renameExport(bytes, from, to) {
  const uleb = (at) => {
    let value = 0;
    let shift = 0;
    let byte;
    do {
      byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return [value, at];
  };
  const encode = (value) => {
    const out = [];
    do {
      let byte = value & 0x7f;
      value = Math.floor(value / 128);
      if (value) byte |= 0x80;
      out.push(byte);
    } while (value);
    return Buffer.from(out);
  };
  const name = (text) => Buffer.concat([encode(Buffer.byteLength(text)), Buffer.from(text)]);
  for (let at = 8; at < bytes.length; ) {
    const id = bytes[at];
    const [size, payload] = uleb(at + 1);
    if (id === 7) {
      const [count, first] = uleb(payload);
      let entry = first;
      for (let i = 0; i < count; i++) {
        const [length, text] = uleb(entry);
        const end = uleb(text + length + 1)[1];
        if (bytes.toString('utf8', text, text + length) === from) {
          const section = Buffer.concat([bytes.subarray(payload, entry), name(to), bytes.subarray(text + length, payload + size)]);
          return Buffer.concat([bytes.subarray(0, at + 1), encode(section.length), section, bytes.subarray(payload + size)]);
        }
        entry = end;
      }
    }
    at = payload + size;
  }
  throw new Error(`finish-pkg: no export ${from}`);
}

for (const entry of ['react', 'vite']) {
  copyFileSync(join('js', `${entry}.js`), join(pkg, `${entry}.js`));
  copyFileSync(join('js', `${entry}.d.ts`), join(pkg, `${entry}.d.ts`));
}

const manifestPath = join(pkg, 'package.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
Object.assign(manifest, {
  exports: {
    '.': { types: './spa_oauth.d.ts', default: './spa_oauth.js' },
    './react': { types: './react.d.ts', default: './react.js' },
    './vite': { types: './vite.d.ts', default: './vite.js' },
    './spa_oauth_bg.wasm': './spa_oauth_bg.wasm',
    './package.json': './package.json',
  },
  sideEffects: false,
  license: 'MIT',
  peerDependencies: { react: '>=18', vite: '>=5' },
  peerDependenciesMeta: { react: { optional: true }, vite: { optional: true } },
});
manifest.files = [...new Set([
  ...(manifest.files ?? []), 'client.js', 'react.js', 'react.d.ts', 'vite.js', 'vite.d.ts', 'README.md', 'LICENSE',
])];
copyFileSync('LICENSE', join(pkg, 'LICENSE'));
writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
