import type { Duration } from '../../model/duration.ts';
import type { FieldPath, InputDocument } from '../document.ts';
import type { BurnTier } from '../../model/slo.ts';
import type { SliSpec } from './sli.ts';

// One SLO read from a Sloth or OpenSLO spec, in monforge's terms, before it is written as
// TypeScript: everything the model carries, and where it came from.

/** An object of a spec document, as messages name it: `specs/api.yml:12: service "api" › slo "availability"`. */
export interface Place {
  readonly document: InputDocument;
  /** Where the object sits in the document. */
  readonly path: FieldPath;
  /** `service "api" › slo "requests-availability"`, `SLO "search-slo"`. */
  readonly object: string;
}

/** Where an imported SLO was read, and in what format (`Sloth prometheus/v1`, `OpenSLO v1`, …). */
export interface Origin extends Place {
  readonly format: string;
}

/** Where readers send what stops the import and what did not carry over. */
export interface Sink {
  /** One refusal: nothing is written. `field` is the path below the object's. */
  refuse(place: Place, reason: string, field?: FieldPath): void;
  /** Something of the source that monforge does not carry over, and why. */
  note(place: Place, message: string): void;
  /** Something the import decided that the source did not say. */
  infer(place: Place, message: string): void;
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
  /** The `team` label of the source, which may name the service's team. */
  readonly team?: string;
  /** The service's selector, where the source says it (monforge's own OpenSLO files do). */
  readonly serviceSelector?: Readonly<Record<string, string>>;
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
