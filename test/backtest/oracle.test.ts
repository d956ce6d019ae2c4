import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { prometheusApi } from '../../src/backtest/prometheus.ts';
import { replay, type ReplayedRule } from '../../src/backtest/replay.ts';
import { labelKey } from '../../src/diff/labels.ts';
import { compoundSeconds } from '../../src/model/duration.ts';
import { alertingRules, parseGeneratedTree, readGeneratedDir, recordingRules, type RuleGroup } from '../../src/reader/index.ts';
import { splitTestFile } from '../../src/check/test-split.ts';
import { toYaml } from '../../src/output/serialize.ts';
import { backfillOpenMetrics, type FamilyHistory, type HistoryServer, startPrometheus, verifyBlocks } from '../../scripts/history/index.ts';
import { repoRoot } from '../helpers/index.ts';

// promtool is the oracle: for every generated promtool test of the example platform (and a few
// cases of our own for keep_firing_for, label changes mid-episode and gaps), the same input
// series are backfilled into a real Prometheus, replayed by the backtest, and promtool must
// find exactly the simulator's firing alerts at every evaluation (same series, same evaluation
// interval, offset 0). promtool evaluates every group at the test's evaluation_interval, so
// groups are split by interval into one test file per interval.

const exec = promisify(execFile);

