import * as live from '../../findings/catalog/live.ts';
import { compoundSeconds } from '../../model/duration.ts';
import type { LabelMatcher, SelectorReading } from '../../promql/parse.ts';
import { QueryError, type Labels, type PrometheusClient } from './client.ts';
import type { Query } from './selections.ts';
import { selectionKey, selectorText } from './selections.ts';
import { evaluable, matchesLocally } from './series.ts';
import { pending, type Pending } from './types.ts';

// What each rule and dashboard query reads now: the series its selectors select and the samples
// one evaluation loads. Selectors repeat across rules (the same counter under a rule, its
// dashboard panel and an SLO), so they are measured once each, batched per metric name and
// window: `count_over_time(a[5m]) or count_over_time(b[5m]) …` answers, per series, how many
// samples the window holds, and with `stats=all` the server's own total. An instant selector
// loads one sample per series with a sample in the last 5 minutes (the lookback). A query with
// a subquery or a selector without a name is measured whole, from its own `stats=all`.

/** Prometheus' lookback for an instant selector. */
const lookback = 300;

/** The default series budget of one rule. */
export const defaultSeriesBudget = 50_000;

/** Characters of the label matchers of one batched query: a POST body any server takes. */
const batchLength = 32_000;

interface Measure {
  readonly series: number;
  readonly samples: number;
}

/** A selector as one evaluation reads it: its matchers, window (or the lookback) and offset. */
interface Reading {
  readonly name: string;
  readonly matchers: readonly LabelMatcher[];
  readonly window: number;
  readonly instant: boolean;
  readonly offset: string | undefined;
  readonly key: string;
}

function readingOf(selector: SelectorReading): Reading | undefined {
  if (selector.name === undefined || selector.inSubquery) return undefined;
  const window = selector.range ? compoundSeconds(selector.range.duration) : lookback;
  const offset = selector.offset && compoundSeconds(selector.offset.replace(/^-/, '')) !== undefined ? selector.offset : undefined;
  if (window === undefined || (selector.offset !== undefined && offset === undefined)) return undefined;
  const matchers = selector.matchers.filter((matcher) => matcher.label !== '__name__');
  const instant = selector.range === undefined;
  return {
    name: selector.name,
    matchers,
    window,
    instant,
    offset,
    key: `${selectionKey(selector.name, matchers)}\0${instant ? 'i' : window}\0${offset ?? ''}`,
  };
}

const escapeRegex = (value: string): string => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `count_over_time(a{…}[5m] offset 1w)`: per series, the samples the window holds. */
const counted = (name: string, matchers: readonly LabelMatcher[], reading: Reading): string =>
  `count_over_time(${selectorText(name, matchers)}[${reading.window}s]${reading.offset ? ` offset ${reading.offset}` : ''})`;

/**
 * One selector for many readings of one name, window and offset: the labels every reading
 * matches by equality (a service's `job`), each as an alternation of their values. It may select
 * more series than the readings do (each reading takes its own from the answer); without such a
 * label the readings are asked one by one, joined with `or`.
 */
function batchQueries(all: readonly Reading[]): { readings: Reading[]; query: string }[] {
  // A matcher only the server evaluates: asked alone, as written.
  const alone = all.filter((reading) => !reading.matchers.every(evaluable));
  const readings = all.filter((reading) => reading.matchers.every(evaluable));
  const asWritten = alone.map((reading) => ({ readings: [reading], query: counted(reading.name, reading.matchers, reading) }));
  if (readings.length === 0) return asWritten;
  const first = readings[0]!;
  const common = first.matchers
    .filter((matcher) => matcher.op === '=')
    .map((matcher) => matcher.label)
    .filter((label) => readings.every((reading) => reading.matchers.some((matcher) => matcher.label === label && matcher.op === '=')));
  const chunks: Reading[][] = [[]];
  let length = 0;
  for (const reading of readings) {
    const size =
      common.length > 0
        ? common.reduce((sum, label) => sum + reading.matchers.find((each) => each.label === label)!.value.length + 3, 0)
        : counted(reading.name, reading.matchers, reading).length + 4;
    if (chunks.at(-1)!.length > 0 && length + size > batchLength) {
      chunks.push([]);
      length = 0;
    }
    chunks.at(-1)!.push(reading);
    length += size;
  }
  return [
    ...asWritten,
    ...chunks.map((chunk) => {
      if (common.length === 0)
        return { readings: chunk, query: chunk.map((reading) => counted(reading.name, reading.matchers, reading)).join(' or ') };
      const union = common.map((label) => {
        const values = [
          ...new Set(chunk.map((reading) => reading.matchers.find((each) => each.label === label && each.op === '=')!.value)),
        ].sort();
        return values.length === 1
          ? { label, op: '=' as const, value: values[0]! }
          : { label, op: '=~' as const, value: values.map(escapeRegex).join('|') };
      });
      return { readings: chunk, query: counted(first.name, union, first) };
    }),
  ];
}

/**
 * Measures readings of one name, window and offset with as few queries as the batch length
 * allows; a batch over the server's sample limit is halved until it passes, and a single
 * reading over it is left unmeasured (reported by the caller).
 */
async function measureBatch(client: PrometheusClient, readings: readonly Reading[], time: number, into: Map<string, Measure | Error>) {
  await Promise.all(batchQueries(readings).map((batch) => measureChunk(client, batch, time, into)));
}

