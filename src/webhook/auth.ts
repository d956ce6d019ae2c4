import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

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