interface Scenario {
  readonly name: string;
  /** Scenarios of one set share their rule groups, evaluation interval and group order (one promtool test file per set). */
  readonly set: string;
  /** The test file's evaluation_interval: promtool evaluates every group at it, whatever its own interval. */
  readonly evaluationInterval: number;
  readonly order?: readonly string[];
  /** Rule groups under test (the generated ones, or our own). */
  readonly groups: readonly RuleGroup[];
  /** The alerts the scenario was written for (every alert of the groups when undefined). */
  readonly alerts?: ReadonlySet<string>;
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

const seconds = (text: string): number => compoundSeconds(text)!;

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
  set: { name: string; evaluationInterval: number; order?: readonly string[] },
  name: string,
  groups: readonly RuleGroup[],
  test: {
    interval: string;
    input_series?: { series: string; values: string }[];
    alert_rule_test?: { eval_time: string; alertname?: string }[];
  },
  alerts?: ReadonlySet<string>,
): Scenario {
  const interval = seconds(test.interval);
  const series = (test.input_series ?? []).map((each) => ({ text: each.series, values: each.values, ...parseSeries(each.series) }));
  // Ten minutes past the last sample, and past the last time the generated test looks at.
  const samples = Math.max(1, ...series.map((each) => expandValues(each.values).length));
  const looked = Math.max(0, ...(test.alert_rule_test ?? []).map((each) => seconds(each.eval_time)));
  const duration = Math.ceil((Math.max((samples - 1) * interval, looked) + 600) / set.evaluationInterval) * set.evaluationInterval;
  return {
    set: set.name,
    evaluationInterval: set.evaluationInterval,
    ...(set.order && { order: set.order }),
    name,
    groups,
    ...(alerts && { alerts }),
    interval,
    series,
    offset: 0,
    duration,
  };
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
  // Scenarios must not see each other through their longest reach (a 3d window, `offset 1w`): 11 days apart.
  const gap = 11 * 86_400;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'monforge-oracle-'));
    const tree = await readGeneratedDir(path.join(repoRoot, 'generated'));
    for (const [file, content] of tree.files) {
      // The SLO shapes' wiring tests check recording rules of an exemplar, not alerts: nothing
      // there for the backtest to replay.
      if (!file.startsWith('prometheus/tests/') || file.startsWith('prometheus/tests/slo-shapes/')) continue;
      const test = parse(content) as {
        rule_files: string[];
        evaluation_interval?: string;
        group_eval_order?: string[];
        tests: {
          name: string;
          interval: string;
          input_series?: { series: string; values: string }[];
          alert_rule_test?: { eval_time: string; alertname: string }[];
        }[];
      };
      const ruleFiles = test.rule_files.map((each) => path.posix.join('prometheus/tests', each));
      const groups = tree.ruleFiles.filter((each) => ruleFiles.includes(each.path)).flatMap((each) => each.groups);
      const set = {
        name: file,
        evaluationInterval: seconds(test.evaluation_interval ?? '1m'),
        ...(test.group_eval_order && { order: test.group_eval_order }),
      };
      // Each generated case is replayed for the alerts it was written for: every alert has its
      // own cases, and replaying every alert of a file in every case of it costs their product.
      // A case may write series under a recorded name (the SLO burn thresholds' window series,
      // labelled `case`); the backtest inlines recording rules and never reads such series, as in
      // Prometheus only the rule writes them: they are left out, and promtool compares without them.
      const recorded = new Set(groups.flatMap((group) => group.rules.flatMap((rule) => ('record' in rule ? [rule.record] : []))));
      for (const each of test.tests) {
        const alerts = new Set((each.alert_rule_test ?? []).map((check) => check.alertname));
        const inputs = (each.input_series ?? []).filter((input) => !recorded.has(parseSeries(input.series).name));
        scenarios.push(scenario(set, `${file}: ${each.name}`, groups, { ...each, input_series: inputs }, alerts));
      }
    }
    // Our own groups do not read each other: one set per interval.
    const own = parseGeneratedTree(new Map([['prometheus/rules/oracle.rules.yml', ownRules]]), 'oracle').ruleFiles[0]!.groups;
    for (const group of own) {
      const evaluationInterval = group.interval ? seconds(group.interval) : 60;
      scenarios.push(
        scenario(
          { name: `own-${evaluationInterval}s`, evaluationInterval },
          `keep_firing_for, label changes and gaps (${group.name})`,
          [group],
          { interval: '1m', input_series: ownSeries },
        ),
      );
    }
    let next = base;
    for (const each of scenarios) {
      each.offset = next;
      next += Math.ceil((each.duration + gap) / 86_400) * 86_400;
    }
    // One backfill for every scenario: each history holds its own hours, days apart from the others.
    const data = path.join(dir, 'data');
    const withData = scenarios.filter((each) => each.series.length > 0);
    const histories = withData.map((each) => {
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
      return {
        start: each.offset,
        end: sampleSpan(each).last,
        step: each.interval,
        families: [...families].map(([name, series]) => ({ name, type: 'unknown' as const, help: name, series })),
      };
    });
    const samples = await backfillOpenMetrics(histories, data, { workDir: path.join(dir, 'work') });
    await verifyBlocks(data, { samples, start: sampleSpan(withData[0]!).first, end: sampleSpan(withData.at(-1)!).last });
    server = await startPrometheus({ dataDir: data, workDir: path.join(dir, 'server') });
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('fires exactly when promtool fires, for every generated alert and our own cases', async () => {
    const api = prometheusApi(server.url);
    const files = new Map<string, { scenario: Scenario; tests: string[] }>();
    let evaluations = 0;
    const firedAlerts = new Set<string>();
    // Two scenarios at a time; each replays four alerts at a time.
    const tests = new Map<Scenario, string>();
    await inPool(scenarios, 2, async (each) => {
      const tree = parseGeneratedTree(new Map([['prometheus/rules/x.rules.yml', stringify({ groups: each.groups })]]), each.name);
      const replayed = await replay(
        api,
        alertingRules(tree).filter((located) => each.alerts?.has(located.rule.alert) ?? true),
        recordingRules(tree),
        { from: each.offset, to: each.offset + each.duration },
        {
          evaluationInterval: each.evaluationInterval,
          everyGroupAt: each.evaluationInterval,
          ...(each.order && { groupOrder: each.order }),
        },
      );
      for (const rule of replayed) {
        expect(rule.error, `${each.name}: ${rule.name}`).toBeUndefined();
        if (rule.episodes.length > 0) firedAlerts.add(rule.name);
      }
      const cases = alertCases(replayed, each);
      evaluations += cases.length;
      // JSON is YAML: much less to hold and write than a YAML document of this size.
      tests.set(
        each,
        JSON.stringify({
          name: each.name,
          interval: `${each.interval}s`,
          input_series: each.series.map((series) => ({ series: series.text, values: series.values })),
          alert_rule_test: cases,
        }),
      );
    });
    for (const each of scenarios) {
      const entry = files.get(each.set) ?? { scenario: each, tests: [] };
      files.set(each.set, entry);
      entry.tests.push(tests.get(each)!);
    }
    // Each set's test file, split as `check` splits generated tests: every scenario runs with the
    // rules its alerts read (and those read in turn), unchanged and in their groups' order.
    const runs: { set: string; file: string }[] = [];
    for (const [set, { scenario: first, tests }] of files) {
      const key = set.replace(/\W+/g, '-');
      // Annotations left out (their templates are not under test); every group at the test's interval.
      const groups = first.groups.map((group) => ({
        name: group.name,
        rules: group.rules.map((rule) => ('alert' in rule ? { ...rule, annotations: {} } : rule)),
      }));
      const header = toYaml({
        rule_files: [`${key}.rules.yml`],
        evaluation_interval: `${first.evaluationInterval}s`,
        ...(first.order && { group_eval_order: first.order }),
      });
      // A test group per line, in JSON (which is YAML): much less to write than YAML of this size.
      const whole = new Map([
        [`${key}.rules.yml`, toYaml({ groups })],
        [`${key}.test.yml`, `${header}tests:\n${tests.map((test) => `  - ${test}\n`).join('')}`],
      ]);
      for (const [file, text] of splitTestFile(`${key}.test.yml`, whole) ?? whole) {
        await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
        await writeFile(path.join(dir, file), text);
        if (file.endsWith('.test.yml')) runs.push({ set, file: path.join(dir, file) });
      }
    }
    await inPool(runs, 2, async ({ set, file }) => {
      const outcome = await exec('promtool', ['test', 'rules', file], { maxBuffer: 64 * 1024 * 1024, timeout: 300_000 }).catch(
        (error: { stdout: string; stderr: string }) => error,
      );
      expect(
        `${outcome.stdout}${outcome.stderr}`.trim().split('\n').slice(-1)[0],
        `${set}: ${outcome.stdout}${outcome.stderr}`.slice(0, 4000),
      ).toBe('  SUCCESS');
    });
    // Every generated alert was compared and fired in at least one case.
    const generated = alertingRules(await readGeneratedDir(path.join(repoRoot, 'generated'))).map((each) => each.rule.alert);
    expect(generated.filter((name) => !firedAlerts.has(name))).toStrictEqual([]);
    expect(firedAlerts.has('OracleKeepFiring') && firedAlerts.has('OracleFast')).toBe(true);
    expect(evaluations).toBeGreaterThan(10_000);
  }, 900_000);
});

/** Runs `work` over `items`, `concurrency` at a time. */
async function inPool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** One alert_rule_test per evaluation and alert name: the alerts firing at that time in the replay. */
function alertCases(rules: readonly ReplayedRule[], scenario: Scenario) {
  const interval = scenario.evaluationInterval;
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
