// npm run bench:live — time the live part of `check --prometheus` for 1,000 services against a
// local Prometheus. The synthetic platform of scripts/synthetic-platform.ts (3 SLOs and 5 threshold
// alerts per service), 30 minutes of its series at a 15 s step (requests by route and code, latency
// buckets, memory, `up`) backfilled with promtool and served by a real prometheus; the live check
// runs once to warm the server's caches, then BENCH_ROUNDS times (default 3). The baseline,
// measured in the same run: the same HTTP calls (recorded from the last round) sent bare, with the
// same concurrency, nothing done with their answers. "its CPU" is this process's CPU time during
// the check (the analysis and the client), apart from the server's. Last line: one JSON object.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultConcurrency, defaultServerLimits, PrometheusClient } from '../src/check/live/client.ts';
import { liveCheck } from '../src/check/live/index.ts';
import type { LiveReport } from '../src/check/live/types.ts';
import { compile } from '../src/compile/index.ts';
import { buildPlatform } from '../src/load/load.ts';
import { httpRequest, joinUrl, type HttpResponse } from '../src/process/http.ts';
import { limiter } from '../src/process/limit.ts';
import { parseGeneratedTree } from '../src/reader/index.ts';
import { backfillOpenMetrics, startPrometheus, type FamilyHistory } from './history/index.ts';
import { syntheticPlatform } from './synthetic-platform.ts';

