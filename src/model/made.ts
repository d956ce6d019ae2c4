// While the loader imports the definition files, every object a define* function makes is noted
// with the call's stack, so that a definition no export reaches (made in a loop and dropped, kept
// in a Map or a class) is an error saying where it was made, not a service silently missing.
// Outside loading nothing is kept.

export interface Made {
  readonly value: object;
  /** Made at the define* call: its `stack` finds the user's line. Read only when needed (formatting a stack costs far more than taking it). */
  readonly call: Error;
}

let noting: Made[] | undefined;

/** Notes a definition object while loading; returns it unchanged. */
export function made<T extends object>(value: T): T {
  noting?.push({ value, call: new Error() });
  return value;
}

/** Runs `load` and returns, with its result, every definition made meanwhile. */
export async function noteMade<R>(load: () => Promise<R>): Promise<{ result: R; made: readonly Made[] }> {
  const outer = noting;
  const mine: Made[] = [];
  noting = mine;
  try {
    return { result: await load(), made: mine };
  } finally {
    noting = outer;
  }
}
