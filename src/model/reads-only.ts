// A function of monforge's own that a definition holds (a policy alert's test series) is a
// closure: what it returns cannot be seen from outside. Marked with the data it closes over, it
// has a fingerprint like plain data (cache/fingerprint.ts), and a service holding it can still be
// taken from the cache. Users' functions are never marked: they may read anything.

/** The data a marked function reads besides its arguments. */
export const functionReads: unique symbol = Symbol('monforge.functionReads');

/** `fn`, marked as computing its result from its arguments and `data` alone. */
export function readsOnly<F extends (...args: never[]) => unknown>(fn: F, data: unknown): F {
  Object.defineProperty(fn, functionReads, { value: data });
  return fn;
}
