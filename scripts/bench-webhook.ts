// `npm run bench:webhook`: 100 concurrent clients post realistic Alertmanager payloads on
// 127.0.0.1 for a bounded time, first to a bare node:http handler that parses the JSON and
// answers 202, then to the receiver (dry-run, the example platform's playbooks). Prints
// req/s, p50/p99 latency and peak RSS of each; the last line is one JSON object.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { compileRemediation, playbooksPath } from '../src/compile/remediation/index.ts';
import { loadPlatform } from '../src/load/load.ts';

const clients = 100;
const warmupMs = 1_000;
const measureMs = Number(process.env.BENCH_SECONDS ?? 5) * 1000;
const rounds = 4;
const maxRequests = 2_000_000; // a second bound, whatever the machine's speed
const token = 'bench-token';
const repo = path.resolve(import.meta.dirname, '..');

const bareServer = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    JSON.parse(Buffer.concat(chunks).toString('utf8'));
    res.writeHead(202, { 'content-type': 'application/json' });
    res.end('{"status":"accepted"}');
  });
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ msg: 'listening', url: 'http://127.0.0.1:' + server.address().port })));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

interface Result {
  requests: number;
  errors: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  peakRssMiB: number;
}

/** Alerts of the example platform's services, a fifth of them matched by a playbook. */
function payloads(): Buffer[] {
  const alertnames = ['ApiResponseTimeHigh', 'ApiMemoryHigh', 'DatabaseQueryTimeHigh', 'ApiDown', 'ApiErrorRateHigh', 'WebPageLoadSlow', 'SearchSlow', 'CacheHitRatioLow', 'JobsBackupLate', 'AssistantResponseSlow'];
  const pool = Array.from({ length: 300 }, (_, index) => {
    const alertname = alertnames[index % alertnames.length]!;
    const service = alertname.startsWith('Api') ? 'api' : alertname.startsWith('Database') ? 'database' : alertname.replace(/[A-Z][a-z]+$/, '').toLowerCase();
    return {
      status: 'firing',
      labels: { alertname, service, team: 'platform', severity: index % 3 === 0 ? 'warning' : 'critical', job: service, instance: `10.0.${index % 7}.${index}:8080` },
      annotations: { summary: `${alertname} on ${service}`, description: 'A description of realistic length for an alert, with a runbook link.', runbook_url: `https://runbooks.example.com/${alertname.toLowerCase()}` },
      startsAt: new Date(Date.UTC(2024, 4, 1, 10, index % 60)).toISOString(),
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: `http://prometheus.example:9090/graph?g0.expr=${encodeURIComponent('up == 0')}`,
      fingerprint: (0x1000000000000000n + BigInt(index) * 7919n).toString(16),
    };
  });
  return Array.from({ length: 1000 }, (_, index) => {
    const alerts = [pool[(index * 17) % pool.length]!, ...(index % 3 === 0 ? [pool[(index * 31) % pool.length]!] : [])];
    return Buffer.from(
      JSON.stringify({
        version: '4',
        groupKey: `{}/{}:{alertname="${alerts[0]!.labels.alertname}"}`,
        truncatedAlerts: 0,
        status: 'firing',
        receiver: 'remediation',
        groupLabels: { alertname: alerts[0]!.labels.alertname },
        commonLabels: { team: 'platform' },
        commonAnnotations: {},
        externalURL: 'http://alertmanager.example:9093',
        alerts,
      }),
    );
  });
}

async function start(name: string, args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start`)), 30_000);
    lines.on('line', (line) => {
      const message = line.startsWith('{') ? (JSON.parse(line) as { msg?: string; url?: string }) : {};
      if (message.msg === 'listening') {
        clearTimeout(timer);
        resolve(message.url!);
      }
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
  });
  return { child, url };
}

async function load(url: string, bodies: Buffer[], durationMs: number): Promise<{ latencies: number[]; errors: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const target = new URL('/alerts', url);
  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  const end = Date.now() + durationMs;
  const post = (body: Buffer): Promise<number> =>
    new Promise((resolve) => {
      const req = request(target, { method: 'POST', agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', () => resolve(0));
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (Date.now() < end && sent < maxRequests) {
        const body = bodies[(sent += 1) % bodies.length]!;
        const started = performance.now();
        const status = await post(body);
        latencies.push(performance.now() - started);
        if (status !== 202) errors += 1;
        void client;
      }
    }),
  );
  agent.destroy();
  return { latencies, errors };
}

async function peakRssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 102.4) / 10;
}

/** Alternating rounds, so that other load on the machine weighs on both servers alike. */
async function compare(servers: { name: string; args: string[] }[], bodies: Buffer[]): Promise<Result[]> {
  const running = [];
  for (const server of servers) running.push({ ...server, ...(await start(server.name, server.args)), latencies: [] as number[], errors: 0 });
  try {
    for (const server of running) await load(server.url, bodies, warmupMs);
    for (let round = 0; round < rounds; round += 1) {
      for (const server of running) {
        const { latencies, errors } = await load(server.url, bodies, measureMs / rounds);
        server.latencies.push(...latencies);
        server.errors += errors;
      }
    }
    const results: Result[] = [];
    for (const server of running) {
      const latencies = server.latencies.sort((a, b) => a - b);
      const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]! * 100) / 100;
      const result = { requests: latencies.length, errors: server.errors, reqPerSec: Math.round(latencies.length / (measureMs / 1000)), p50Ms: at(0.5), p99Ms: at(0.99), peakRssMiB: await peakRssMiB(server.child.pid!) };
      process.stdout.write(`${server.name.padEnd(8)} ${result.reqPerSec} req/s  p50 ${result.p50Ms} ms  p99 ${result.p99Ms} ms  peak RSS ${result.peakRssMiB} MiB  (${result.requests} requests, ${result.errors} not 202)\n`);
      results.push(result);
    }
    return results;
  } finally {
    for (const { child } of running) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'monforge-bench-webhook-'));
try {
  const files = compileRemediation(await loadPlatform(repo));
  await writeFile(path.join(dir, 'playbooks.json'), files.get(playbooksPath)!);
  await writeFile(path.join(dir, 'token'), token);
  const bodies = payloads();
  process.stdout.write(`${clients} clients, ${measureMs / 1000} s each in ${rounds} alternating rounds after ${warmupMs / 1000} s warm-up, 127.0.0.1\n`);
  const [bare, receiver] = (await compare(
    [
      { name: 'bare', args: ['-e', bareServer] },
      {
        name: 'receiver',
        args: ['bin/monforge.js', 'webhook', '--dry-run', '--listen', '127.0.0.1:0', '--token-file', path.join(dir, 'token'), '--playbooks', path.join(dir, 'playbooks.json'), '--state-dir', path.join(dir, 'state')],
      },
    ],
    bodies,
  )) as [Result, Result];
  const ratio = { throughput: Math.round((receiver.reqPerSec / bare.reqPerSec) * 1000) / 1000, p99: Math.round((receiver.p99Ms / bare.p99Ms) * 1000) / 1000 };
  const targetMet = ratio.throughput >= 0.7 && ratio.p99 <= 1.5;
  process.stdout.write(`${JSON.stringify({ clients, seconds: measureMs / 1000, receiver, bare, ratio, targetMet })}\n`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
