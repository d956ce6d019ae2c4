import crypto, { createHash, timingSafeEqual } from 'node:crypto';

// crypto.hash (Node 20.12+) hashes in one call, without a Hash object per request.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'buffer') => Buffer }).hash;
const digest = oneShot
  ? (text: string): Buffer => oneShot('sha256', text, 'buffer')
  : (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * A check that the Authorization header carries the bearer token. Both sides are hashed, so
 * the comparison takes the same time whatever the length or the first differing byte.
 *
 * A keep-alive connection (Alertmanager's) that sends the header it was admitted with again is
 * admitted without hashing: that compares the client's header with its own earlier one, which
 * tells nothing about the token to a client that does not already know it.
 */
export function bearerCheck(token: string): (header: string | undefined, connection?: object) => boolean {
  const expected = digest(token);
  const admitted = new WeakMap<object, string>();
  return (header, connection) => {
    if (header !== undefined && connection !== undefined && admitted.get(connection) === header) return true;
    const given = /^Bearer[ ]+(.+)$/i.exec(header ?? '')?.[1]?.trim() ?? '';
    const right = timingSafeEqual(digest(given), expected) && given !== '';
    if (right && connection !== undefined) admitted.set(connection, header!);
    return right;
  };
}
