import crypto, { createHash, timingSafeEqual } from 'node:crypto';

// crypto.hash (Node 20.12+) hashes in one call, without a Hash object per request.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'buffer') => Buffer }).hash;
const digest = oneShot
  ? (text: string): Buffer => oneShot('sha256', text, 'buffer')
  : (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * A check that the Authorization header carries the bearer token. Both sides are hashed, so
 * the comparison takes the same time whatever the length or the first differing byte.
 */
export function bearerCheck(token: string): (header: string | undefined) => boolean {
  const expected = digest(token);
  return (header) => {
    const given = /^Bearer[ ]+(.+)$/i.exec(header ?? '')?.[1]?.trim() ?? '';
    return timingSafeEqual(digest(given), expected) && given !== '';
  };
}
