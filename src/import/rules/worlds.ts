import { matchesAll } from '../../compile/alertmanager/matchers.ts';
import type { TestSeries } from '../../model/expr.ts';
import { type LabelMatcher, parsePromql } from '../../promql/parse.ts';
import { quote } from '../../promql/render.ts';
import { valueMatching, valueNotMatching } from '../regex-sample.ts';

// Candidate inputs for a synthesised promtool case: one series per metric an expression reads
// (labels that pass every selector of it, plus the labels it groups and matches on, with one
// value each across all series so that joins line up), and "worlds" that give each series a
// shape over time — constant, counting up, running down, flapping, absent, or doubled into two
// series that differ — with values drawn from the numbers in the expression. promtool then
// says which worlds fire the alert and which leave it quiet (tests.ts). Shapes are defined per
// minute, so a world renders the same at any sample interval.

export interface SeriesTemplate {
  readonly metric: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Read as a counter (inside rate, increase, …, or named like one). */
  readonly counter: boolean;
  /** A histogram's `_bucket` series: one series per `le`. */
  readonly bucket: boolean;
  /** The label a second series of the metric differs in, if one is free to. */
  readonly twinLabel: string | undefined;
}

type Shape = 'const' | 'up' | 'down' | 'flap' | 'absent';

interface Choice {
  readonly shape: Shape;
  readonly value: number;
  /** For a histogram: the first bucket that counts the observations. */
  readonly bucketAt: number;
  /** A second series of the metric, with this value. */
  readonly twin?: number;
}

export interface World {
  readonly name: string;
  /** One choice per template. */
  readonly choices: readonly Choice[];
  /** Every template has a series (none is left absent). */
  readonly complete: boolean;
}

const counterFunctions = new Set(['rate', 'irate', 'increase', 'resets']);
const buckets = ['0.005', '0.01', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '30', '60', '+Inf'];

/** A selector's matchers that no label value passes (`integration!~".*"`), as written; empty when it can match. */
export function impossibleMatchers(expr: string): string[] {
  return parsePromql(expr).selectors.flatMap((selector) => {
    const matchers = selector.matchers.filter((matcher) => matcher.label !== '__name__');
    if (labelsFor(matchers, new Map())) return [];
    return matchers
      .filter((matcher) => !labelsFor([matcher], new Map()))
      .map((matcher) => `${matcher.label}${matcher.op}${quote(matcher.value)}`);
  });
}

/** Labels accepted by every matcher, with the join labels added (at their shared value) where the matchers allow them. */
function labelsFor(matchers: readonly LabelMatcher[], joins: ReadonlyMap<string, string>): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  for (const label of new Set(matchers.map((matcher) => matcher.label))) {
    const own = matchers.filter((matcher) => matcher.label === label);
    const candidates = [
      joins.get(label),
      ...own.flatMap((matcher) => (matcher.op === '=' ? [matcher.value] : matcher.op === '=~' ? [valueMatching(matcher.value)] : [])),
      '',
      `${label}-1`,
      ...own.flatMap((matcher) => (matcher.op === '!=' || matcher.op === '!~' ? [valueNotMatching(matcher.value)] : [])),
    ].filter((value): value is string => value !== undefined);
    const value = candidates.find((candidate) => own.every((matcher) => matchesAll([matcher], { [label]: candidate })));
    if (value === undefined) return undefined;
    if (value !== '') labels[label] = value;
  }
  for (const [label, value] of joins) {
    if (label in labels) continue;
    const widened = { ...labels, [label]: value };
    if (matchesAll(matchers, widened)) labels[label] = value;
  }
  return labels;
}

/**
 * The series an expression reads, one per metric where its selectors agree, else one per
 * selector. `joinLabels` are labels every series should carry when its matchers allow (those
 * the expression groups or matches on, those its annotations print).
 */
