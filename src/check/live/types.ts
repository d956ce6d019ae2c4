import type { Said } from '../../findings/kind.ts';
import type { Metric } from '../../model/metric.ts';
import type { LabelMatcher } from '../../promql/parse.ts';
import type { Anchor } from '../../reader/lines.ts';

/**
 * Where a definition is written, as a finding names it: the file, the object and the field,
 * and the literals that find its line (reader/lines.ts). `anywhere`: when the anchors are not
 * in `file`, look in every definition file (a selector or metric declared in a shared file).
 */
export interface Origin {
  /** Relative to the project root: `definitions/services/api.ts`, or `generated/…` for what has no definition of its own. */
  readonly file: string;
  /** `service "api" › alert "ApiErrorRateHigh"`. */
  readonly object: string;
  /** `expr.numerator`, `verify.query`; absent when the object as a whole is meant. */
  readonly field?: string;
  readonly anchors: readonly Anchor[];
  readonly anywhere?: boolean;
}

/** The service a selection is made for: its selector is part of every typed selector. */
export interface ServiceScope {
  readonly name: string;
  readonly selector: Readonly<Record<string, string>>;
  readonly source: string;
}

/** What a selection's range function reads: `rate(x[5m])`. */
export interface RangeRead {
  readonly fn: string;
  readonly seconds: number;
  /** As written: `5m`. */
  readonly text: string;
  /** Where the window is written, when not at the origin's line (an alert's `window:`, a policy's). */
  readonly at?: Origin;
}

/**
 * One selection of series a definition makes: a typed selector within its service's selector,
 * a selector of raw PromQL (an alert's, a playbook's verify query), or of a generated rule or
 * dashboard query.
 */
export interface Selection {
  readonly origin: Origin;
  readonly service?: ServiceScope;
  /** The series name selected: `http_requests_total`, `http_request_duration_seconds_count`. */
  readonly name: string;
  /** Every matcher as the server receives it; the service's selector first. */
  readonly matchers: readonly LabelMatcher[];
  /** How many of the first matchers are the service's selector. */
  readonly serviceMatchers: number;
  /** The metric definition, for typed selectors and metrics raw PromQL declares. */
  readonly metric?: Metric;
  /** `by` labels of a typed expression: a label no series has groups everything into one. */
  readonly by?: readonly string[];
  readonly range?: RangeRead;
  /** Why its series may be missing until their first event (the service's `absent.exempt`). */
  readonly mayBeAbsent?: string;
  /** From raw PromQL: the name and matchers are found in the expression's text. */
  readonly raw?: boolean;
  /** From raw PromQL that reads its values as they are (not under rate, count, absent…: promql/parse.ts). */
  readonly valueRead?: boolean;
  /** Read through `select(…)` in `pql`: the name is written where its metric is declared, the matchers in the call. */
  readonly selected?: boolean;
  /** The service's targets (`up` within its selector), read to tell a wrong service selector apart. */
  readonly targets?: boolean;
  /** Made by the compiler (a generated rule or dashboard), not written in a definition. */
  readonly generated?: boolean;
}

export const liveLevels = ['error', 'warning', 'note'] as const;
export type LiveLevel = (typeof liveLevels)[number];

/** A finding's id: one of the kinds of src/findings/catalog/live.ts (`series/label-value`). */
export type LiveCheck = string;

/** A finding before its line is looked up. */
export interface Pending {
  readonly check: LiveCheck;
  readonly level: LiveLevel;
  readonly at: Origin;
  readonly message: string;
  readonly fix: string;
}

/** A finding as its kind says it (src/findings/catalog/live.ts), at a level, with the fix for this case. */
export const pending = (said: Said, level: LiveLevel, at: Origin, fix: string): Pending => ({
  check: said.id,
  level,
  at,
  message: said.text,
  fix,
});

/** One live finding: the definition line to edit, what is wrong and how to fix it. */
export interface LiveFinding {
  readonly check: LiveCheck;
  readonly level: LiveLevel;
  /** Relative to the project root. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly object: string;
  readonly field?: string;
  readonly message: string;
  readonly fix: string;
}

/** What a rule or dashboard query reads now. */
export interface QueryCost {
  readonly kind: 'alert' | 'record' | 'panel';
  /** `ApiErrorRateHigh (warning)`, `slo:sli_events:rate5m{service="api",slo="availability"}`, `dashboard "api" › panel "Errors" › A`. */
  readonly name: string;
  /** The generated file it is in, relative to generated/. */
  readonly generated: string;
  /** Its definition's file and line. */
  readonly file: string;
  readonly line: number;
  readonly expr: string;
  /** Series its selectors select now (a series read twice counts twice). */
  readonly series: number;
  /** Samples one evaluation loads; undefined when the server could not tell. */
  readonly samples?: number;
}

export interface LiveReport {
  readonly url: string;
  /** `Prometheus 2.42.0`, `Grafana Mimir 2.9.0`. */
  readonly server?: string;
  readonly findings: readonly LiveFinding[];
  readonly costs: readonly QueryCost[];
  /** Series a rule may read before `cost/budget` flags it. */
  readonly budget: number;
  /** HTTP calls made. */
  readonly calls: number;
}
