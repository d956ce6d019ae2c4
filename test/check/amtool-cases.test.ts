import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amtoolFindings } from '../../src/check/amtool.ts';
import { ResultCache } from '../../src/cache/result-cache.ts';
import { blobId, unchangedSince } from '../../src/check/changed-since.ts';
import type { Prior } from '../../src/check/prior.ts';
import { resolveRevision } from '../../src/reader/read.ts';
import { toolVersions } from '../../src/check/tools.ts';

// Route cases that every matcher of the routes treats alike get one amtool run; each case that
// fails is still reported by its own labels. And the skip of --changed-since.

const config = `route:
  receiver: fallback
  routes:
    - receiver: team-a
      matchers: ['team="a"']
    - receiver: team-b
      matchers: ['team="b"']
receivers:
  - name: fallback
  - name: team-a
  - name: team-b
`;

const cases = (wrong: boolean) =>
  Array.from({ length: 12 }, (_, index) => ({
    labels: { alertname: `Alert${index}`, service: `svc-${index}`, team: index % 2 === 0 ? 'a' : 'b' },
    receivers: [index % 2 === 0 ? 'team-a' : wrong && index === 3 ? 'team-a' : 'team-b'],
  }));

const files = (wrong = false): Map<string, string> =>
  new Map([
    ['alertmanager/alertmanager.yml', config],
    ['alertmanager/routes.test.json', JSON.stringify({ config: 'alertmanager.yml', cases: cases(wrong) })],
  ]);

let work: string;
let log: string;
let prior: Prior;
const env = { ...process.env };
const runs = async (): Promise<string[]> => (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean);

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'monforge-amtool-cases-'));
  log = path.join(work, 'runs.log');
  const wrapper = path.join(work, 'amtool');
  await writeFile(wrapper, `#!/bin/sh\necho "$1 $2 $3" >> '${log}'\nexec amtool "$@"\n`);
  await chmod(wrapper, 0o755);
  process.env.MONFORGE_AMTOOL = wrapper;
  prior = { versions: await toolVersions(), cache: await ResultCache.open(path.join(work, 'cache')) };
  await rm(log); // the --version runs
});
afterAll(async () => {
  process.env = env;
  await rm(work, { recursive: true, force: true });
});

describe('route tests', () => {
  it('run amtool once per routed label set, and report each failing case by its own labels', async () => {
    const findings = await amtoolFindings(path.join(work, 'first'), files(true), prior);
    expect(findings).toEqual([
      'alertmanager/routes.test.json: {alertname="Alert3", service="svc-3", team="b"} reaches team-b, expected team-a [validators/route-test]',
    ]);
    // check-config, then team a, team b, and team b expecting team-a.
    expect(await runs()).toEqual(['check-config alertmanager/alertmanager.yml ', ...Array(3).fill('config routes test')]);
  });

  it('run amtool once per set of matcher outcomes, and per label set where a regex may read otherwise in Go', async () => {
    const routed = (pattern: string): Map<string, string> =>
      new Map([
        ['alertmanager/alertmanager.yml', config.replace(`['team="a"']`, `['team=~"${pattern}"']`)],
        [
          'alertmanager/routes.test.json',
          JSON.stringify({
            config: 'alertmanager.yml',
            cases: ['a', 'c', 'd', 'e'].map((team) => ({
              labels: { team },
              receivers: [team === 'a' || team === 'c' ? 'team-a' : 'fallback'],
            })),
          }),
        ],
      ]);
    await rm(log, { force: true });
    // a and c match the first route alike, d and e no route: two decisions.
    expect(await amtoolFindings(path.join(work, 'outcomes'), routed('a|c'), undefined)).toEqual([]);
    expect((await runs()).filter((line) => line === 'config routes test')).toHaveLength(2);
    await rm(log, { force: true });
    // (?i) is a flag of RE2's own: the four label sets run apart.
    expect(await amtoolFindings(path.join(work, 'flags'), routed('(?i)A|C'), undefined)).toEqual([]);
    expect((await runs()).filter((line) => line === 'config routes test')).toHaveLength(4);
  });

  it('run nothing again for verdicts that passed', async () => {
    await rm(log);
    expect(await amtoolFindings(path.join(work, 'second'), files(), prior)).toEqual([]);
    expect(await runs()).toEqual([]);
  });
});

describe('--changed-since', () => {
  const git = (cwd: string, ...args: string[]) => promisify(execFile)('git', args, { cwd });

  it('names the compiled files whose bytes are committed in generated/ at the revision', async () => {
    const repo = path.join(work, 'repo');
    await git(work, 'init', '-q', repo);
    const set = files();
    for (const [file, content] of set) {
      const target = path.join(repo, 'generated', file);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, content);
    }
    await git(repo, 'add', '.');
    await git(repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'generated');
    const edited = new Map(set).set('alertmanager/routes.test.json', '{}');
    expect([...(await unchangedSince(repo, await resolveRevision(repo, 'HEAD'), edited))]).toEqual(['alertmanager/alertmanager.yml']);
    const { stdout } = await git(repo, 'hash-object', 'generated/alertmanager/alertmanager.yml');
    expect(blobId(config, 'sha1')).toBe(stdout.trim());
  });

  it('skips the validators on files unchanged since the revision', async () => {
    await rm(log, { force: true });
    const unchanged = new Set(files().keys());
    expect(await amtoolFindings(path.join(work, 'third'), files(true), { versions: prior.versions, unchanged })).toEqual([]);
    expect(await runs()).toEqual([]);
  });
});