export function seriesTemplates(expr: string, joinLabels: readonly string[]): SeriesTemplate[] {
  const selectors = parsePromql(expr).selectors;
  // One value per join label across all series: a selector's own equality wins.
  const joins = new Map<string, string>();
  for (const label of [...joinLabels, 'job', 'instance']) {
    if (label === 'le' || label === '__name__' || joins.has(label)) continue;
    const named = selectors.flatMap((selector) => selector.matchers.filter((matcher) => matcher.label === label && matcher.op === '='))[0];
    joins.set(label, named?.value ?? `${label}-1`);
  }
  const byMetric = new Map<string, typeof selectors>();
  for (const selector of selectors) {
    const named = selector.name ?? valueMatching(selector.matchers.find((matcher) => matcher.label === '__name__')?.value ?? '');
    if (!named) continue;
    byMetric.set(named, [...(byMetric.get(named) ?? []), selector]);
  }
  const templates: SeriesTemplate[] = [];
  for (const [metric, own] of byMetric) {
    const counter =
      own.some((selector) => counterFunctions.has(selector.function ?? '') && selector.inRange) ||
      /_(total|count|sum|bucket)$/.test(metric);
    const bucket = metric.endsWith('_bucket');
    const matchersOf = (list: typeof own): LabelMatcher[] =>
      list.flatMap((selector) => selector.matchers.filter((matcher) => matcher.label !== '__name__'));
    const together = labelsFor(matchersOf(own), joins);
    const sets: Record<string, string>[] = together
      ? [together]
      : own.flatMap((selector) => {
          const labels = labelsFor(matchersOf([selector]), joins);
          return labels ? [labels] : [];
        });
    const distinct = new Map(sets.map((labels): [string, Record<string, string>] => [JSON.stringify(labels), labels]));
    for (const labels of distinct.values()) {
      const matchers = matchersOf(own);
      const twinLabel = ['instance', 'pod', 'replica'].find((label) => matchesAll(matchers, { ...labels, [label]: `${label}-2` }));
      templates.push({ metric, labels, counter, bucket, twinLabel });
    }
  }
  return templates;
}

const tidy = (value: number): string => String(Number(value.toPrecision(6)));

