import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { prometheusApi } from '../../src/backtest/prometheus.ts';
import { replay, type ReplayedRule } from '../../src/backtest/replay.ts';
import { labelKey } from '../../src/diff/labels.ts';
import { alertingRules, parseGeneratedTree, readGeneratedDir, recordingRules, type RuleGroup } from '../../src/generated/index.ts';
import { backfillOpenMetrics, type FamilyHistory, type HistoryServer, startPrometheus, verifyBlocks } from '../../scripts/history/index.ts';
import { repoRoot } from '../helpers.ts';

// promtool is the oracle: for every generated promtool test of the example platform (and a few
// cases of our own for keep_firing_for, label changes mid-episode and gaps), the same input
// series are backfilled into a real Prometheus, replayed by the backtest, and promtool must
// find exactly the simulator's firing alerts at every evaluation (same series, same evaluation
// interval, offset 0). promtool evaluates every group at the test's evaluation_interval, so
// groups are split by interval into one test file per interval.

const exec = promisify(execFile);

interface Scenario {
  readonly name: string;
  /** Scenarios of one set share their rule groups (one promtool test file per set and interval). */
  readonly set: string;
  /** Rule groups under test (the generated ones, or our own). */
  readonly groups: readonly RuleGroup[];
  readonly interval: number;
  readonly series: readonly {
    readonly text: string;
    readonly values: string;
    readonly name: string;
    readonly labels: Record<string, string>;
  }[];
  /** Where the scenario's time 0 is in the TSDB (scenarios must not see each other through 3d windows). */
  offset: number;
  /** Seconds after time 0 of the last evaluation compared. */
  duration: number;
}

/** promtool's series notation (promql/parser generated_parser.y, series_item): `a+bxn` is n+1 values by repeated addition, `_xn` n gaps. */
function expandValues(text: string): (number | undefined)[] {
  const values: (number | undefined)[] = [];
  for (const item of text.trim().split(/\s+/)) {
    const gaps = /^_(?:x(\d+))?$/.exec(item);
    if (gaps) {
      values.push(...Array.from({ length: gaps[1] === undefined ? 1 : Number(gaps[1]) }, () => undefined));
      continue;
    }
    const number = '[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:e[-+]?\\d+)?';
    const match = new RegExp(`^(${number})(?:([-+](?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:e[-+]?\\d+)?)?x(\\d+))?$`).exec(item);
    if (!match) throw new Error(`cannot expand ${JSON.stringify(item)}`);
    let value = Number(match[1]);
    if (match[3] === undefined) {
      values.push(value);
      continue;
    }
    const step = match[2] === undefined ? 0 : Number(match[2]);
    for (let index = 0; index <= Number(match[3]); index += 1) {
      values.push(value);
      value += step;
    }
  }
  return values;
}

function parseSeries(text: string): { name: string; labels: Record<string, string> } {
  const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\}$/.exec(text.trim());
  if (!match) throw new Error(`cannot read series ${text}`);
  const labels = Object.fromEntries(
    [...match[2]!.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((each) => [each[1]!, JSON.parse(`"${each[2]}"`) as string]),
  );
  return { name: match[1]!, labels };
}

const seconds = (text: string): number => Number(/^(\d+)s$/.exec(text)?.[1] ?? Number(/^(\d+)m$/.exec(text)![1]) * 60);

/** Our own cases: keep_firing_for, a label set that changes mid-episode, gaps within and beyond the 5m lookback. */
const ownRules = `groups:
  - name: oracle
    rules:
      - alert: OracleKeepFiring
        expr: sum by (instance) (oracle_errors) > 5
        for: 2m
        keep_firing_for: 3m
        labels: { service: oracle, severity: warning }
      - alert: OracleNoFor
        expr: oracle_errors > 5
        labels: { service: oracle, severity: critical }
  - name: oracle-fast
    interval: 10s
    rules:
      - alert: OracleFast
        expr: max by (instance) (oracle_errors) > 8
        keep_firing_for: 30s
        labels: { service: oracle, severity: critical }
`;
const ownSeries = [
  { series: 'oracle_errors{instance="a"}', values: '0 0 10 10 10 10 _ _ 10 10 2 2 10 10 10 0 0 _x8 10 10 10 10 3 10 10' },
  { series: 'oracle_errors{instance="b"}', values: '_x8 10 10 10 10 10 10 0 0 0 _x10 9 9 9 _ 9' },
];

