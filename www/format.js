// Formatting helpers for the token display. Nothing here verifies a signature: decoded
// claims are shown for information only. A token is never displayed in full.

/** The JSON payload of a JWT (JWS compact form), or null for an opaque token. */
export function decodeJwtPayload(token) {
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 3) return null;
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    const payload = JSON.parse(new TextDecoder().decode(bytes));
    return payload && typeof payload === 'object' && !Array.isArray(payload) ? payload : null;
  } catch {
    return null;
  }
}

/** A recognisable but unusable excerpt of a token: "eyJhbGciOi…x7Qk (812 chars)". */
export function truncateToken(token) {
  if (typeof token !== 'string' || token.length === 0) return '—';
  const head = Math.min(10, Math.floor(token.length / 6));
  const tail = token.length >= 40 ? token.slice(-4) : '';
  return `${token.slice(0, head)}…${tail} (${token.length} chars)`;
}

/** "in 59 min 58 s" / "expired 3 s ago" for a time in ms since the epoch. */
export function describeExpiry(expiresAt, now = Date.now()) {
  const seconds = Math.round((expiresAt - now) / 1000);
  const span = (s) => {
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return [h && `${h} h`, (h || m) && `${m} min`, `${s % 60} s`].filter(Boolean).join(' ');
  };
  return seconds >= 0 ? `in ${span(seconds)}` : `expired ${span(-seconds)} ago`;
}
