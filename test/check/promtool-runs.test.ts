import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runPerFile, type FileVerdict } from '../../src/check/batches.ts';
import { ResultCache } from '../../src/check/cache.ts';
import type { Prior } from '../../src/check/prior.ts';
import { promtoolFindings, ruleFilesOf } from '../../src/check/promtool.ts';
import { toolVersions } from '../../src/check/tools.ts';

// The real promtool on small files: each file's verdict read from a batch's output, passes kept
// in the cache, a failing file reported alone, a stuck tool reported as a fault of the tool.

const rules = (threshold: number): string => `groups:
  - name: demo
    rules:
      - alert: DemoHigh
        expr: demo_value > ${threshold}
        labels:
          severity: warning
        annotations:
          summary: demo is high
          description: demo is high
`;

const testFile = (rule: string, value: number): string => `rule_files:
  - ../rules/${rule}
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: demo_value
        values: "${value}x3"
    alert_rule_test:
      - eval_time: 2m
        alertname: DemoHigh
        exp_alerts:
          - exp_labels:
              severity: warning
            exp_annotations:
              summary: demo is high
              description: demo is high
`;

/** Twenty services' rule and test files (enough for batches of several); `svc-2`'s test expects an alert its rule never fires. */
function files(): Map<string, string> {
  const set = new Map<string, string>();
  for (let index = 0; index < 20; index += 1) {
    set.set(`prometheus/rules/svc-${index}.rules.yml`, rules(index === 2 ? 100 : 5));
    set.set(`prometheus/tests/svc-${index}.test.yml`, testFile(`svc-${index}.rules.yml`, 10));
  }
  return set;
}

let work: string;
let log: string;
let prior: Prior;
const env = { ...process.env };

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'monforge-promtool-runs-'));
  // promtool behind a wrapper that logs each run's arguments: what ran, not only what it said.
  log = path.join(work, 'runs.log');
  const wrapper = path.join(work, 'promtool');
  await writeFile(wrapper, `#!/bin/sh\necho "$*" >> '${log}'\nexec promtool "$@"\n`);
  await chmod(wrapper, 0o755);
  process.env.MONFORGE_PROMTOOL = wrapper;
  prior = { versions: await toolVersions(), cache: await ResultCache.open(path.join(work, 'cache')) };
});
afterEach(() => rm(log, { force: true }));
afterAll(async () => {
  process.env = env;
  await rm(work, { recursive: true, force: true });
});

const runs = async (): Promise<string[]> => (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean);

describe('promtool over many files', () => {
  it('reports the one failing test file by name, with its output, and keeps the passes', async () => {
    const findings = await promtoolFindings(path.join(work, 'first'), files(), prior);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatch(/^prometheus\/tests\/svc-2\.test\.yml: promtool test rules failed:\n/);
    expect(findings[0]).toContain('alertname: DemoHigh');
    // Once in a batch, then alone for its own output.
    const withIt = (await runs()).filter((line) => line.includes('svc-2.test.yml'));
    expect(withIt).toHaveLength(2);
    expect(withIt[0]).toMatch(/svc-\d+\.test\.yml .*svc-\d+\.test\.yml/);
    expect(withIt[1]).toBe('test rules prometheus/tests/svc-2.test.yml');
  });

  it('runs nothing again for files that passed, and only the failing one', async () => {
    const findings = await promtoolFindings(path.join(work, 'second'), files(), prior);
    expect(findings).toHaveLength(1);
    expect(await runs()).toEqual(['test rules prometheus/tests/svc-2.test.yml']);
  });

  it('runs a test file again when a rule file it loads changes, and nothing else', async () => {
    const edited = files().set('prometheus/rules/svc-1.rules.yml', rules(6));
    await promtoolFindings(path.join(work, 'third'), edited, prior);
    expect((await runs()).sort()).toEqual([
      'check rules --lint=all --lint-fatal prometheus/rules/svc-1.rules.yml',
      'test rules prometheus/tests/svc-1.test.yml',
      'test rules prometheus/tests/svc-2.test.yml',
    ]);
  });

  it('trusts no verdict of another promtool version', async () => {
    const other: Prior = { ...prior, versions: { ...prior.versions, promtool: 'promtool, version 9.9.9' } };
    await promtoolFindings(path.join(work, 'fourth'), files(), other);
    expect((await runs()).join('\n')).toContain('svc-0.test.yml');
  });

  it('reads the rule files of a test file, relative to it', () => {
    const set = files();
    expect(ruleFilesOf('prometheus/tests/svc-0.test.yml', set.get('prometheus/tests/svc-0.test.yml')!, set)).toEqual([
      'prometheus/rules/svc-0.rules.yml',
    ]);
    expect(ruleFilesOf('prometheus/tests/x.test.yml', 'rule_files: ["../rules/a.yml", "b.yml"]\ntests: []\n', set)).toEqual([
      'prometheus/rules/a.yml',
      'prometheus/tests/b.yml',
    ]);
  });
});

describe('a stuck promtool', () => {
  it('is one line naming the file it was on, a fault of the tool; the files after it still run', async () => {
    const stuck = path.join(work, 'stuck');
    // Passes every file but b, on which it hangs: as a promtool stuck on one file would.
    await writeFile(
      stuck,
      '#!/bin/sh\nshift 2\nfor f in "$@"; do\n  echo "Unit Testing:  $f"\n  case "$f" in *b.test.yml) exec sleep 30;; esac\n  echo "  SUCCESS"\ndone\n',
    );
    await chmod(stuck, 0o755);
    process.env.MONFORGE_PROMTOOL = stuck;
    try {
      const verdicts: FileVerdict[] = ['a', 'b', 'c'].map((name) => ({
        tool: 'promtool',
        command: ['test', 'rules'],
        file: `prometheus/tests/${name}.test.yml`,
        inputs: [`prometheus/tests/${name}.test.yml`],
      }));
      const set = new Map(verdicts.map((verdict) => [verdict.file, 'tests: []\n']));
      const started = Date.now();
      const findings = await runPerFile({ dir: path.join(work, 'stuck-run'), files: set }, verdicts, {
        marker: 'Unit Testing:',
        fileDeadlineMs: 500,
      });
      expect(findings).toEqual([
        "prometheus/tests/b.test.yml: promtool test rules gave no result within 500ms and was killed (a fault of the tool's run, not a failed check)",
      ]);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      process.env.MONFORGE_PROMTOOL = path.join(work, 'promtool');
    }
  });
});
