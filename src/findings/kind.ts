// A finding kind is a unit, as in pint: a stable id (`references/unknown-service`) that is also
// its anchor in docs/reference/findings.md, what causes it and how to fix it, and the one place
// its message is written. Code reports a finding by calling its kind with the details.

export type FindingSeverity = 'error' | 'warning';

export interface FindingDoc {
  /** `area/name`, lower case; never renamed once released (users search for it). */
  readonly id: string;
  readonly title: string;
  /** Why it happens, for the docs page. */
  readonly cause: string;
  /** What to do about it, for the docs page. */
  readonly fix: string;
  readonly severity: FindingSeverity;
}

/** A finding's id and its message, as a kind says it. */
export interface Said {
  readonly id: string;
  readonly text: string;
}

export interface FindingKind<A extends readonly unknown[] = never[]> extends FindingDoc {
  (...args: A): Said;
}

export function findingKind<A extends readonly unknown[]>(
  doc: Omit<FindingDoc, 'severity'> & { readonly severity?: FindingSeverity },
  text: (...args: A) => string,
): FindingKind<A> {
  const say = (...args: A): Said => ({ id: doc.id, text: text(...args) });
  return Object.assign(say, { severity: 'error' as const, ...doc });
}

/** A finding as check prints it: its message, then its id (the anchor of its docs page). */
export function findingLine(said: Said): string {
  return `${said.text} [${said.id}]`;
}
