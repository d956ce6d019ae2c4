import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGeneratedRevision, resolveRevision } from '../../src/reader/index.ts';
import { writeFileSet } from '../../src/output/write.ts';
import { repoRoot } from '../helpers/index.ts';
import { cases } from '../diff/cases.ts';
import { buildRepository, type FixtureRepository } from '../diff/repository.ts';

const exec = promisify(execFile);

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npx monforge diff …` in the fixture repository, as CI runs it. */
async function monforge(cwd: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [path.join(repoRoot, 'bin/monforge.js'), ...args], {
      cwd,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as Run;
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

// HEAD~2: a threshold change; HEAD~1: a recording rule removed while still read (breaking); HEAD: a comment.
const picked = ['01-threshold', '06-removed-recording-rule', '10-comment'].map((name) => cases.find((each) => each.name === name)!);

describe('npx monforge diff', () => {
  let repo: FixtureRepository;
  let scratch: string;
  beforeAll(async () => {
    repo = await buildRepository(picked);
    scratch = await mkdtemp(path.join(os.tmpdir(), 'monforge-diff-cli-'));
  }, 60_000);
  afterAll(async () => {
    await repo?.cleanup();
    await rm(scratch, { recursive: true, force: true });
  });

  it('exits 0 without changes, 1 on breaking ones (or any with --fail-on any), 0 with --fail-on never', async () => {
    const none = await monforge(repo.root, ['diff', '--base', 'HEAD~1', '--head', 'HEAD']);
    expect(none).toMatchObject({ code: 0, stderr: '' });
    expect(none.stdout).toMatch(
      /^<!-- monforge-diff -->\n### monforge diff: no changes\n\n`HEAD~1 \([0-9a-f]{7}\)` → `HEAD \([0-9a-f]{7}\)`: no change/,
    );
    const breaking = await monforge(repo.root, ['diff', '--base', 'HEAD~2', '--head', 'HEAD~1']);
    expect(breaking.code).toBe(1);
    expect(breaking.stdout).toContain('### monforge diff: 10 changes, 1 breaking');
    expect((await monforge(repo.root, ['diff', '--base', 'HEAD~2', '--head', 'HEAD~1', '--fail-on', 'never'])).code).toBe(0);
    expect((await monforge(repo.root, ['diff', '--base', 'HEAD~3', '--head', 'HEAD~2'])).code).toBe(0);
    expect((await monforge(repo.root, ['diff', '--base', 'HEAD~3', '--head', 'HEAD~2', '--fail-on', 'any'])).code).toBe(1);
  });

  it('compares the merge base with main and the working tree by default, regenerating a stale generated/', async () => {
    const services = path.join(repo.root, 'definitions/services.ts');
    const original = await readFile(services, 'utf8');
    try {
      await writeFile(services, original.replace('levels: { critical: 90, warning: 70 }', 'levels: { critical: 95, warning: 70 }'));
      const run = await monforge(repo.root, ['diff', '--format', 'json']);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('generated/ was out of date: regenerated it from the definitions first\n');
      const json = JSON.parse(run.stdout) as { base: string; head: string; changes: { summary: string; object: string; line: number }[] };
      expect(json.base).toMatch(/^merge base with main \([0-9a-f]{7}\)$/);
      expect(json.head).toBe('working tree');
      expect(json.changes.map(({ object, summary, line }) => ({ object, summary, line }))).toEqual([
        { object: 'DatabaseConnectionsHigh', summary: 'critical threshold 90 % → 95 %', line: 91 },
      ]);
      expect(await readFile(path.join(repo.root, 'generated/prometheus/rules/database.rules.yml'), 'utf8')).toContain('> 95\n');
    } finally {
      await writeFile(services, original);
      await exec('git', ['checkout', '--', 'generated'], { cwd: repo.root });
    }
  });

  it('writes GitHub annotations on the definition files and the Markdown to the job summary and --output', async () => {
    const summary = path.join(scratch, 'step-summary.md');
    await writeFile(summary, 'earlier step\n');
    const output = path.join(scratch, 'comment.md');
    const run = await monforge(repo.root, ['diff', '--base', 'HEAD~3', '--head', 'HEAD~1', '--format', 'github', '--output', output], {
      GITHUB_STEP_SUMMARY: summary,
    });
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(
      '::error file=definitions/services.ts,line=67,title=monforge diff%3A breaking change::recording rule slo:period_error_budget_remaining:ratio{service="api",slo="latency"}: removed — still read by alert ApiLatencyBudgetLow (prometheus/rules/api.rules.yml); dashboard svc-api panel 11 "ApiLatencyBudgetLow" query A',
    );
    // Workflow commands escape % in messages.
    expect(lines).toContain(
      '::notice file=definitions/services.ts,line=40,title=monforge diff::alert ApiErrorRateHigh: critical threshold 5 %25 → 10 %25',
    );
    expect(run.stderr).toMatch(/^monforge diff: 11 changes, 1 breaking \(HEAD~3 \([0-9a-f]{7}\) → HEAD~1 \([0-9a-f]{7}\)\)\n$/);
    const markdown = await readFile(output, 'utf8');
    expect(markdown).toMatch(/^<!-- monforge-diff -->\n### monforge diff: 11 changes, 1 breaking\n/);
    expect(await readFile(summary, 'utf8')).toBe(`earlier step\n${markdown}`);
  });

  it('writes a GitLab Code Quality report', async () => {
    const output = path.join(scratch, 'gl-code-quality-report.json');
    const run = await monforge(repo.root, [
      'diff',
      '--base',
      'HEAD~3',
      '--head',
      'HEAD~1',
      '--format',
      'gitlab',
      '--output',
      output,
      '--fail-on',
      'never',
    ]);
    expect(run.code).toBe(0);
    const report = JSON.parse(await readFile(output, 'utf8')) as {
      fingerprint: string;
      severity: string;
      check_name: string;
      location: unknown;
      description: string;
    }[];
    expect(report).toHaveLength(11);
    expect(new Set(report.map((issue) => issue.fingerprint)).size).toBe(11);
    expect(report.find((issue) => issue.severity === 'critical')).toMatchObject({
      check_name: 'monforge-diff/recording',
      location: { path: 'definitions/services.ts', lines: { begin: 67 } },
    });
    expect(report.find((issue) => issue.description.startsWith('alert ApiErrorRateHigh'))).toMatchObject({
      severity: 'info',
      location: { path: 'definitions/services.ts', lines: { begin: 40 } },
    });
  });

  it('compares two generated trees on disk', async () => {
    for (const [name, revision] of [
      ['base', 'HEAD~3'],
      ['head', 'HEAD~2'],
    ]) {
      const tree = await readGeneratedRevision(repo.root, await resolveRevision(repo.root, revision!));
      await writeFileSet(path.join(scratch, name!), tree.files);
    }
    const run = await monforge(scratch, ['diff', '--base-dir', 'base', '--head-dir', 'head', '--format', 'json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { base: string; head: string; changes: { summary: string; line?: number }[] };
    expect(json).toMatchObject({ base: 'base', head: 'head' });
    // Without the definitions at hand, changes point at their generated file.
    expect(json.changes.map((change) => [change.summary, change.line])).toEqual([['critical threshold 5 % → 10 %', undefined]]);
  });

  it('exits 2 on usage errors and unknown revisions', async () => {
    expect(await monforge(repo.root, ['diff', '--format', 'xml'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^--format must be one of markdown, json, github, gitlab\n/),
    });
    expect(await monforge(repo.root, ['diff', '--fail-on', 'sometimes'])).toMatchObject({ code: 2 });
    expect(await monforge(repo.root, ['diff', '--base', 'HEAD', '--base-dir', 'x'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^give --base or --base-dir, not both\n/),
    });
    expect(await monforge(repo.root, ['diff', '--bogus'])).toMatchObject({ code: 2 });
    expect(await monforge(repo.root, ['diff', '--base', 'no-such-ref'])).toMatchObject({
      code: 2,
      stderr: `unknown revision "no-such-ref" in ${repo.root}\n`,
    });
  });
});
