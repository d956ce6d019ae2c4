import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ruleIntervalFindings } from '../../../src/check/rule-intervals.ts';
import { sloShapeFindings } from '../../../src/check/slo-shapes.ts';
import { runTool } from '../../../src/check/tools.ts';
import { ruleFilePath, testFilePath } from '../../../src/compile/prometheus/paths.ts';
import { serviceTestFile } from '../../../src/compile/prometheus/promtool-cases/test-file.ts';
import { shapeTestFiles } from '../../../src/compile/prometheus/promtool-cases/slo-wiring.ts';
import { isAlertingRule, type Rule, type RuleGroup } from '../../../src/compile/prometheus/rules.ts';
import { serviceRuleGroups } from '../../../src/compile/prometheus/service-rules.ts';
import {
  shapeDaysTestFilePath,
  shapeExemplar,
  shapeRuleFilePath,
  shapeRuleGroups,
  shapeTestFilePath,
  sloShape,
} from '../../../src/compile/prometheus/slo-shape.ts';
import { sliWindows, sloWindow } from '../../../src/model/burn-rate.ts';
import type { Duration } from '../../../src/model/duration.ts';
import type { Platform } from '../../../src/model/platform.ts';
import type { Service } from '../../../src/model/service.ts';
import type { Slo } from '../../../src/model/slo.ts';
import { loadPlatform } from '../../../src/load/load.ts';
import { toYaml } from '../../../src/output/serialize.ts';
import { fixtureRoot } from '../../helpers/index.ts';

// The generated SLO tests must see wiring mistakes. One change at a time to the rules of the
// fixture API's SLOs (availability, 99.9 % over 30d; latency, 95 % over 28d) and of two gauge
// SLOs (a share of samples past a bound, with labels of its own and one alert name for both
// tiers; the mean of a 0–1 gauge):
// - the recording rules of each SLO's shape (slo-shape.ts) against the shape's wiring tests:
//   each range (the windows, the aggregates' window, offset and gap bridge) to its shorter or
//   longer neighbour, the aggregates without the bridge, the 0 fallback dropped, a latency
//   SLO counting series without the threshold bucket or matching the bucket by its spelling, a
//   gauge SLO's bound inclusive where it is exclusive and good samples counted as bad, the SLO
//   window as a mean of 5m ratios, every metadata number scaled, the budget remaining
//   without the coverage;
// - the service's own rules against its test file and `monforge check`'s rule checks: every
//   alert mutant (a branch reading a neighbouring window, a branch or condition dropped, the
//   thresholds swapped, each threshold occurrence × 0.9 and × 1.1, `for` a minute shorter or
//   longer), the metadata numbers, the series read, the long group's interval (promtool ignores
//   it: the interval check must), and the recording mutants above (the shape check must).

interface Mutant {
  readonly name: string;
  readonly groups: readonly RuleGroup[];
}

let platforms: Record<'platform' | 'slo-kinds', Platform>;
let scratch: string;

