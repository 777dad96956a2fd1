// Tests compare tokens without handling their values in messages: a short SHA-256 digest
// tells two tokens apart and cannot be used in their place.
import { createHash } from 'node:crypto';

/** A 16-hex-digit digest of `token`, or null when there is none. */
export function fingerprint(token) {
  if (typeof token !== 'string' || token === '') return null;
  return createHash('sha256').update(token).digest('hex').slice(0, 16);
}
