import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTool } from '../../../src/check/tools.ts';
import { ruleFilePath, testFilePath, wiringTestFilePath } from '../../../src/compile/prometheus/paths.ts';
import { isAlertingRule, type Rule, type RuleGroup } from '../../../src/compile/prometheus/rules.ts';
import { serviceRuleGroups } from '../../../src/compile/prometheus/service-rules.ts';
import { serviceTestFile, serviceWiringTestFile } from '../../../src/compile/prometheus/promtool-cases/test-file.ts';
import { sliWindows, sloWindow } from '../../../src/model/burn-rate.ts';
import type { Duration } from '../../../src/model/duration.ts';
import type { Platform } from '../../../src/model/platform.ts';
import type { Service } from '../../../src/model/service.ts';
import type { Slo } from '../../../src/model/slo.ts';
import { loadPlatform } from '../../../src/load/load.ts';
import { toYaml } from '../../../src/output/serialize.ts';
import { fixtureRoot } from '../../helpers/index.ts';

// The generated SLO tests must see wiring mistakes. Every mutant of the generated rules of the
// fixture API's availability SLO (99.9 % over 30d) that changes one thing — one window of a
// rule, one series a burn branch reads, one dropped branch or condition, the branches'
// thresholds swapped, the 0 fallback of the bad events, the SLO window as a mean of 5m ratios —
// must fail them. For its latency SLO (95 % over 28d), the rules are built by the same code
// with other numbers: the mutants of what differs (the aggregates of a histogram, the bucket
// matched by its spelling, the 28d window, the thresholds) must fail them too. Each promtool
// run of a wiring test takes about a second; all of them would double this file's time.

interface Mutant {
  readonly name: string;
  readonly groups: readonly RuleGroup[];
}

let platform: Platform;
let scratch: string;

