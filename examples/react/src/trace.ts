// What the test suite (tests/react/react.test.mjs) reads from the page: every status React
// committed, how often each API panel committed and how many distinct tokens it showed (never
// the tokens), the effect runs that prove StrictMode is on, the appState of redirect logins.
// An app of your own does not need this file.
import type { AuthClient } from 'spa-oauth';
import type { AuthStatus } from 'spa-oauth/react';

export interface Trace {
  statuses: AuthStatus[];
  effectRuns: number;
  redirects: unknown[];
  commits: Record<string, number>;
  distinctTokens: Record<string, number>;
  auth: AuthClient | null;
}

declare global {
  interface Window {
    reactExample: Trace;
  }
}

export const trace: Trace = {
  statuses: [], effectRuns: 0, redirects: [], commits: {}, distinctTokens: {}, auth: null,
};
window.reactExample = trace;

export function recordStatus(status: AuthStatus) {
  if (trace.statuses.at(-1) !== status) trace.statuses.push(status);
}

export function recordCommit(name: string) {
  trace.commits[name] = (trace.commits[name] ?? 0) + 1;
}

const seen = new Map<string, Set<string>>();
export function recordToken(name: string, token: string | null) {
  if (token === null) return;
  const tokens = seen.get(name) ?? new Set<string>();
  seen.set(name, tokens.add(token));
  trace.distinctTokens[name] = tokens.size;
}
