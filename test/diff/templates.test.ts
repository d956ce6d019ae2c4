import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stickyMarker } from '../../src/diff/format/markdown.ts';
import { repoRoot } from '../helpers/index.ts';

const exec = promisify(execFile);

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly if?: string;
  readonly run?: string;
  readonly env?: Record<string, string>;
}

// The CI files `monforge init` copies: what they may do, and the comment step run against a stand-in `gh`.
describe('the CI templates for monforge diff', () => {
  let workflow: { permissions: unknown; on: unknown; jobs: { diff: { steps: Step[] } } };
  let dir: string;
  beforeAll(async () => {
    workflow = parse(await readFile(path.join(repoRoot, 'templates/init/.github/workflows/monforge-diff.yml'), 'utf8'));
    dir = await mkdtemp(path.join(os.tmpdir(), 'monforge-gh-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('GitHub: runs on pull requests with read access to contents and write access to pull requests, no third-party actions', () => {
    expect(workflow.on).toEqual({ pull_request: null });
    expect(workflow.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    const steps = workflow.jobs.diff.steps;
    expect(steps.flatMap((step) => (step.uses ? [step.uses.split('@')[0]] : []))).toEqual(['actions/checkout', 'actions/setup-node']);
    expect(steps.find((step) => step.run?.includes('monforge diff'))!.run).toContain(
      'npx monforge diff --base HEAD^1 --format github --output monforge-diff.md',
    );
    const post = steps.find((step) => step.name === 'Post or update the pull-request comment')!;
    expect(post.if).toBe('always() && github.event.pull_request.head.repo.full_name == github.repository');
    expect(post.run).toContain(`marker='${stickyMarker}'`);
  });

  /** The comment step with `gh` answering `existing` for the search and logging every call. */
  async function postComment(existing: string): Promise<string[]> {
    const post = workflow.jobs.diff.steps.find((step) => step.name === 'Post or update the pull-request comment')!;
    const log = path.join(dir, 'gh.log');
    await writeFile(log, '');
    await writeFile(
      path.join(dir, 'gh'),
      `#!/bin/sh\necho "$*" >> "${log}"\ncase "$*" in *--paginate*) printf '%s' "${existing}" ;; esac\n`,
    );
    await chmod(path.join(dir, 'gh'), 0o755);
    await writeFile(path.join(dir, 'monforge-diff.md'), `${stickyMarker}\n### monforge diff: no changes\n`);
    await exec('bash', ['-e', '-c', post.run!], {
      cwd: dir,
      env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, GH_REPO: 'acme/monitoring', PR: '42', GH_TOKEN: 'x' },
    });
    return (await readFile(log, 'utf8')).trim().split('\n');
  }

  it('GitHub: updates the earlier comment it finds, else posts one', async () => {
    expect(await postComment('123\n456\n')).toEqual([
      expect.stringMatching(/^api --paginate repos\/acme\/monitoring\/issues\/42\/comments --jq /),
      'api --method PATCH repos/acme/monitoring/issues/comments/123 -F body=@monforge-diff.md',
    ]);
    expect(await postComment('')).toEqual([expect.stringMatching(/^api --paginate /), 'pr comment 42 --body-file monforge-diff.md']);
  });

  it('GitLab: an includable job that writes the Code Quality report it declares', async () => {
    const job = parse(await readFile(path.join(repoRoot, 'templates/init/.gitlab/monforge/diff.yml'), 'utf8'))['monforge:diff'];
    expect(job.extends).toBe('.monforge');
    expect(job.rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "merge_request_event"' }]);
    expect(job.script).toContain(
      'npx monforge diff --base "$CI_MERGE_REQUEST_DIFF_BASE_SHA" --format gitlab --output gl-code-quality-report.json --fail-on never',
    );
    expect(job.artifacts).toEqual({ when: 'always', reports: { codequality: '{{projectDir}}/gl-code-quality-report.json' } });
  });
});