/** The answer's series by the value of one label, built once per label asked. */
class ByLabel {
  private readonly indexes = new Map<string, Map<string, { labels: Labels; value: number }[]>>();
  constructor(private readonly series: readonly { labels: Labels; value: number }[]) {}

  /** The series a reading may select: those with its first equality matcher's value, else all. */
  candidates(matchers: readonly LabelMatcher[]): readonly { labels: Labels; value: number }[] {
    const equal = matchers.find((matcher) => matcher.op === '=' && matcher.value !== '');
    if (!equal) return this.series;
    let index = this.indexes.get(equal.label);
    if (!index) {
      index = new Map();
      for (const each of this.series) {
        const value = each.labels[equal.label];
        if (value === undefined) continue;
        const list = index.get(value);
        if (list) list.push(each);
        else index.set(value, [each]);
      }
      this.indexes.set(equal.label, index);
    }
    return index.get(equal.value) ?? [];
  }
}

async function measureChunk(
  client: PrometheusClient,
  { readings, query }: { readings: Reading[]; query: string },
  time: number,
  into: Map<string, Measure | Error>,
) {
  let answer: ByLabel;
  try {
    answer = new ByLabel((await client.query(query, time)).series);
  } catch (error) {
    if (!(error instanceof QueryError)) throw error;
    if (readings.length === 1 || !error.tooLarge) {
      for (const reading of readings) into.set(reading.key, error);
      return;
    }
    const half = Math.ceil(readings.length / 2);
    for (const part of [readings.slice(0, half), readings.slice(half)])
      for (const batch of batchQueries(part)) await measureChunk(client, batch, time, into);
    return;
  }
  for (const reading of readings) {
    const mine = answer.candidates(reading.matchers).filter((series) => matchesLocally(reading.matchers, series.labels));
    into.set(reading.key, {
      series: mine.length,
      samples: reading.instant ? mine.length : mine.reduce((sum, series) => sum + series.value, 0),
    });
  }
}

/** A query and what it reads now. */
export interface Measured {
  readonly query: Query;
  readonly series: number;
  /** Undefined when the server could not tell. */
  readonly samples?: number;
}

export interface CostResult {
  readonly costs: Measured[];
  readonly findings: Pending[];
}

/**
 * The series and samples of every query, and the rules over `budget` series. Names the server
 * does not have (`present`: generated/'s new recorded series, a misspelt metric) read nothing
 * now and are not asked about.
 */
export async function measureCosts(
  client: PrometheusClient,
  queries: readonly Query[],
  options: { time: number; budget: number; present: (name: string) => boolean },
): Promise<CostResult> {
  const skip = (name: string): boolean => !options.present(name);
  const groups = new Map<string, Reading[]>();
  const seen = new Set<string>();
  const readingsOf = new Map<Query, Reading[] | undefined>();
  for (const query of queries) {
    const readings = query.selectors.map(readingOf);
    const whole = readings.some((reading) => reading === undefined);
    readingsOf.set(query, whole ? undefined : (readings as Reading[]));
    for (const reading of whole ? [] : (readings as Reading[])) {
      if (skip(reading.name) || seen.has(reading.key)) continue;
      seen.add(reading.key);
      const group = `${reading.name}\0${reading.window}\0${reading.offset ?? ''}`;
      const list = groups.get(group);
      if (list) list.push(reading);
      else groups.set(group, [reading]);
    }
  }
  const measured = new Map<string, Measure | Error>();
  const wholes = new Map<string, Promise<{ samples?: number } | Error>>();
  await Promise.all([
    ...[...groups.values()].map((readings) => measureBatch(client, readings, options.time, measured)),
    ...queries
      .filter((query) => readingsOf.get(query) === undefined && !wholes.has(query.expr))
      .map(async (query) => {
        const answer = client.query(query.expr, options.time).catch((error: unknown) => {
          if (error instanceof QueryError) return error;
          throw error;
        });
        wholes.set(query.expr, answer);
        await answer;
      }),
  ]);
  const costs: Measured[] = [];
  const findings: Pending[] = [];
  for (const query of queries) {
    const readings = readingsOf.get(query);
    let series = 0;
    let samples: number | undefined = 0;
    let failure: Error | undefined;
    if (readings === undefined) {
      const answer = await wholes.get(query.expr)!;
      if (answer instanceof Error) failure = answer;
      else samples = answer.samples;
    } else {
      for (const reading of readings) {
        const measure = skip(reading.name) ? { series: 0, samples: 0 } : measured.get(reading.key)!;
        if (measure instanceof Error) failure = measure;
        else {
          series += measure.series;
          samples += measure.samples;
        }
      }
    }
    if (failure) {
      samples = undefined;
      findings.push(
        pending(
          live.unmeasured(query.kind === 'panel' ? query.name : `${query.kind} ${query.name}`, failure.message),
          'error',
          query.origin,
          'narrow its selectors or aggregate earlier with a recording rule',
        ),
      );
    }
    costs.push({ query, series, ...(samples !== undefined && { samples }) });
    if (query.kind !== 'panel' && series > options.budget) {
      findings.push(
        pending(
          live.overBudget(
            `${query.kind} ${query.name}`,
            series.toLocaleString('en-US'),
            options.budget.toLocaleString('en-US'),
            samples === undefined ? '' : samples.toLocaleString('en-US'),
          ),
          'error',
          query.origin,
          'narrow its selectors, aggregate earlier with a recording rule, or raise --series-budget',
        ),
      );
    }
  }
  return { costs, findings };
}
