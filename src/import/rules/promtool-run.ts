import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { splitTestFile } from '../../check/test-split.ts';
import { runTool } from '../../check/tools.ts';
import type { ExpectedAlert } from '../../model/rule-group.ts';
import { toYaml } from '../../output/serialize.ts';

// promtool as the judge of test cases: a file of test groups against rule groups, run once;
// each group either passes or fails with the alerts promtool got, which it prints. As `check`
// runs test files, each group loads only the rules its alerts read (and those they read in
// turn): promtool evaluates every loaded rule at every step, so a service's case for one alert
// would pay for all the others.

export interface ProbeGroup {
  readonly name: string;
  readonly interval: string;
  readonly input_series: readonly { readonly series: string; readonly values: string }[];
  readonly alert_rule_test: readonly {
    readonly eval_time: string;
    readonly alertname: string;
    readonly exp_alerts: readonly {
      readonly exp_labels: Readonly<Record<string, string>>;
      readonly exp_annotations: Readonly<Record<string, string>>;
    }[];
  }[];
}

export interface ProbeResult {
  /** Groups that failed, with the alerts promtool got (without `alertname`); a group not listed passed. */
  readonly failed: ReadonlyMap<string, readonly ExpectedAlert[]>;
  /** Output promtool printed that names no group (a file it could not run). */
  readonly error?: string;
}

/** Runs `tests` against `groups` (rule groups as Prometheus reads them) in a fresh folder under `scratch`, split as `check` splits test files. */
export async function runProbe(
  scratch: string,
  groups: readonly unknown[],
  tests: readonly ProbeGroup[],
  evaluationInterval = '1m',
  timeoutMs = 180_000,
): Promise<ProbeResult> {
  const dir = await mkdtemp(path.join(scratch, 'probe-'));
  const whole = new Map([
    ['rules.yml', toYaml({ groups })],
    ['tests.yml', toYaml({ rule_files: ['rules.yml'], evaluation_interval: evaluationInterval, tests })],
  ]);
  const files = splitTestFile('tests.yml', whole) ?? whole;
  for (const [file, text] of files) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  const runs = files === whole ? ['tests.yml'] : [...files.keys()].filter((file) => file.endsWith('.test.yml'));
  const result = await runTool('promtool', ['test', 'rules', ...runs], dir, { timeoutMs });
  if (result.ok) return { failed: new Map() };
  const failed = parseFailures(result.output);
  return failed.size > 0 ? { failed } : { failed, error: result.output.trim().split('\n').slice(-3).join(' ') };
}

/**
 * promtool's report of failed groups: `name: <group>,` then, per alert it got, `Labels:{…}` and
 * `Annotations:{…}` in Go's label syntax.
 */
export function parseFailures(output: string): Map<string, ExpectedAlert[]> {
  const failed = new Map<string, ExpectedAlert[]>();
  let group: string | undefined;
  let inGot = false;
  let labels: Record<string, string> | undefined;
  for (const line of output.split('\n')) {
    const name = /^\s{4}name: (.*),$/.exec(line);
    if (name) {
      group = name[1]!;
      failed.set(group, failed.get(group) ?? []);
      inGot = false;
      continue;
    }
    if (group === undefined) continue;
    if (/^\s+got:\[/.test(line)) inGot = true;
    else if (/^\s+exp:\[/.test(line)) inGot = false;
    const labelLine = /^\s+Labels:(\{.*\})\s*$/.exec(line);
    if (labelLine && inGot) labels = goLabels(labelLine[1]!);
    const annotationLine = /^\s+Annotations:(\{.*\}),?\s*$/.exec(line);
    if (annotationLine && inGot && labels) {
      const { alertname: _, ...rest } = labels;
      failed.get(group)!.push({ labels: rest, annotations: goLabels(annotationLine[1]!) });
      labels = undefined;
    }
  }
  return failed;
}

/** `{a="x", b="y\"z"}` as Go prints labels: names and their (strconv.Quote-d) values. */
function goLabels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const match of text.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
    const raw = match[2]!;
    let value: string;
    try {
      value = JSON.parse(`"${raw.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1')}"`) as string;
    } catch {
      value = raw;
    }
    out[match[1]!] = value;
  }
  return out;
}
