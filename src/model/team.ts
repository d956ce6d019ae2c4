import type { Receiver } from './receiver.ts';
import type { Severity } from './severity.ts';
import { made } from './made.ts';

/** At least one receiver name. */
type Some<R extends string> = readonly [R, ...R[]];

/**
 * Which of the team's receivers each severity notifies (docs/design.md: critical pages the on-call,
 * high goes to the team fast, warning to its channel). `info` defaults to the platform digest.
 */
export type Notify<R extends string = string> = { readonly [S in Exclude<Severity, 'info'>]: Some<R> } & { readonly info?: Some<R> };

/** What `defineTeam` returns. */
export interface Team<R extends string = string> {
  readonly kind: 'team';
  /** Lower-case identifier used in the `team` label and the dashboard folder. */
  readonly name: string;
  readonly description?: string;
  /** Where the team can be reached, by a name of the team's choosing. */
  readonly receivers: { readonly [K in R]: Receiver };
  readonly notify: Notify<R>;
}

/** Receiver names in `notify` are checked against `receivers`: a typo does not compile. */
export function defineTeam<const R extends string>(
  options: Omit<Team<R>, 'kind' | 'notify'> & { readonly notify: Notify<NoInfer<R>> },
): Team {
  return made({ kind: 'team', ...options });
}
