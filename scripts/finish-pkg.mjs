// Finishes wasm-pack's pkg/ into the publishable npm package. Idempotent.
// 1. wasm-bindgen cannot re-export a JS class it imports, so this adds the package's `AuthError`
//    export (the class lives in js/auth-error.js, copied by wasm-bindgen into pkg/snippets/) to
//    the generated module and its typings.
// 2. package.json gets `exports` (the module, its types, and the .wasm for bundlers that want
//    to fetch it themselves), `sideEffects: false` (nothing runs at import), the licence file.
import { readFileSync, writeFileSync, readdirSync, existsSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';

const pkg = process.argv[2] ?? 'pkg';
const snippets = join(pkg, 'snippets');
const dir = readdirSync(snippets).find((d) => existsSync(join(snippets, d, 'js', 'auth-error.js')));
if (!dir) throw new Error(`no js/auth-error.js snippet under ${snippets}`);

const marker = '// spa-oauth: AuthError export';
function append(file, text) {
  const path = join(pkg, file);
  const source = readFileSync(path, 'utf8');
  if (!source.includes(marker)) writeFileSync(path, `${source}\n${marker}\n${text}\n`);
}

append('spa_oauth.js', `export { AuthError } from './snippets/${dir}/js/auth-error.js';`);
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
  constructor(code: AuthErrorCode, message: string, description?: string, status?: number, b2cCode?: string);
}`,
);

// wasm-bindgen declares [Symbol.dispose]() on classes: typings need the lib that defines it, or
// apps compiling with lib ES2022 + skipLibCheck false get TS2550.
const typesPath = join(pkg, 'spa_oauth.d.ts');
const disposable = '/// <reference lib="esnext.disposable" />';
const typings = readFileSync(typesPath, 'utf8');
if (!typings.startsWith(disposable)) writeFileSync(typesPath, `${disposable}\n${typings}`);

const manifestPath = join(pkg, 'package.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
Object.assign(manifest, {
  exports: {
    '.': { types: './spa_oauth.d.ts', default: './spa_oauth.js' },
    './spa_oauth_bg.wasm': './spa_oauth_bg.wasm',
    './package.json': './package.json',
  },
  sideEffects: false,
  license: 'MIT',
});
manifest.files = [...new Set([...(manifest.files ?? []), 'README.md', 'LICENSE'])];
copyFileSync('LICENSE', join(pkg, 'LICENSE'));
writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
