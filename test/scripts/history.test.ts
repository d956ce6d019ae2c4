import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adoptBlocks,
  backfillOpenMetrics,
  backfillStages,
  backfillRules,
  listBlocks,
  startPrometheus,
  verifyBlocks,
  writeOpenMetrics,
  type History,
} from '../../scripts/history/index.ts';

// The history module with the real promtool and prometheus: a few hours of two counters (one
// created late, one with a scrape gap) backfilled, served, queried, and a recording rule
// backfilled over them.

const start = 1_709_510_400; // 2024-03-04T00:00:00Z, a block boundary
const end = start + 5 * 3600;
const history: History = {
  start,
  end,
  step: 15,
  families: [
    {
      name: 'jobs',
      type: 'counter',
      help: 'Jobs run.',
      series: [
        { labels: { job: 'a', outcome: 'ok' }, value: (time) => (time - start) / 15 },
        // Created an hour in, then three per scrape; no scrape for ten minutes at 3h.
        {
          labels: { job: 'a', outcome: 'failed' },
          value: (time) =>
            time < start + 3600 || (time >= start + 3 * 3600 && time < start + 3 * 3600 + 600)
              ? undefined
              : (3 * (time - start - 3600)) / 15,
        },
      ],
    },
  ],
};
const expectedSamples = 1201 + 961 - 40;
/** The same counter's `ok` series alone, over another span of time. */
const okOnly = (from: number, to: number): History => ({
  ...history,
  start: from,
  end: to,
  families: [{ ...history.families[0]!, series: [history.families[0]!.series[0]!] }],
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'monforge-history-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('synthetic history', () => {
  it('writes OpenMetrics: families together, samples in time order, seconds, # EOF', async () => {
    const file = path.join(dir, 'sample.om.txt');
    const written = await writeOpenMetrics(file, [{ history, from: start, to: start + 60 }]);
    const text = await import('node:fs/promises').then((fs) => fs.readFile(file, 'utf8'));
    expect(text).toBe(
      [
        '# TYPE jobs counter',
        '# HELP jobs Jobs run.',
        `jobs_total{job="a",outcome="ok"} 0 ${start}`,
        `jobs_total{job="a",outcome="ok"} 1 ${start + 15}`,
        `jobs_total{job="a",outcome="ok"} 2 ${start + 30}`,
        `jobs_total{job="a",outcome="ok"} 3 ${start + 45}`,
        '# EOF',
        '',
      ].join('\n'),
    );
    expect(written).toEqual({ samples: 4, bytes: Buffer.byteLength(text) });
  });

  it('writes spans of several histories into one file: every family once, each series together and in time order', async () => {
    const later = okOnly(start + 86_400, start + 86_400 + 60);
    const file = path.join(dir, 'spans.om.txt');
    const written = await writeOpenMetrics(file, [
      { history, from: start, to: start + 30 },
      { history: later, from: later.start, to: later.start + 30 },
    ]);
    const ok = (time: number) => `jobs_total{job="a",outcome="ok"} ${(time - start) / 15} ${time}`;
    expect(await import('node:fs/promises').then((fs) => fs.readFile(file, 'utf8'))).toBe(
      ['# TYPE jobs counter', '# HELP jobs Jobs run.', ok(start), ok(start + 15), ok(later.start), ok(later.start + 15), '# EOF', ''].join(
        '\n',
      ),
    );
    expect(written.samples).toBe(4);
    await expect(
      writeOpenMetrics(file, [
        { history: { ...later, families: [{ ...history.families[0]!, type: 'gauge' }] }, from: start, to: start + 30 },
        { history, from: start, to: start + 30 },
      ]),
    ).rejects.toThrow(/family jobs is a gauge and a counter/);
  });

  it('backfills histories apart in time with one promtool run', { timeout: 60_000 }, async () => {
    const dataDir = path.join(dir, 'apart');
    const later = okOnly(start + 30 * 86_400, start + 30 * 86_400 + 5 * 3600);
    const samples = await backfillOpenMetrics([later, history], dataDir, { workDir: path.join(dir, 'work') });
    expect(samples).toBe(expectedSamples + 1201);
    expect((await verifyBlocks(dataDir, { samples, start, end: later.end })).length).toBe(1);
  });

  it('backfills, serves and backfills a recording rule over it', { timeout: 120_000 }, async () => {
    const dataDir = path.join(dir, 'data');
    const samples = await backfillOpenMetrics(history, dataDir, { workDir: path.join(dir, 'work') });
    expect(samples).toBe(expectedSamples);
    // One file, so one block; files of at most one 2h span each (960 samples) make one block per span.
    expect((await verifyBlocks(dataDir, { samples, start, end })).length).toBe(1);
    const spans = path.join(dir, 'spans');
    await backfillOpenMetrics(history, spans, { workDir: path.join(dir, 'work'), samplesPerFile: 1000 });
    expect((await verifyBlocks(spans, { samples, start, end })).map((block) => block.samples)).toEqual([720, 920, 482]);
    await expect(verifyBlocks(dataDir, { samples: samples + 1, start, end })).rejects.toThrow(/blocks hold 2122 samples/);

    let server = await startPrometheus({ dataDir, workDir: path.join(dir, 'work') });
    try {
      const { result, stats } = await server.query('sum by (outcome) (increase(jobs_total[1h]))', end);
      expect(Object.fromEntries(result.map((each) => [each.metric.outcome, Math.round(each.value)]))).toEqual({ ok: 240, failed: 720 });
      expect(stats.samples).toBe(482);
      const rules = path.join(dir, 'rules.yml');
      await writeFile(
        rules,
        'groups:\n  - name: jobs\n    rules:\n      - record: job:jobs:rate5m\n        expr: sum by (job) (rate(jobs_total[5m]))\n',
      );
      await backfillRules({ ruleFiles: [rules], url: server.url, start: end - 3600, end, outputDir: path.join(dir, 'rule-blocks') });
    } finally {
      await server.stop();
    }
    expect(await adoptBlocks(path.join(dir, 'rule-blocks'), dataDir)).toBeGreaterThan(0);
    server = await startPrometheus({ dataDir, workDir: path.join(dir, 'work') });
    try {
      const { result } = await server.query('job:jobs:rate5m', end - 60);
      expect(result.map((each) => Number(each.value.toFixed(6)))).toEqual([Number((4 / 60 + 12 / 60).toFixed(6))]);
    } finally {
      await server.stop();
    }
  });

  it('reports a prometheus that cannot start, with its output, and leaves no process behind', { timeout: 60_000 }, async () => {
    const file = path.join(dir, 'not-a-directory');
    await writeFile(file, 'x');
    await expect(startPrometheus({ dataDir: file, workDir: path.join(dir, 'work'), readyTimeoutMs: 20_000 })).rejects.toThrow(
      /prometheus did not become ready/,
    );
  });

  it('stages recording rules by what they read, and backfills over the whole span only what is read through a range', () => {
    const groups = [
      {
        name: 'fast',
        rules: [
          { record: 'job:jobs:rate5m', expr: 'sum by (job) (rate(jobs_total[5m]))', labels: { team: 'a' } },
          { record: 'job:jobs:rate5m', expr: 'sum by (job) (rate(jobs_total[5m]))', labels: { team: 'b' } },
          { record: 'job:jobs:rate1h', expr: 'avg_over_time(job:jobs:rate5m{team="a"}[1h])', labels: { team: 'a' } },
          { alert: 'JobsStalled', expr: 'job:jobs:rate1h < 1' },
        ],
      },
      { name: 'slow', interval: '2m', rules: [{ record: 'job:jobs:ratio', expr: 'job:jobs:rate1h / job:jobs:rate5m{team="b"}' }] },
    ];
    const stages = backfillStages(groups);
    const records = (part: (typeof stages)[number]['full']) =>
      part.map((group) => [group.name, group.interval, group.rules.map((rule) => `${rule.record}${JSON.stringify(rule.labels ?? {})}`)]);
    expect(stages.map((stage) => ({ full: records(stage.full), tail: records(stage.tail) }))).toEqual([
      { full: [['fast', undefined, ['job:jobs:rate5m{"team":"a"}']]], tail: [['fast', undefined, ['job:jobs:rate5m{"team":"b"}']]] },
      { full: [], tail: [['fast', undefined, ['job:jobs:rate1h{"team":"a"}']]] },
      { full: [], tail: [['slow', '2m', ['job:jobs:ratio{}']]] },
    ]);
  });

  it('names the command and its output when promtool fails', async () => {
    await expect(listBlocks(path.join(dir, 'missing'))).rejects.toThrow(/^promtool tsdb list .*: /);
  });
});
