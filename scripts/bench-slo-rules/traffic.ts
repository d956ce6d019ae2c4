// The synthetic history of the benchmark: 3 days and an hour of `http_requests_total`, scraped
// every 15 s. `myservice` has steady traffic over as many series as the run asks for (route ×
// method × code × instance); each accuracy job has 48 series, ten times more traffic by day
// (08:00–20:00 UTC) than by night, and its own errors. Series do not count in step with each
// other or with rule evaluations, as independent clients would not. Counter values are whole requests,
// cumulative from the start; a series of errors exists from its first error on.
import type { FamilyHistory, History, SeriesHistory } from '../history/index.ts';
import { requestsMetric, type Job } from './platform.ts';

/** 2024-03-04T00:00:00Z, a Monday and a block boundary. */
export const start = 1_709_510_400;
export const end = start + 3 * 86_400 + 3600;
export const step = 15;

/** Status codes and their share of myservice's requests; 5xx and 429 are errors (0.08 % together). */
const codeShares: Record<string, number> = {
  '200': 0.8,
  '201': 0.05,
  '204': 0.05,
  '301': 0.01,
  '304': 0.03,
  '400': 0.02,
  '401': 0.01,
  '403': 0.005,
  '404': 0.0242,
  '429': 0.0002,
  '500': 0.0004,
  '502': 0.0001,
  '503': 0.0001,
};
export const isError = (code: string): boolean => /^(5..|429)$/.test(code);
const steadyRequestsPerSecond = 20_000;

export interface JobSeries extends SeriesHistory {
  readonly error: boolean;
}

/** myservice: `count` series with constant rates. */
function steady(count: number): JobSeries[] {
  const codes = Object.keys(codeShares);
  const labels: { instance: string; route: string; method: string; code: string }[] = [];
  for (let instance = 0; labels.length < count; instance += 1) {
    for (let route = 0; route < 20 && labels.length < count; route += 1) {
      for (const method of ['GET', 'POST']) {
        for (const code of codes) {
          if (labels.length < count) labels.push({ instance: `i-${instance}`, route: `/r/${route}`, method, code });
        }
      }
    }
  }
  const perCode = new Map<string, number>();
  for (const each of labels) perCode.set(each.code, (perCode.get(each.code) ?? 0) + 1);
  return labels.map((each, index) => {
    const rate = (steadyRequestsPerSecond * codeShares[each.code]!) / perCode.get(each.code)!;
    const phase = outOfPhase(index) / rate;
    return {
      labels: { job: 'myservice', ...each },
      error: isError(each.code),
      value: (time: number) => Math.floor(rate * (time - start + phase)),
    };
  });
}

/** A fraction of a request in [0, 1), different for every series of myservice: their counters step at different times. */
const outOfPhase = (index: number): number => (index * 0.618_033_988_75) % 1;

const hourOf = (time: number): number => Math.floor(((time - start) % 86_400) / 3600);
const isDay = (time: number): boolean => hourOf(time) >= 8 && hourOf(time) < 20;

/** Requests per second and error ratio of an accuracy job at a time. */
type Shape = (time: number) => { requests: number; errorRatio: number };

export const accuracyShapes: Record<Exclude<Job, 'myservice'>, Shape> = {
  // The first case: 0.2 % errors at night only.
  'night-errors': (time) => ({ requests: isDay(time) ? 1000 : 100, errorRatio: isDay(time) ? 0 : 0.002 }),
  // The same errors by day only.
  'day-errors': (time) => ({ requests: isDay(time) ? 1000 : 100, errorRatio: isDay(time) ? 0.002 : 0 }),
  // No error series for three days, then an hour at 1 %, two hours before the end.
  'late-burst': (time) => ({ requests: isDay(time) ? 1000 : 100, errorRatio: time >= end - 3 * 3600 && time < end - 2 * 3600 ? 0.01 : 0 }),
  // 0.05 % errors, and no request at all from 02:00 to 02:45 every night.
  'idle-nights': (time) => ({
    requests: hourOf(time) === 2 && (time - start) % 3600 < 2700 ? 0 : isDay(time) ? 1000 : 100,
    errorRatio: 0.0005,
  }),
};

/** A small deterministic generator of uniform numbers in [0, 1) (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * An accuracy job: 3 instances × 4 routes × codes 200, 404 (good) and 500, 503 (errors). Each
 * scrape interval a series counts its expected share of the requests, rounded up or down at
 * random (dithered: right on average, no pattern that could line up with rule evaluations).
 */
function accuracy(job: Exclude<Job, 'myservice'>, seed: number): JobSeries[] {
  const shape = accuracyShapes[job];
  const samples = (end - start) / step + 1;
  const series: JobSeries[] = [];
  const shares = { '200': 0.9, '404': 0.1, '500': 0.7, '503': 0.3 } as const;
  for (let instance = 0; instance < 3; instance += 1) {
    for (let route = 0; route < 4; route += 1) {
      for (const code of ['200', '404', '500', '503'] as const) {
        const error = isError(code);
        const next = random(seed + series.length);
        const counts = new Float64Array(samples);
        for (let index = 1; index < samples; index += 1) {
          const { requests, errorRatio } = shape(start + index * step);
          const expected = (shares[code] / 12) * requests * step * (error ? errorRatio : 1 - errorRatio);
          counts[index] = counts[index - 1]! + Math.floor(expected + next());
        }
        const value = (time: number): number | undefined => {
          const count = counts[(time - start) / step]!;
          return error && count === 0 ? undefined : count;
        };
        series.push({ labels: { job, instance: `i-${instance}`, route: `/r/${route}`, method: 'GET', code }, error, value });
      }
    }
  }
  return series;
}

export interface Traffic {
  readonly history: History;
  readonly byJob: ReadonlyMap<Job, readonly JobSeries[]>;
}

/** The history of one run: myservice with `count` series, and every accuracy job. */
export function traffic(count: number): Traffic {
  const byJob = new Map<Job, JobSeries[]>([['myservice', steady(count)]]);
  for (const [index, job] of (Object.keys(accuracyShapes) as Exclude<Job, 'myservice'>[]).entries())
    byJob.set(job, accuracy(job, 1000 * (index + 1)));
  const family: FamilyHistory = {
    name: requestsMetric.replace(/_total$/, ''),
    type: 'counter',
    help: 'Requests by route, method and status code.',
    series: [...byJob.values()].flat(),
  };
  return { history: { families: [family], start, end, step }, byJob };
}

/**
 * The true error ratio of a job over the `seconds` before `time`: errors over requests, from
 * the counters' values at both ends (0 before a series exists or the history starts).
 */
export function trueErrorRatio(series: readonly JobSeries[], time: number, seconds: number): number {
  const from = Math.max(start, time - seconds);
  let errors = 0;
  let all = 0;
  for (const each of series) {
    const increase = (each.value(time) ?? 0) - (each.value(from) ?? 0);
    all += increase;
    if (each.error) errors += increase;
  }
  return errors / all;
}
