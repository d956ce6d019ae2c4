import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfillOpenMetrics, type HistoryServer, startPrometheus } from '../../scripts/history/index.ts';
import { cases } from '../diff/cases.ts';
import { buildRepository, type FixtureRepository } from '../diff/repository.ts';
import { diffOptions, diff as runDiff } from '../../src/run/diff.ts';
import { monforge } from '../helpers/index.ts';

// `monforge diff --prometheus URL --range 2h` in a repository whose last commit moves
// ApiErrorRateHigh's critical level from 5 % to 10 %, over two hours of data ending now in a
// real Prometheus: 7 % errors for 20 minutes, then 12 % for 20 minutes.

describe('npx monforge diff --prometheus', () => {
  let repo: FixtureRepository;
  let dir: string;
  let server: HistoryServer;
  beforeAll(async () => {
    repo = await buildRepository(cases.filter((each) => each.name === '01-threshold'));
    dir = await mkdtemp(path.join(os.tmpdir(), 'monforge-diff-backtest-'));
    const end = Math.floor(Date.now() / 1000 / 10) * 10 - 10;
    const start = end - 2 * 3600;
    const share = (time: number): number => {
      const minute = (time - start) / 60;
      return minute >= 20 && minute < 40 ? 0.07 : minute >= 60 && minute < 80 ? 0.12 : 0;
    };
    // Cumulative requests at 100/s, errors at the share of the interval ending at each sample.
    const errors: number[] = [0];
    for (let time = start + 10; time <= end; time += 10) errors.push(errors.at(-1)! + 1000 * share(time));
    const at = (time: number) => (time - start) / 10;
    const series = (code: string, value: (time: number) => number) => ({ labels: { job: 'api', route: '/checkout', code }, value });
    const history = {
      start,
      end,
      step: 10,
      families: [
        {
          name: 'http_requests',
          type: 'counter' as const,
          help: 'HTTP requests.',
          series: [series('500', (time) => errors[at(time)]!), series('200', (time) => 100 * (time - start) - errors[at(time)]!)],
        },
      ],
    };
    await backfillOpenMetrics(history, path.join(dir, 'data'), { workDir: path.join(dir, 'work') });
    server = await startPrometheus({ dataDir: path.join(dir, 'data'), workDir: path.join(dir, 'server') });
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    await repo?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('adds "would have fired N times (base: M)" to the changed alert', async () => {
    // The command as `npx monforge diff` runs it, in this process.
    const diff = async (...format: string[]) => {
      const options = diffOptions(
        { base: 'HEAD~1', head: 'HEAD', prometheus: server.url, range: '2h', 'fail-on': 'never', ...(format[0] && { format: format[0] }) },
        repo.root,
      );
      if (typeof options === 'string') throw new Error(options);
      let stdout = '';
      let stderr = '';
      const code = await runDiff(repo.root, options, {
        out: (text) => {
          stdout += text;
        },
        err: (text) => {
          stderr += text;
        },
        env: {},
      });
      return { code, stdout, stderr };
    };
    const outcome = await diff();
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stderr).toBe(`replaying 1 changed alerts over the last 2h of ${server.url}\n`);
    // Warning (1 %): both bursts on both sides; critical: 10 % only sees the second burst, 5 % both.
    // And what the changed alert reads now: its two series (errors and all requests), three selections.
    expect(outcome.stdout).toMatch(
      /- \*\*`ApiErrorRateHigh`\*\* · `definitions\/services\.ts` · would have fired 3 times \(base: 4\) over 2h · reads 3 series, \d+ samples per evaluation now/,
    );
    expect(outcome.stdout).toContain(`Changed alerts replayed over the last 2h of \`${server.url}\``);
    const json = await diff('json');
    expect(JSON.parse(json.stdout).backtest).toStrictEqual({
      prometheus: server.url,
      range: '2h',
      byAlert: { ApiErrorRateHigh: { head: 3, base: 4 } },
    });
    const cost = JSON.parse(json.stdout).cost;
    expect(Object.keys(cost.byObject)).toStrictEqual(['ApiErrorRateHigh']);
    expect(cost.byObject.ApiErrorRateHigh.series).toBe(3);
    expect(cost.byObject.ApiErrorRateHigh.samples).toBeGreaterThan(3);
  }, 120_000);

  it('--range without --prometheus, or a bad one, is a usage error', async () => {
    const alone = await monforge(repo.root, 'diff', '--range', '2h');
    expect([alone.code, alone.stderr.split('\n')[0]]).toStrictEqual([2, '--range needs --prometheus URL']);
    const bad = await monforge(repo.root, 'diff', '--prometheus', 'http://x', '--range', 'soon');
    expect([bad.code, bad.stderr.split('\n')[0]]).toStrictEqual([2, '--range "soon" is not a duration like "7d"']);
  });
});
