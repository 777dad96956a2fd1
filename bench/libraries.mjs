// The libraries compared: ours first. `npm` is the package whose version the report names;
// `notApplicable` says, per figure key, why a library has no value there (printed under the
// table).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));

export const LIBRARIES = [
  { name: 'spa-oauth', npm: null, ours: true },
  { name: 'msal-browser', npm: '@azure/msal-browser' },
  {
    name: 'oidc-client-ts',
    npm: 'oidc-client-ts',
    notApplicable: {
      apiHotCallsPerSecond: 'no per-API tokens: a UserManager holds one User with one access token; '
        + 'signinSilent() with other scopes or a resource (extraTokenParams) replaces that token instead of '
        + 'keeping a second one beside it, so there is no second cached token to ask for',
    },
  },
  { name: 'oauth4webapi', npm: 'oauth4webapi' },
];

const manifest = (path) => JSON.parse(readFileSync(new URL(path, `file://${ROOT}`), 'utf8'));

/** Installed versions: each library's, and the tools that shape the numbers. */
export function versions() {
  const out = { 'spa-oauth': manifest('pkg/package.json').version };
  for (const { name, npm } of LIBRARIES) if (npm) out[name] = manifest(`node_modules/${npm}/package.json`).version;
  for (const tool of ['esbuild', 'playwright-core', 'oidc-provider']) out[tool] = manifest(`node_modules/${tool}/package.json`).version;
  return out;
}
