// The app: a home page, a route behind <RequireAuth> (redirect login) that calls two APIs with
// their own tokens (useAccessToken), and one behind <RequireAuth popup>. The router is a few
// lines over the History API; with React Router the hooks are used the same way.
import { useEffect, useLayoutEffect, useState, type MouseEvent, type ReactNode } from 'react';
import { AuthError } from 'spa-oauth';
import {
  RequireAuth, useAccessToken, useAuth, type RequireAuthFallbackProps,
} from 'spa-oauth/react';

import type { Api } from './settings';
import {
  recordCommit, recordStatus, recordToken, trace,
} from './trace';

export function navigate(to: string, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  dispatchEvent(new PopStateEvent('popstate'));
}

function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const onPopState = () => setPath(location.pathname);
    addEventListener('popstate', onPopState);
    return () => removeEventListener('popstate', onPopState);
  }, []);
  return path;
}

function Link({ to, id, children }: { to: string; id: string; children: ReactNode }) {
  const onClick = (event: MouseEvent) => {
    event.preventDefault();
    navigate(to);
  };
  return <a id={id} href={to} onClick={onClick}>{children}</a>;
}

const describe = (err: unknown) => (err instanceof AuthError ? `${err.code}: ${err.message}` : String(err));
const codeOf = (err: unknown) => (err instanceof AuthError ? err.code : 'unexpected');

export function App({ apis }: { apis: Api[] }) {
  const { status, user, error, loginRedirect, loginPopup, logout } = useAuth();
  const [actionError, setActionError] = useState<unknown>(null);
  const path = usePath();
  useLayoutEffect(() => recordStatus(status), [status]);
  useLayoutEffect(() => recordCommit('app'));
  useEffect(() => {
    trace.effectRuns += 1;
  }, []);

  const shown = actionError ?? error;
  return (
    <>
      <h1>spa-oauth + React</h1>
      <p>Status: <output id="status" data-status={status}>{status}</output></p>
      {shown !== null && <p id="error" role="alert" data-code={codeOf(shown)}>{describe(shown)}</p>}
      <nav>
        <Link id="nav-home" to="/">Home</Link> · <Link id="nav-protected" to="/protected/">Orders and invoices</Link>
        {' '}· <Link id="nav-popup-protected" to="/popup-protected/">Profile (popup login)</Link>
      </nav>
      {status === 'authenticated' ? (
        <p>
          Logged in as <b id="user" data-sub={user?.sub}>{user?.name ?? user?.sub}</b>{' '}
          <button id="logout" type="button" onClick={() => logout().catch(setActionError)}>Log out</button>{' '}
          <button id="logout-local" type="button" onClick={() => logout({ redirect: false }).catch(setActionError)}>
            Log out here only
          </button>
        </p>
      ) : status !== 'loading' && (
        <p>
          <button id="login" type="button" onClick={() => loginRedirect({ appState: { returnTo: location.pathname } }).catch(setActionError)}>
            Log in
          </button>{' '}
          {/* loginPopup straight from the click: the popup opens before any await. */}
          <button id="login-popup" type="button" onClick={() => { setActionError(null); loginPopup().catch(setActionError); }}>
            Log in in a popup
          </button>
        </p>
      )}
      <LoginToken />
      <main>
        {path === '/protected/' ? (
          <RequireAuth fallback={(props) => <LoginFallback {...props} waiting="Taking you to the login…" />}>
            {apis.map((api) => <ApiPanel key={api.name} api={api} />)}
          </RequireAuth>
        ) : path === '/popup-protected/' ? (
          <RequireAuth popup fallback={(props) => <LoginFallback {...props} waiting="Log in in the popup…" />}>
            <p id="profile">Profile of {user?.name ?? user?.sub}</p>
          </RequireAuth>
        ) : (
          <p id="home">Home. The other two pages need a login.</p>
        )}
      </main>
    </>
  );
}

/**
 * What a protected route shows until the user is logged in. RequireAuth starts one login by
 * itself; after a failure (the popup closed or blocked, the login cancelled) it waits for the
 * user: `login` starts another from this click.
 */
function LoginFallback({ status, error, login, waiting }: RequireAuthFallbackProps & { waiting: string }) {
  if (status === 'loading' || error === null) return <p id="fallback">{waiting}</p>;
  return (
    <p id="fallback" data-code={error.code}>
      {error.code === 'popup_blocked' ? 'The browser blocked the login popup.' : `The login failed (${error.code}).`}{' '}
      <button id="fallback-login" type="button" onClick={login}>Log in</button>
    </p>
  );
}

/** The login's own access token (useAccessToken without options): whether there is one. */
function LoginToken() {
  const { token, loading } = useAccessToken();
  useLayoutEffect(() => recordCommit('login'));
  useLayoutEffect(() => recordToken('login', token), [token]);
  return <p id="login-token" data-state={token !== null ? 'present' : loading ? 'loading' : 'none'}>Login token: {token !== null ? 'held' : '—'}</p>;
}

interface Answer {
  status: number;
  body: unknown;
}

/** One API: its own token (useAccessToken with its scopes and resource), and a button that calls it. */
function ApiPanel({ api }: { api: Api }) {
  const { token, error, loading } = useAccessToken({ scopes: api.scopes, resource: api.resource });
  const [answer, setAnswer] = useState<Answer | null>(null);
  useLayoutEffect(() => recordCommit(api.name));
  useLayoutEffect(() => recordToken(api.name, token), [token]);

  const call = async () => {
    try {
      const res = await fetch(api.url, { headers: { Authorization: `Bearer ${token}` } });
      setAnswer({ status: res.status, body: res.ok ? await res.json() : null });
    } catch (err) {
      setAnswer({ status: 0, body: String(err) });
    }
  };
  const state = token !== null ? 'present' : loading ? 'loading' : error ? 'error' : 'none';
  return (
    <section id={`api-${api.name}`} data-token={state}>
      <h2>{api.name} API</h2>
      {error && <p role="alert" data-code={error.code}>{describe(error)}</p>}
      <button id={`call-${api.name}`} type="button" disabled={token === null} onClick={call}>Call {api.url}</button>
      <pre id={`answer-${api.name}`}>{answer ? JSON.stringify(answer) : ''}</pre>
    </section>
  );
}
