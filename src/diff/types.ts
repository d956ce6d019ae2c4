import type { JsonValue } from '../model/playbook.ts';

export type { JsonValue };

/** The sections of a diff, in the order reviewers read them. */
export const changeKinds = ['alert', 'slo', 'recording', 'routing', 'dashboard', 'playbook'] as const;
export type ChangeKind = (typeof changeKinds)[number];

export type ChangeAction = 'added' | 'removed' | 'renamed' | 'changed';

/**
 * One change between two generated trees, as data. Values are JSON; `src/diff/format/`
 * turns them into words. Every change names the generated file it was read from and, when
 * that file names exactly one, the definition file it comes from.
 */
export interface Change {
  readonly kind: ChangeKind;
  readonly action: ChangeAction;
  /** What changed, as reviewers name it: `ApiErrorRateHigh`, `api/availability`, `ApiLatencyHigh (warning)`, `svc-api`. */
  readonly object: string;
  /** Which part of it; absent when the whole object was added or removed. */
  readonly field?: string;
  /** The alert level (severity) a threshold or other per-level field belongs to. */
  readonly level?: string;
  readonly before?: JsonValue;
  readonly after?: JsonValue;
  /** Unit of numeric before/after values (`%`). */
  readonly unit?: string;
  readonly breaking: boolean;
  /** Why the change is breaking, or why it deserves attention (`now pages at warning`). */
  readonly reason?: string;
  /** Changes what a remediation playbook executes or calls: shown in full. */
  readonly securityReview?: boolean;
  /** A severity change: it changes routing. */
  readonly highlight?: boolean;
  /** The generated file, relative to generated/. */
  readonly file: string;
  /** The definition file, relative to the project root. */
  readonly source?: string;
  /** Names to look for in the definition file, in order, to point at the object's line. */
  readonly anchors?: readonly string[];
  /** 1-based line of the object in its definition file (see `locateLines`). */
  readonly line?: number;
}

/** The one source a generated file names, if it names exactly one. */
export const soleSource = (sources: readonly string[]): string | undefined => (sources.length === 1 ? sources[0] : undefined);

/** `diff --prometheus`: how often each changed alert would have fired over a past range, on each side. */
export interface DiffBacktest {
  readonly prometheus: string;
  /** `7d`: the range, ending when the diff ran. */
  readonly range: string;
  /** By alert name: firing episodes in the head and in the base (null: not in that tree). */
  readonly byAlert: Readonly<Record<string, { readonly head: number | null; readonly base: number | null }>>;
}

/** `diff --prometheus`: what the rules a change adds or alters read now, by the change's object. */
export interface DiffCost {
  readonly prometheus: string;
  /** An alert: its heaviest level; an SLO: all its rules; a recording rule: itself. Samples absent when the server could not tell. */
  readonly byObject: Readonly<Record<string, { readonly series: number; readonly samples?: number }>>;
}
