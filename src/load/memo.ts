/**
 * What loading worked out for each definition object, kept from one load of a session to the
 * next (generate --watch). A definitions file that was not imported again gives the very same
 * objects, and definitions are never changed once made, so what was worked out for an object
 * still holds: its shape was valid, its service expands to the same service with its policy
 * alerts. Keyed by the objects themselves (weakly: objects no longer exported are let go), and
 * by the other objects the outcome reads, compared by identity. Keeping the outcome's object
 * itself is what lets the compilers recognise an unchanged service (compile/index.ts).
 */
export class LoadMemo {
  private readonly outcomes = new WeakMap<object, Map<string, Outcome>>();

  /** `work()` for `key` and the `inputs` it reads besides it; the earlier outcome when all are the same objects as then. */
  remember<T>(what: string, key: object, inputs: readonly unknown[], work: () => T): T {
    const byWhat = this.outcomes.get(key) ?? new Map<string, Outcome>();
    const earlier = byWhat.get(what);
    if (earlier && earlier.inputs.length === inputs.length && earlier.inputs.every((input, index) => input === inputs[index]))
      return earlier.value as T;
    const value = work();
    byWhat.set(what, { inputs, value });
    this.outcomes.set(key, byWhat);
    return value;
  }
}

interface Outcome {
  readonly inputs: readonly unknown[];
  readonly value: unknown;
}