beforeAll(async () => {
  platform = await loadPlatform(fixtureRoot('platform'));
  scratch = await mkdtemp(path.join(os.tmpdir(), 'monforge-mutants-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** A service with this SLO only: its rule file holds nothing else, so promtool runs each mutant fast. */
function alone(service: Service, slo: Slo): Service {
  return { ...service, slos: [slo], alerts: [], traffic: undefined, optOut: { ...service.optOut, absent: 'the SLO rules alone' } };
}

const ratioRecord = /slo:sli_error:ratio_rate(\w+)\{/g;

/** Every rule with one change, named. */
function mutants(slo: Slo, groups: readonly RuleGroup[]): Mutant[] {
  const windows: Duration[] = ['1m', ...sliWindows(slo)];
  const shorter = (window: string): string[] => {
    const at = windows.indexOf(window as Duration);
    return at > 0 ? [windows[at - 1]!] : [];
  };
  // Longer than the SLO window cannot be told apart within days of test history.
  const longer = (window: string): string[] => {
    const at = windows.indexOf(window as Duration);
    return at >= 0 && window !== sloWindow(slo) ? [windows[at + 1]!] : [];
  };
  const found: Mutant[] = [];
  const change = (name: string, target: Rule, expr: string): void => {
    if (expr === target.expr) throw new Error(`mutant "${name}" changes nothing`);
    found.push({
      name,
      groups: groups.map((group) => ({ ...group, rules: group.rules.map((rule) => (rule === target ? { ...rule, expr } : rule)) })),
    });
  };
  for (const rule of groups.flatMap((group) => group.rules)) {
    const name = isAlertingRule(rule) ? rule.alert : rule.record;
    if (!isAlertingRule(rule)) {
      for (const window of new Set([...rule.expr.matchAll(/\[(\w+)\]/g)].map((match) => match[1]!))) {
        for (const other of [...shorter(window), ...longer(window)])
          change(`${name}: [${window}] → [${other}]`, rule, rule.expr.replaceAll(`[${window}]`, `[${other}]`));
      }
      continue;
    }
    // A branch reading a neighbouring window's ratio, one occurrence at a time.
    for (const match of rule.expr.matchAll(ratioRecord)) {
      const window = match[1]!;
      for (const other of [...shorter(window), ...longer(window)].filter((each) => each !== '1m')) {
        const at = match.index!;
        change(
          `${name}: ${ordinal(rule.expr, at)} series ratio_rate${window} → ratio_rate${other}`,
          rule,
          `${rule.expr.slice(0, at)}slo:sli_error:ratio_rate${other}{${rule.expr.slice(at + match[0].length)}`,
        );
      }
    }
    const branches = rule.expr.slice(1, -1).split(') or (');
    branches.forEach((branch, index) => {
      change(
        `${name}: branch ${index + 1} dropped`,
        rule,
        branches
          .filter((_, other) => other !== index)
          .map((each) => `(${each})`)
          .join(' or '),
      );
      const [long, short] = branch.split(' and ');
      const rest = (kept: string): string => branches.map((each, other) => `(${other === index ? kept : each})`).join(' or ');
      change(`${name}: branch ${index + 1} without its short window`, rule, rest(long!));
      change(`${name}: branch ${index + 1} without its long window`, rule, rest(short!));
    });
    const thresholds = branches.map((branch) => branch.split(' > ')[1]!.split(' and ')[0]!);
    change(
      `${name}: thresholds of the branches swapped`,
      rule,
      branches.map((branch, index) => `(${branch.replaceAll(` > ${thresholds[index]}`, ` > ${thresholds[1 - index]}`)})`).join(' or '),
    );
  }
  const record = (name: string): Rule =>
    groups.flatMap((group) => group.rules).find((rule) => !isAlertingRule(rule) && rule.record === name)!;
  const bad = record('slo:sli_bad_events:rate5m');
  if (slo.kind === 'latency')
    change('bad events: bucket matched by its spelling', bad, bad.expr.replace(/le=~"[^"]+"/, `le="${slo.threshold}"`));
  else change('bad events: no 0 without an error series', bad, bad.expr.replace(/ or on\(\) 0 \* .*$/, ''));
  const window = record(`slo:sli_error:ratio_rate${sloWindow(slo)}`);
  const short = window.expr.replace(/^sum_over_time\(slo:sli_bad_events:rate5m(\{[^}]*\}).*$/, 'slo:sli_error:ratio_rate5m$1');
  change(
    'SLO window: mean of the 5m ratios',
    window,
    `sum_over_time(${short}[${sloWindow(slo)}]) / count_over_time(${short}[${sloWindow(slo)}])`,
  );
  return found;
}

const ordinal = (expr: string, at: number): string =>
  ['first', 'second', 'third', 'fourth'][[...expr.slice(0, at).matchAll(ratioRecord)].length]!;

/** Writes the rule file and both test files; resolves to the first test file promtool failed (cheap one first), if any. */
async function failing(
  dir: string,
  service: Service,
  groups: readonly RuleGroup[],
  original: readonly RuleGroup[],
): Promise<string | undefined> {
  const root = path.join(dir, 'prometheus');
  const tests = [testFilePath(service.name), wiringTestFilePath(service.name)];
  await mkdir(path.join(root, 'rules'), { recursive: true });
  await mkdir(path.join(root, 'tests'), { recursive: true });
  await writeFile(path.join(dir, ruleFilePath(service.name)), toYaml({ groups }));
  // The tests are generated from the unmutated rules: the mutant must not change what they expect.
  await writeFile(path.join(dir, tests[0]!), toYaml(serviceTestFile(service, original, ruleFilePath(service.name))));
  await writeFile(path.join(dir, tests[1]!), toYaml(serviceWiringTestFile(service, original, ruleFilePath(service.name))!));
  for (const test of tests) {
    const result = await runTool('promtool', ['test', 'rules', test.replace('prometheus/', '')], root);
    if (!result.ok) return path.basename(test);
  }
  return undefined;
}

/** promtool runs at a time: half the cores, so the files vitest runs alongside keep theirs. */
const promtoolRuns = Math.max(1, Math.floor(os.availableParallelism() / 2));

/** Runs `work` on every item with at most `limit` at a time. */
async function pool<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!, index);
      }
    }),
  );
  return results;
}

describe('generated SLO tests against mutated rules', () => {
  const latencySpecific = /sli_events|sli_bad_events|ratio_rate28d|SLO window|bucket|thresholds/;
  for (const [name, selected] of [
    ['availability', () => true],
    ['latency', (mutant: Mutant) => latencySpecific.test(mutant.name)],
  ] as const) {
    it(`fail for every single wiring change of the ${name} SLO's rules`, { timeout: 600_000 }, async () => {
      const api = platform.services.find((service) => service.name === 'api')!;
      const service = alone(api, api.slos!.find((slo) => slo.name === name)!);
      const slo = service.slos![0]!;
      const groups = serviceRuleGroups(platform.config, service);
      const started = performance.now();
      expect(await failing(path.join(scratch, `${name}-original`), service, groups, groups)).toBeUndefined();
      const all = mutants(slo, groups).filter(selected);
      const killedBy = await pool(all, promtoolRuns, (mutant, index) =>
        failing(path.join(scratch, `${name}-${index}`), service, mutant.groups, groups),
      );
      const count = (file: string): number => killedBy.filter((each) => each === path.basename(file)).length;
      console.log(
        `${name}: ${all.length} mutants; killed by ${testFilePath(service.name)}: ${count(testFilePath(service.name))}, ` +
          `by ${wiringTestFilePath(service.name)}: ${count(wiringTestFilePath(service.name))}; ` +
          `${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      expect(all.filter((_, index) => killedBy[index] === undefined).map((mutant) => mutant.name)).toEqual([]);
    });
  }
});