beforeAll(async () => {
  platforms = { platform: await loadPlatform(fixtureRoot('platform')), 'slo-kinds': await loadPlatform(fixtureRoot('slo-kinds')) };
  scratch = await mkdtemp(path.join(os.tmpdir(), 'monforge-mutants-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** A service with this SLO only: its rule file holds nothing else, so promtool runs each mutant fast. */
function alone<S extends Service>(service: S, slo: Slo): S {
  return { ...service, slos: [slo], alerts: [], traffic: undefined, optOut: { ...service.optOut, absent: 'the SLO rules alone' } };
}

const ratioRecord = /slo:sli_error:ratio_rate(\w+)\{/g;
const ordinals = ['first', 'second', 'third', 'fourth'];

/** Every mutant of `groups` made by `mutate`, which calls `change` once per mutant. */
function collect(
  groups: readonly RuleGroup[],
  mutate: (change: (name: string, target: Rule, replacement: Partial<Rule>) => void) => void,
): Mutant[] {
  const found: Mutant[] = [];
  mutate((name, target, replacement) => {
    const changed = { ...target, ...replacement } as Rule;
    if (JSON.stringify(changed) === JSON.stringify(target)) throw new Error(`mutant "${name}" changes nothing`);
    found.push({
      name,
      groups: groups.map((group) => ({ ...group, rules: group.rules.map((rule) => (rule === target ? changed : rule)) })),
    });
  });
  return found;
}

const rulesOf = (groups: readonly RuleGroup[]): Rule[] => groups.flatMap((group) => group.rules);
const recordNamed = (groups: readonly RuleGroup[], name: string): Rule =>
  rulesOf(groups).find((rule) => !isAlertingRule(rule) && rule.record === name)!;

/** `0.001` → `0.0011`: a number scaled by `factor`, printed plainly. */
const scaled = (number: string, factor: number): string => String(Number((Number(number) * factor).toPrecision(6)));

/** Mutants of the recording rules: ranges, fallbacks, the bridge, the bucket, the SLO window's mean, metadata numbers. */
function recordingMutants(slo: Slo, groups: readonly RuleGroup[]): Mutant[] {
  const windows: Duration[] = ['1m', ...sliWindows(slo)];
  const neighbours = (range: string): string[] => {
    const at = windows.indexOf(range as Duration);
    if (at < 0) return [];
    // Longer than the SLO window cannot be told apart within the tests' days; a longer gap bridge only bridges more.
    return [windows[at - 1], range === sloWindow(slo) ? undefined : windows[at + 1]].filter((each): each is Duration => each !== undefined);
  };
  return collect(groups, (change) => {
    for (const rule of rulesOf(groups)) {
      // The history start carries its first value forward: its range only matters after an outage longer than it.
      if (isAlertingRule(rule) || rule.record === 'slo:history_start:timestamp') continue;
      // Ranges and subquery ranges (`[5m:]`).
      for (const bracket of new Set([...rule.expr.matchAll(/\[\w+:?\]/g)].map((match) => match[0]))) {
        const [, range, colon] = /^\[(\w+)(:?)\]$/.exec(bracket)! as unknown as [string, string, string];
        const others = neighbours(range).filter((other) => !(range === '1h' && rule.record.includes('rate5m') && other === '2h'));
        for (const other of others)
          change(`${rule.record}: [${range}${colon}] → [${other}${colon}]`, rule, {
            expr: rule.expr.replaceAll(`[${range}${colon}]`, `[${other}${colon}]`),
          });
      }
      for (const offset of new Set([...rule.expr.matchAll(/offset (\w+)/g)].map((match) => match[1]!)))
        for (const other of neighbours(offset))
          change(`${rule.record}: offset ${offset} → ${other}`, rule, {
            expr: rule.expr.replaceAll(`offset ${offset}`, `offset ${other}`),
          });
      // Every number of the metadata, the burn rates' budget and the coverage's window scaled by 10 %.
      if (/^slo:(objective|error_budget|time_period|current_burn_rate|period_burn_rate|period_coverage)/.test(rule.record)) {
        const number = /(?:vector\(|\/ )(\d+(?:\.\d+)?)\)?/.exec(rule.expr)![1]!;
        change(`${rule.record}: ${number} → × 1.1`, rule, { expr: rule.expr.replace(number, scaled(number, 1.1)) });
      }
    }
    const events = recordNamed(groups, 'slo:sli_events:rate5m');
    const bad = recordNamed(groups, 'slo:sli_bad_events:rate5m');
    const unbridged = (expr: string): string =>
      expr.replace(
        /\(last_over_time\((\w+\{[^}]*\})\[5m\]\) - last_over_time\(\1\[1h\] offset 5m\) >= 0\) or increase\(\1\[5m\]\)/g,
        'increase($1[5m])',
      );
    if (slo.kind !== 'gauge') {
      change('aggregates without the gap bridge', events, { expr: unbridged(events.expr) });
      change('bad events without the gap bridge', bad, { expr: unbridged(bad.expr) });
    }
    if (slo.kind === 'gauge' && slo.good === 'value') {
      change('gauge values counted as bad', bad, { expr: bad.expr.replace(/^.* - on\(\) /, '') });
    } else if (slo.kind === 'gauge') {
      const [operator, twin] = / (<|>)=? /.exec(bad.expr)![0].includes('=') ? [/ (<|>)= /, ' $1 '] : [/ (<|>) /, ' $1= '];
      change('gauge bound inclusive where it is exclusive, or the reverse', bad, { expr: bad.expr.replace(operator, twin) });
    }
    if (slo.kind === 'latency') {
      change('bucket matched by its spelling', bad, { expr: bad.expr.replace(/le=~"[^"]+"/g, `le="${slo.threshold}"`) });
      change('events of series without the threshold bucket', events, {
        expr: events.expr.replace(/ and ignoring\(le\) last_over_time\([^)]*\)/, ''),
      });
    } else if (bad.expr.includes(' or on() 0 * ')) {
      change('bad events: no 0 without an error series', bad, { expr: bad.expr.replace(/ or on\(\) 0 \* .*$/, '') });
    }
    const window = recordNamed(groups, `slo:sli_error:ratio_rate${sloWindow(slo)}`);
    const short = window.expr.replace(/^sum_over_time\(slo:sli_bad_events:rate5m(\{[^}]*\}).*$/, 'slo:sli_error:ratio_rate5m$1');
    change('SLO window: mean of the 5m ratios', window, {
      expr: `sum_over_time(${short}[${sloWindow(slo)}]) / count_over_time(${short}[${sloWindow(slo)}])`,
    });
    const remaining = recordNamed(groups, 'slo:period_error_budget_remaining:ratio');
    change('budget remaining over the whole window', remaining, {
      expr: remaining.expr.replace(/ \* slo:period_coverage:ratio\{[^}]*\}/, ''),
    });
  });
}

/** Mutants of the alerts and of what only a service's rules hold: the series read, the long group's interval. */
function serviceMutants(slo: Slo, groups: readonly RuleGroup[]): Mutant[] {
  const windows: Duration[] = sliWindows(slo);
  const neighbours = (window: string): string[] => {
    const at = windows.indexOf(window as Duration);
    return [windows[at - 1], window === sloWindow(slo) ? undefined : windows[at + 1]].filter(
      (each): each is Duration => each !== undefined,
    );
  };
  const alerts = collect(groups, (change) => {
    for (const rule of rulesOf(groups).filter(isAlertingRule)) {
      const minutes = Number(/^(\d+)m$/.exec(rule.for!)![1]);
      for (const other of [minutes - 1, minutes + 1])
        change(`${rule.alert}: for ${rule.for} → ${other}m`, rule, { for: `${other}m` as Duration });
      if (!rule.labels.tier) continue;
      for (const match of rule.expr.matchAll(ratioRecord)) {
        const ordinal = ordinals[[...rule.expr.slice(0, match.index).matchAll(ratioRecord)].length]!;
        for (const other of neighbours(match[1]!)) {
          const at = match.index!;
          change(`${rule.alert}: ${ordinal} series ratio_rate${match[1]} → ratio_rate${other}`, rule, {
            expr: `${rule.expr.slice(0, at)}slo:sli_error:ratio_rate${other}{${rule.expr.slice(at + match[0].length)}`,
          });
        }
      }
      const branches = rule.expr.slice(1, -1).split(') or (');
      branches.forEach((branch, index) => {
        const rest = (kept: string): string => branches.map((each, other) => `(${other === index ? kept : each})`).join(' or ');
        change(`${rule.alert}: branch ${index + 1} dropped`, rule, {
          expr: branches
            .filter((_, other) => other !== index)
            .map((each) => `(${each})`)
            .join(' or '),
        });
        const [long, short] = branch.split(' and ');
        change(`${rule.alert}: branch ${index + 1} without its short window`, rule, { expr: rest(long!) });
        change(`${rule.alert}: branch ${index + 1} without its long window`, rule, { expr: rest(short!) });
      });
      const thresholds = branches.map((branch) => branch.split(' > ')[1]!.split(' and ')[0]!);
      change(`${rule.alert}: thresholds of the branches swapped`, rule, {
        expr: branches
          .map((branch, index) => `(${branch.replaceAll(` > ${thresholds[index]}`, ` > ${thresholds[1 - index]}`)})`)
          .join(' or '),
      });
      // Each occurrence of a threshold, alone, 10 % lower and higher.
      const occurrences = [...rule.expr.matchAll(/ > (\([^)]*\)|[\d.]+)/g)];
      occurrences.forEach((occurrence, index) => {
        for (const factor of [0.9, 1.1]) {
          const at = occurrence.index! + 3;
          change(`${rule.alert}: ${ordinals[index]} threshold × ${factor}`, rule, {
            expr: `${rule.expr.slice(0, at)}(${occurrence[1]} * ${factor})${rule.expr.slice(at + occurrence[1]!.length)}`,
          });
        }
      });
    }
    const bad = recordNamed(groups, 'slo:sli_bad_events:rate5m');
    if (slo.kind === 'ratio') change('errors read from the total', bad, { expr: bad.expr.replaceAll(/,code=~"5\.\."/g, '') });
  });
  const slow = groups.find((group) => group.interval !== undefined)!;
  return [
    ...alerts,
    {
      name: `${slow.name}: interval ${slow.interval} → 30m`,
      groups: groups.map((group) => (group === slow ? { ...group, interval: '30m' as Duration } : group)),
    },
    ...recordingMutants(slo, groups),
  ];
}

/**
 * Writes each mutant's files under a folder of its own in `dir` and runs promtool's test files
 * on them, in `tests`' order, each on the mutants no earlier file failed: the test file that
 * failed first for each mutant, or undefined for a survivor. A mutant given as a string was
 * judged already (by a check): it is kept as its judgement and never runs.
 */
async function killers(
  dir: string,
  mutants: readonly (ReadonlyMap<string, object> | string)[],
  tests: readonly string[],
): Promise<(string | undefined)[]> {
  const killedBy = mutants.map((mutant) => (typeof mutant === 'string' ? mutant : undefined));
  for (const [index, files] of mutants.entries()) {
    if (typeof files === 'string') continue;
    for (const [file, content] of files) {
      await mkdir(path.dirname(path.join(dir, String(index), file)), { recursive: true });
      await writeFile(path.join(dir, String(index), file), toYaml(content));
    }
  }
  for (const test of tests) {
    const pending = [...killedBy.keys()].filter((index) => killedBy[index] === undefined);
    const runs = Array.from({ length: promtoolRuns }, (_, run) => pending.filter((_, at) => at % promtoolRuns === run));
    await Promise.all(
      runs.map(async (indexes) => {
        for (const failed of await notPassing(
          dir,
          indexes.map((index) => path.join(String(index), test)),
        ))
          killedBy[Number(failed.split(path.sep)[0])] = path.basename(test);
      }),
    );
  }
  return killedBy;
}

/**
 * The test files (relative to `dir`) that do not pass `promtool test rules`, run in one process
 * for many files: promtool's start-up is paid once, not once per mutant. promtool prints
 * `Unit Testing:  <file>` as it starts a file and `SUCCESS` once it passes; files it never
 * started (a crash ends the run) run again.
 */
async function notPassing(dir: string, files: readonly string[]): Promise<string[]> {
  if (files.length === 0) return [];
  const result = await runTool('promtool', ['test', 'rules', ...files], dir);
  if (result.ok) return [];
  const started = new Set<string>();
  const passed = new Set<string>();
  let current: string | undefined;
  for (const line of result.stdout.split('\n')) {
    if (line.startsWith('Unit Testing:')) {
      current = line.slice('Unit Testing:'.length).trim();
      started.add(current);
    } else if (current !== undefined && line.trim() === 'SUCCESS') passed.add(current);
  }
  if (result.cut || started.size === 0) throw new Error(`promtool test rules on ${files.length} files: ${result.output.slice(0, 2000)}`);
  return [
    ...files.filter((file) => started.has(file) && !passed.has(file)),
    ...(await notPassing(
      dir,
      files.filter((file) => !started.has(file)),
    )),
  ];
}

/** promtool runs at a time: half the cores, so the files vitest runs alongside keep theirs. */
const promtoolRuns = Math.max(1, Math.floor(os.availableParallelism() / 2));

const survivors = (mutants: readonly Mutant[], killedBy: readonly (string | undefined)[]): string[] =>
  mutants.filter((_, index) => killedBy[index] === undefined).map((mutant) => mutant.name);

function tally(killedBy: readonly (string | undefined)[]): string {
  const counts = new Map<string, number>();
  for (const each of killedBy) if (each) counts.set(each, (counts.get(each) ?? 0) + 1);
  return [...counts].map(([killer, count]) => `${killer}: ${count}`).join(', ');
}

const cases = [
  { fixture: 'platform', service: 'api', name: 'availability' },
  { fixture: 'platform', service: 'api', name: 'latency' },
  { fixture: 'slo-kinds', service: 'wifi', name: 'good-satisfaction' },
  { fixture: 'slo-kinds', service: 'wifi', name: 'mean-satisfaction' },
] as const;

describe('generated SLO tests against mutated rules', () => {
  for (const { fixture, service: serviceName, name } of cases) {
    const platformOf = (): Platform => platforms[fixture];
    const serviceOf = (): Platform['services'][number] => platformOf().services.find((service) => service.name === serviceName)!;
    const sloOf = (): Slo => serviceOf().slos!.find((slo) => slo.name === name)!;

    it(`the wiring tests of the ${name} SLO's shape fail for every mutant of its recording rules`, { timeout: 900_000 }, async () => {
      const shape = sloShape(sloOf());
      const groups = shapeRuleGroups(platformOf().config, shape);
      const tests = [shapeTestFilePath(shape), shapeDaysTestFilePath(shape)];
      const testFiles = shapeTestFiles(shape, { raw: tests[0]!, days: tests[1]! });
      const files = (rules: readonly RuleGroup[]) => new Map<string, object>([[shapeRuleFilePath(shape), { groups: rules }], ...testFiles]);
      const started = performance.now();
      expect(await killers(path.join(scratch, `${shape.key}-original`), [files(groups)], tests)).toEqual([undefined]);
      const all = recordingMutants(shapeExemplar(shape).slo, groups);
      const killedBy = await killers(
        path.join(scratch, shape.key),
        all.map((mutant) => files(mutant.groups)),
        tests,
      );
      console.log(
        `shape ${shape.key}: ${all.length} mutants killed by ${tally(killedBy)}; ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      expect(survivors(all, killedBy)).toEqual([]);
    });

    it(`a service's own tests and check fail for every mutant of its ${name} SLO's rules`, { timeout: 900_000 }, async () => {
      const platform = platformOf();
      const service = alone(serviceOf(), sloOf());
      const slo = service.slos![0]!;
      const shape = sloShape(slo);
      const groups = serviceRuleGroups(platform.config, service);
      const test = testFilePath(service.name);
      // The tests come from the unmutated rules: a mutant must not change what they expect.
      const tests = serviceTestFile(service, groups, ruleFilePath(service.name));
      const files = (rules: readonly RuleGroup[]) =>
        new Map<string, object>([
          [ruleFilePath(service.name), { groups: rules }],
          [test, tests],
        ]);
      const checked = (rules: readonly RuleGroup[]): string | undefined => {
        const compiled = new Map([
          [ruleFilePath(service.name), toYaml({ groups: rules })],
          [shapeRuleFilePath(shape), toYaml({ groups: shapeRuleGroups(platform.config, shape) })],
        ]);
        if (ruleIntervalFindings(compiled).length > 0) return 'the interval check';
        if (sloShapeFindings({ ...platform, services: [service] }, compiled).length > 0) return 'the shape check';
        return undefined;
      };
      const started = performance.now();
      expect(checked(groups)).toBeUndefined();
      expect(await killers(path.join(scratch, `${name}-original`), [files(groups)], [test])).toEqual([undefined]);
      const all = serviceMutants(slo, groups);
      const killedBy = await killers(
        path.join(scratch, name),
        all.map((mutant) => checked(mutant.groups) ?? files(mutant.groups)),
        [test],
      );
      console.log(`${name}: ${all.length} mutants killed by ${tally(killedBy)}; ${((performance.now() - started) / 1000).toFixed(1)} s`);
      expect(survivors(all, killedBy)).toEqual([]);
      // Every alert mutant falls to the service's own promtool tests, not to a check.
      const alertNames = rulesOf(groups)
        .filter(isAlertingRule)
        .map((rule) => `${rule.alert}: `);
      const alertMutants = all.filter((mutant) => alertNames.some((alert) => mutant.name.startsWith(alert)));
      expect(alertMutants.length).toBeGreaterThan(0);
      expect(alertMutants.filter((mutant) => killedBy[all.indexOf(mutant)] !== path.basename(test)).map((mutant) => mutant.name)).toEqual(
        [],
      );
    });
  }
});