function scenario(
  set: string,
  name: string,
  groups: readonly RuleGroup[],
  test: { interval: string; input_series: { series: string; values: string }[] },
): Scenario {
  const interval = seconds(test.interval);
  const series = test.input_series.map((each) => ({ text: each.series, values: each.values, ...parseSeries(each.series) }));
  const samples = Math.max(...series.map((each) => expandValues(each.values).length));
  return { set, name, groups, interval, series, offset: 0, duration: (samples - 1) * interval + 600 };
}

/** First and last sample time of a scenario in the TSDB. */
function sampleSpan(scenario: Scenario): { first: number; last: number } {
  const indexes = scenario.series.flatMap((series) =>
    expandValues(series.values).flatMap((value, index) => (value === undefined ? [] : [index])),
  );
  return {
    first: scenario.offset + Math.min(...indexes) * scenario.interval,
    last: scenario.offset + Math.max(...indexes) * scenario.interval,
  };
}

describe('the simulator against promtool test rules (the oracle)', () => {
  let dir: string;
  let server: HistoryServer;
  const scenarios: Scenario[] = [];
  const base = Date.UTC(2020, 0, 1) / 1000;
  const spacing = 4 * 86_400;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'monforge-oracle-'));
    const tree = await readGeneratedDir(path.join(repoRoot, 'generated'));
    for (const [file, content] of tree.files) {
      if (!file.startsWith('prometheus/tests/')) continue;
      const test = parse(content) as {
        rule_files: string[];
        tests: { name: string; interval: string; input_series: { series: string; values: string }[] }[];
      };
      const ruleFiles = test.rule_files.map((each) => path.posix.join('prometheus/tests', each));
      const groups = tree.ruleFiles.filter((each) => ruleFiles.includes(each.path)).flatMap((each) => each.groups);
      for (const each of test.tests) scenarios.push(scenario(file, `${file}: ${each.name}`, groups, each));
    }
    const own = parseGeneratedTree(new Map([['prometheus/rules/oracle.rules.yml', ownRules]]), 'oracle');
    scenarios.push(
      scenario('own', 'keep_firing_for, label changes and gaps', own.ruleFiles[0]!.groups, { interval: '1m', input_series: ownSeries }),
    );
    scenarios.forEach((each, index) => {
      each.offset = base + index * spacing;
    });
    // One backfill per scenario: each writes only its own two hours.
    const data = path.join(dir, 'data');
    let samples = 0;
    for (const each of scenarios) {
      const families = new Map<string, FamilyHistory['series'][number][]>();
      for (const series of each.series) {
        // Unix times in values move with the scenario, so time() − value stays what promtool sees.
        const shift = series.name.endsWith('_timestamp_seconds') ? each.offset : 0;
        const values = expandValues(series.values);
        families.set(series.name, [
          ...(families.get(series.name) ?? []),
          {
            labels: series.labels,
            value: (time) => {
              const value = values[Math.round((time - each.offset) / each.interval)];
              return value === undefined ? undefined : value + shift;
            },
          },
        ]);
      }
      const history = {
        start: each.offset,
        end: sampleSpan(each).last,
        step: each.interval,
        families: [...families].map(([name, series]) => ({ name, type: 'unknown' as const, help: name, series })),
      };
      samples += await backfillOpenMetrics(history, data, { workDir: path.join(dir, 'work') });
    }
    await verifyBlocks(data, { samples, start: sampleSpan(scenarios[0]!).first, end: sampleSpan(scenarios.at(-1)!).last });
    server = await startPrometheus({ dataDir: data, workDir: path.join(dir, 'server') });
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('fires exactly when promtool fires, for every generated alert and our own cases', async () => {
    const api = prometheusApi(server.url);
    const files = new Map<string, { interval: number; tests: unknown[]; groups: Map<string, RuleGroup> }>();
    let evaluations = 0;
    const firedAlerts = new Set<string>();
    for (const each of scenarios) {
      const tree = parseGeneratedTree(new Map([['prometheus/rules/x.rules.yml', stringify({ groups: each.groups })]]), each.name);
      const replayed = await replay(
        api,
        alertingRules(tree),
        recordingRules(tree),
        { from: each.offset, to: each.offset + each.duration },
        { evaluationInterval: 60 },
      );
      for (const rule of replayed) {
        expect(rule.error, `${each.name}: ${rule.name}`).toBeUndefined();
        if (rule.episodes.length > 0) firedAlerts.add(rule.name);
      }
      const intervals = new Set(replayed.map((rule) => rule.interval));
      for (const interval of intervals) {
        const key = `${each.set.replace(/\W+/g, '-')}-${interval}s`;
        const entry = files.get(key) ?? { interval, tests: [] as unknown[], groups: new Map<string, RuleGroup>() };
        files.set(key, entry);
        for (const group of each.groups.filter((candidate) => (candidate.interval ? seconds(candidate.interval) : 60) === interval))
          entry.groups.set(group.name, {
            ...group,
            rules: group.rules.map((rule) => ('alert' in rule ? { ...rule, annotations: {} } : rule)),
          });
        const rules = replayed.filter((rule) => rule.interval === interval);
        const cases = alertCases(rules, each, interval);
        evaluations += cases.length;
        entry.tests.push({
          name: each.name,
          interval: `${each.interval}s`,
          input_series: each.series.map((series) => ({ series: series.text, values: series.values })),
          alert_rule_test: cases,
        });
      }
    }
    for (const [key, entry] of files) {
      const rules = path.join(dir, `${key}.rules.yml`);
      await writeFile(rules, stringify({ groups: [...entry.groups.values()].map((group) => ({ ...group, interval: undefined })) }));
      const file = path.join(dir, `${key}.test.yml`);
      await writeFile(file, stringify({ rule_files: [rules], evaluation_interval: `${entry.interval}s`, tests: entry.tests }));
      const outcome = await exec('promtool', ['test', 'rules', file], { maxBuffer: 64 * 1024 * 1024, timeout: 300_000 }).catch(
        (error: { stdout: string; stderr: string }) => error,
      );
      expect(
        `${outcome.stdout}${outcome.stderr}`.trim().split('\n').slice(-1)[0],
        `${outcome.stdout}${outcome.stderr}`.slice(0, 4000),
      ).toBe('  SUCCESS');
    }
    // Every generated alert was compared; the cases make most of them fire at least once.
    const generated = alertingRules(await readGeneratedDir(path.join(repoRoot, 'generated'))).map((each) => each.rule.alert);
    expect(generated.filter((name) => !firedAlerts.has(name))).toStrictEqual([]);
    expect(firedAlerts.has('OracleKeepFiring') && firedAlerts.has('OracleFast')).toBe(true);
    expect(evaluations).toBeGreaterThan(10_000);
  }, 600_000);
});

/** One alert_rule_test per evaluation and alert name: the alerts firing at that time in the replay. */
function alertCases(rules: readonly ReplayedRule[], scenario: Scenario, interval: number) {
  const names = [...new Set(rules.map((rule) => rule.name))];
  const cases: unknown[] = [];
  for (let time = 0; time <= scenario.duration; time += interval) {
    const at = scenario.offset + time;
    for (const name of names) {
      const firing = rules
        .filter((rule) => rule.name === name)
        .flatMap((rule) => rule.episodes.filter((episode) => episode.start <= at && (episode.end ?? Number.POSITIVE_INFINITY) > at))
        .map((episode) => Object.fromEntries(Object.entries(episode.labels).filter(([label]) => label !== 'alertname')))
        .sort((a, b) => labelKey(a).localeCompare(labelKey(b)));
      cases.push({ eval_time: `${time}s`, alertname: name, exp_alerts: firing.map((labels) => ({ exp_labels: labels })) });
    }
  }
  return cases;
}