/** A duration of whole seconds as promtool writes it. */
export const durationText = (seconds: number): string => (seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`);

export interface Rendering {
  /** Seconds between samples (flapping worlds sample four times as often, at least every 15s). */
  readonly interval: number;
  /** How many samples each series has. */
  readonly samples: number;
  /** Minutes over which a falling series runs down to a tenth of where it started. */
  readonly horizon: number;
}

/** promtool's expanding notation for a shape. */
function values(shape: Exclude<Shape, 'absent'>, value: number, rendering: Rendering): string {
  const steps = rendering.samples - 1;
  const minutes = rendering.interval / 60;
  switch (shape) {
    case 'const':
      return `${tidy(value)}x${steps}`;
    case 'up':
      return `0+${tidy(value * minutes)}x${steps}`;
    case 'down':
      return `${tidy(value)}-${tidy((value * 0.9 * minutes) / rendering.horizon)}x${steps}`;
    case 'flap':
      return Array.from({ length: rendering.samples }, (_, index) => (index % 2 === 0 ? '0' : tidy(value))).join(' ');
  }
}

/** The sample interval of a world: flapping needs several samples per minute. */
export function intervalOf(world: World, base: number): number {
  return world.choices.some((choice) => choice.shape === 'flap') ? Math.min(base, 15) : base;
}

/** A world's input series at a sample interval and length. */
export function renderWorld(templates: readonly SeriesTemplate[], world: World, rendering: Rendering): TestSeries[] {
  return templates.flatMap((template, index) => {
    const choice = world.choices[index]!;
    if (choice.shape === 'absent') return [];
    const shape = choice.shape;
    const one = (labels: Readonly<Record<string, string>>, value: number): TestSeries[] => {
      const name = (own: Readonly<Record<string, string>>): string =>
        `${template.metric}{${Object.entries(own)
          .map(([label, text]) => `${label}=${quote(text)}`)
          .join(', ')}}`;
      if (!template.bucket) return [{ series: name(labels), values: values(shape, value, rendering) }];
      // Every observation in one bucket: the buckets from it up count them all, those below none.
      return buckets.map((le, position) => ({
        series: name({ ...labels, le }),
        values: position >= choice.bucketAt ? values(shape === 'const' ? 'up' : shape, value, rendering) : values('const', 0, rendering),
      }));
    };
    const twin =
      choice.twin !== undefined && template.twinLabel
        ? one({ ...template.labels, [template.twinLabel]: `${template.twinLabel}-2` }, choice.twin)
        : [];
    return [...one(template.labels, choice.value), ...twin];
  });
}

/** A small deterministic generator, so the same expression always gets the same candidates. */
function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

/** The values worth trying: the expression's numbers and their neighbours, and a few round ones. */
function candidateValues(numbers: readonly number[]): number[] {
  const around = numbers.filter((each) => Math.abs(each) < 1e12).flatMap((n) => [n, n * 2, n / 2, n + 1, n - 1, n * 1.5, n * 100]);
  const values = [...new Set([1, 0, 100, 10, 1000, 0.5, ...around, 1e6, 2].map((each) => Number(each.toPrecision(6))))];
  return values.filter((each) => each >= 0).slice(0, 24);
}

/** Candidate worlds for `templates`, at most `budget`, simplest first. */
export function worlds(templates: readonly SeriesTemplate[], expressionNumbers: readonly number[], budget = 160): World[] {
  const numbers = candidateValues(expressionNumbers);
  const found = new Map<string, World>();
  const natural = (template: SeriesTemplate): Shape => (template.counter ? 'up' : 'const');
  const add = (name: string, pick: (template: SeriesTemplate, index: number) => Partial<Choice> & { shape?: Shape }): void => {
    if (found.size >= budget) return;
    const choices = templates.map((template, index) => {
      const picked = pick(template, index);
      return {
        shape: picked.shape ?? natural(template),
        value: picked.value ?? 1,
        bucketAt: picked.bucketAt ?? 6,
        ...(picked.twin !== undefined && { twin: picked.twin }),
      };
    });
    const key = JSON.stringify(choices);
    if (!found.has(key)) found.set(key, { name, choices, complete: choices.every((choice) => choice.shape !== 'absent') });
  };
  for (const value of numbers.slice(0, 8)) add(`every series ${value}`, () => ({ value }));
  // Each series at 0, 1 or 100 on its own: a ratio, a difference, a condition on a third series.
  const grid = [0, 1, 100];
  if (templates.length > 1 && templates.length <= 4) {
    for (let code = 0; code < grid.length ** templates.length; code += 1) {
      const digits = templates.map((_, index) => grid[Math.floor(code / grid.length ** index) % grid.length]!);
      add(`series at ${digits.join(', ')}`, (_, index) => ({ value: digits[index]! }));
    }
    // The same, with the gauges at 1 running down: a level and a trend together (disk filling up).
    for (let code = 0; code < grid.length ** templates.length; code += 1) {
      const digits = templates.map((_, index) => grid[Math.floor(code / grid.length ** index) % grid.length]!);
      if (!templates.some((template, index) => !template.counter && digits[index] === 1)) continue;
      add(`series at ${digits.join(', ')}, those at 1 falling`, (template, index) => ({
        value: digits[index]!,
        ...(!template.counter && digits[index] === 1 && { shape: 'down' as const }),
      }));
    }
  }
  for (const absent of templates.keys()) add(`series ${absent + 1} absent`, (_, index) => (index === absent ? { shape: 'absent' } : {}));
  add('no series', () => ({ shape: 'absent' }));
  for (const value of numbers.slice(8)) add(`every series ${value}`, () => ({ value }));
  for (const value of numbers.slice(0, 8)) add(`every series falling from ${value}`, () => ({ shape: 'down', value }));
  if (templates.some((template) => template.bucket))
    for (const bucketAt of [0, 4, 8, 11, 12]) add(`observations in bucket ${buckets[bucketAt]}`, () => ({ value: 10, bucketAt }));
  if (templates.some((template) => template.twinLabel))
    for (const [first, second] of [
      [1, 2],
      [0, 1],
      [1, 1],
      [100, 1],
    ] as const)
      add(`two series of each metric, at ${first} and ${second}`, () => ({ value: first, twin: second }));
  const few = numbers.slice(0, 6);
  for (const value of few) add(`every series flapping to ${value}`, () => ({ shape: 'flap', value }));
  if (templates.length > 1)
    for (const first of few)
      for (const rest of few) add(`the first series ${first}, the others ${rest}`, (_, index) => ({ value: index === 0 ? first : rest }));
  for (const varied of templates.keys())
    for (const value of numbers) add(`series ${varied + 1} at ${value}`, (_, index) => (index === varied ? { value } : {}));
  const random = seeded(expressionNumbers.length * 7919 + templates.length * 31);
  const shapes: Shape[] = ['const', 'up', 'down', 'flap', 'absent'];
  for (let round = 0; found.size < budget && round < budget * 2; round += 1) {
    add(`mixed ${round + 1}`, (template) => ({
      shape: random() < 0.6 ? natural(template) : shapes[Math.floor(random() * shapes.length)]!,
      value: numbers[Math.floor(random() * numbers.length)]!,
      bucketAt: Math.floor(random() * buckets.length),
      ...(random() < 0.2 && { twin: numbers[Math.floor(random() * numbers.length)]! }),
    }));
  }
  return [...found.values()];
}