const services = Number(process.env.BENCH_SERVICES ?? 1000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const targetMs = 30_000;
const step = 15;
const log = (line: string): void => void process.stderr.write(`${line}\n`);

interface Call {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly params: string;
}

/** The client, recording every call it makes so the baseline can send them again bare. */
class RecordingClient extends PrometheusClient {
  readonly recorded: Call[] = [];
  protected override call(method: 'GET' | 'POST', path: string, params: URLSearchParams): Promise<HttpResponse> {
    this.recorded.push({ method, path, params: params.toString() });
    return super.call(method, path, params);
  }
}

/** The series of every service: what its selectors, SLOs and alerts read. */
function families(now: number): FamilyHistory[] {
  const routes = ['/checkout', '/search'];
  const bounds = ['0.05', '0.1', '0.2', '0.5', '1', '2', '5', '+Inf'];
  const jobs = Array.from({ length: services }, (_, index) => ({ job: `service-${index}`, instance: `service-${index}:9000` }));
  const since = (time: number): number => time - (now - 3600);
  const series = <T>(make: (target: { job: string; instance: string }) => T[]): T[] => jobs.flatMap(make);
  return [
    { name: 'up', type: 'gauge', help: 'Up.', series: series((target) => [{ labels: target, value: () => 1 }]) },
    {
      name: 'http_requests',
      type: 'counter',
      help: 'Requests.',
      series: series((target) =>
        routes.flatMap((route) => [
          { labels: { ...target, route, code: '200' }, value: (time: number) => 50 * since(time) },
          { labels: { ...target, route, code: '500' }, value: (time: number) => Math.floor(since(time) / 60) },
        ]),
      ),
    },
    {
      name: 'http_request_duration_seconds_bucket',
      type: 'unknown',
      help: 'Latency.',
      series: series((target) =>
        routes.flatMap((route) =>
          bounds.map((le, index) => ({ labels: { ...target, route, le }, value: (time: number) => (10 + 5 * index) * since(time) })),
        ),
      ),
    },
    ...(['_sum', '_count'] as const).map(
      (suffix): FamilyHistory => ({
        name: `http_request_duration_seconds${suffix}`,
        type: 'unknown',
        help: 'Latency.',
        series: series((target) => routes.map((route) => ({ labels: { ...target, route }, value: (time: number) => 45 * since(time) }))),
      }),
    ),
    {
      name: 'process_resident_memory_bytes',
      type: 'gauge',
      help: 'Memory.',
      series: series((target) => [{ labels: target, value: () => 4e8 }]),
    },
    {
      name: 'container_memory_limit_bytes',
      type: 'gauge',
      help: 'Limit.',
      series: series((target) => [{ labels: target, value: () => 1e9 }]),
    },
  ];
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'monforge-bench-live-'));
try {
  const platform = buildPlatform(syntheticPlatform(services), (error) => {
    throw new Error(`${error.file}: ${error.path.join(' › ')}: ${error.message}`);
  })!;
  const tree = parseGeneratedTree(compile(platform), 'synthetic platform');
  // The history reaches 10 minutes past now, so it is "now" for the whole run.
  const now = Math.floor(Date.now() / 1000 / step) * step;
  const history = { start: now - 1800, end: now + 600, step, families: families(now) };
  const setup = performance.now();
  log(`backfilling 40 minutes of ${services} services' series with promtool`);
  const samples = await backfillOpenMetrics(history, path.join(dir, 'data'), { workDir: path.join(dir, 'work') });
  const server = await startPrometheus({ dataDir: path.join(dir, 'data'), workDir: path.join(dir, 'server') });
  log(`${samples} samples; prometheus ready after ${((performance.now() - setup) / 1000).toFixed(0)} s`);
  try {
    const run = async (): Promise<{ ms: number; cpuMs: number; report: LiveReport; client: RecordingClient }> => {
      const client = new RecordingClient({ url: server.url });
      const started = performance.now();
      const cpu = process.cpuUsage();
      const report = await liveCheck(client, { platform, tree, texts: new Map() });
      const used = process.cpuUsage(cpu);
      return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, report, client };
    };
    await run();
    const results = [];
    for (let round = 0; round < rounds; round += 1) results.push(await run());
    const last = results.at(-1)!;
    const bare = async (): Promise<number> => {
      const run = limiter(defaultConcurrency);
      const started = performance.now();
      await Promise.all(
        last.client.recorded.map((call) =>
          run(() =>
            call.method === 'GET'
              ? httpRequest(joinUrl(server.url, `${call.path}?${call.params}`), { what: call.path }, defaultServerLimits)
              : httpRequest(
                  joinUrl(server.url, call.path),
                  { what: call.path, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: call.params },
                  defaultServerLimits,
                ),
          ),
        ),
      );
      return performance.now() - started;
    };
    const bareMs = [await bare(), await bare(), await bare()].sort((a, b) => a - b)[1]!;
    const median = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const liveMs = median(results.map((result) => result.ms));
    const cpuMs = median(results.map((result) => result.cpuMs));
    const load = os.loadavg().map((value) => Number(value.toFixed(2)));
    const levels = (report: LiveReport, level: string) => report.findings.filter((finding) => finding.level === level).length;
    console.log('services  live ms  its CPU ms  bare calls ms  ratio  calls  rules+panels measured  errors  warnings');
    console.log(
      [
        String(services).padStart(8),
        liveMs.toFixed(0).padStart(8),
        cpuMs.toFixed(0).padStart(11),
        bareMs.toFixed(0).padStart(14),
        (liveMs / bareMs).toFixed(2).padStart(6),
        String(last.report.calls).padStart(6),
        String(last.report.costs.length).padStart(22),
        String(levels(last.report, 'error')).padStart(7),
        String(levels(last.report, 'warning')).padStart(9),
      ].join(' '),
    );
    console.log(`load average: ${load.join(' ')}`);
    for (const finding of last.report.findings.slice(0, 5)) log(`${finding.check}: ${finding.object}: ${finding.message}`);
    console.log(
      JSON.stringify({
        benchmark: 'live',
        services,
        liveMs: Number(liveMs.toFixed(1)),
        cpuMs: Number(cpuMs.toFixed(1)),
        roundsMs: results.map((result) => Number(result.ms.toFixed(1))),
        bareCallsMs: Number(bareMs.toFixed(1)),
        ratioToBareCalls: Number((liveMs / bareMs).toFixed(2)),
        calls: last.report.calls,
        queriesMeasured: last.report.costs.length,
        findings: last.report.findings.length,
        loadAverage: load,
        targetMs,
        meetsTarget: liveMs < targetMs,
      }),
    );
  } finally {
    await server.stop();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
