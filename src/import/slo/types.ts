import type { Duration } from '../../model/duration.ts';
import type { BurnTier } from '../../model/slo.ts';
import type { SliSpec } from './sli.ts';

// One SLO read from a Sloth or OpenSLO spec, in monforge's terms, before it is written as
// TypeScript: everything the model carries, and where it came from.

/** A spec file and the object in it, as messages name them: `specs/api.yml: slo "availability"`. */
export interface Origin {
  readonly file: string;
  /** `slo "requests-availability"`, `SLO "search-slo"`. */
  readonly object: string;
  /** What format it was written in: `Sloth prometheus/v1`, `OpenSLO v1`, … */
  readonly format: string;
}

export interface ImportedTier {
  readonly disabled?: boolean;
  readonly for?: Duration;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface ImportedSlo {
  readonly origin: Origin;
  readonly service: string;
  readonly name: string;
  readonly description?: string;
  /** In percent. */
  readonly objective: number;
  readonly window?: Duration;
  readonly sli: SliSpec;
  readonly labels?: Readonly<Record<string, string>>;
  readonly alertName?: string;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly tiers?: { readonly [T in BurnTier]?: ImportedTier };
}

/** What reading spec files gave: SLOs, or refusals (one line each); and what did not carry over. */
export interface SloReading {
  readonly slos: readonly ImportedSlo[];
  /** `file: object: why`; any refusal means nothing is written. */
  readonly refusals: readonly string[];
  /** `file: object: what was not carried over and why`. */
  readonly notes: readonly string[];
}

/** One line naming the file and the object. */
export const line = (origin: Pick<Origin, 'file' | 'object'>, message: string): string => `${origin.file}: ${origin.object}: ${message}`;
