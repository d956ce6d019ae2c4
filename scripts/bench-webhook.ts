// `npm run bench:webhook`: 100 concurrent clients post realistic Alertmanager payloads on
// 127.0.0.1 to a bare node:http handler that parses the JSON and answers 202, and to the
// receiver (dry-run, the example platform's playbooks) under three workloads:
// - `receiver`: the payloads repeat (re-deliveries, as Alertmanager sends every group_interval):
//   after the first pass every alert is a duplicate, answered without a write;
// - `new10`: one alert in ten is new (an alert a playbook matches, with a startsAt never sent
//   before), the others re-deliveries; the playbooks have no cooldown or hourly limit, so each
//   new alert is a new episode, answered 202 only once its record is written and fdatasync'ed
//   (group commit: one fdatasync for every request waiting at that moment), and then run (dry);
// - `new100`: every alert is new.
// Which alerts are new follows one counter per server over its whole run (warm-up included):
// the share is exact, and printed with the episodes each receiver recorded. The bare server gets
// the `new10` stream, so that making the bodies costs the client the same for all.
// All get the same client and the same time per round, in rounds whose order rotates after
// warm-up rounds; each figure is the median of the rounds. Prints req/s, p50/p99 latency, CPU
// time per request (over all rounds, the least noisy figure on a loaded machine) and peak RSS of
// each, and the load average; the last line is one JSON object with all and their ratios to bare.
// `ratio` is the median of the rounds' ratios: the runs of a round are back to back, so other
// load on the machine weighs on all alike, which the ratio of the medians (`ratioOfMedians`) does
// not ensure. Targets: `receiver` ≥ 0.7× bare's throughput and p99 ≤ 1.5×; `new10` ≥ 0.6× and
// p99 ≤ 3×; `new100` is reported without a target.
//
// BENCH_SECONDS: measured seconds per server (default 12, at most 30), split into BENCH_ROUNDS
// rounds (default 16). BENCH_CPU_PROF=DIR: write a .cpuprofile of each server to DIR and print
// the functions with the most self time.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { compileRemediation, playbooksPath } from '../src/compile/remediation/index.ts';
import { loadPlatform } from '../src/load/load.ts';
import { playbookMatcher } from '../src/webhook/playbooks.ts';
import { alertPool, type Bodies, redeliveries, withNewAlerts } from './bench-webhook/streams.ts';

const clients = 100;
const measureMs = Math.min(30, Math.max(1, Number(process.env.BENCH_SECONDS ?? 12))) * 1000;
const rounds = Math.min(20, Math.max(2, Math.round(Number(process.env.BENCH_ROUNDS ?? 16))));
const roundMs = measureMs / rounds;
const warmupRounds = 2;
const warmupMs = 1_000;
const maxRequests = 500_000; // per round: a second bound, whatever the machine's speed
const token = 'bench-token';
const repo = path.resolve(import.meta.dirname, '..');
const profileDir = process.env.BENCH_CPU_PROF ? path.resolve(process.env.BENCH_CPU_PROF) : undefined;

// The same reply as the receiver's: JSON with a content length (not chunked).
const bareServer = `
const http = require('node:http');
const reply = '{"status":"accepted"}';
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    JSON.parse(Buffer.concat(chunks).toString('utf8'));
    res.writeHead(202, { 'content-type': 'application/json', 'content-length': reply.length });
    res.end(reply);
  });
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ msg: 'listening', url: 'http://127.0.0.1:' + server.address().port })));
process.on('SIGTERM', () => { server.close(() => process.exit(0)); server.closeAllConnections(); });
`;

interface Round {
  requests: number;
  errors: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** The server's CPU time (user + system). */
  cpuMs: number;
}

interface Result extends Omit<Round, 'cpuMs'> {
  /** The server's CPU time per request over all rounds: less noisy than the rate on a loaded machine. */
  cpuUsPerRequest: number;
  peakRssMiB: number;
}

/**
 * Starts a server with its output going to a file: a pipe that the client (busy with its 100
 * connections) drains late would block the server's synchronous writes to stdout, and the
 * benchmark would measure the client.
 */
async function start(name: string, args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-name', `${name}.cpuprofile`] : [];
  const output = path.join(dir, `${name}.log`);
  const fd = openSync(output, 'w');
  const child = spawn(process.execPath, [...profile, ...args], { cwd: repo, stdio: ['ignore', fd, 'inherit'] });
  closeSync(fd);
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  const started = performance.now();
  for (;;) {
    const line = (await readFile(output, 'utf8')).split('\n').find((each) => each.includes('"msg":"listening"'));
    if (line) return { child, url: (JSON.parse(line) as { url: string }).url };
    if (exited !== undefined) throw new Error(`${name} exited with ${exited}`);
    if (performance.now() - started > 30_000) throw new Error(`${name} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * One round: `clients` closed-loop clients on keep-alive connections post the bodies in order
 * (the same sequence for every server) until `durationMs` has passed; the rate counts until the
 * last reply, so requests in flight at the deadline count in full.
 */
async function load(url: string, pid: number, bodies: Bodies, durationMs: number): Promise<Round> {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const target = new URL('/alerts', url);
  const options = { method: 'POST', agent, hostname: target.hostname, port: target.port, path: target.pathname };
  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  const post = (body: Buffer): Promise<number> =>
    new Promise((resolve) => {
      const req = request(
        { ...options, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': body.length } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', () => resolve(0));
      req.end(body);
    });
  const cpuBefore = await cpuMs(pid);
  const started = performance.now();
  const end = started + durationMs;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end && sent < maxRequests) {
        const body = bodies();
        sent += 1;
        const at = performance.now();
        const status = await post(body);
        latencies.push(performance.now() - at);
        if (status !== 202) errors += 1;
      }
    }),
  );
  const elapsed = performance.now() - started;
  const cpu = (await cpuMs(pid)) - cpuBefore;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const requests = latencies.length;
  return {
    requests,
    errors,
    reqPerSec: requests / (elapsed / 1000),
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    cpuMs: cpu,
  };
}

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const round2 = (value: number): number => Math.round(value * 100) / 100;
const round3 = (value: number): number => Math.round(value * 1000) / 1000;

/** utime + stime of a process, in ms (clock ticks of 10 ms). */
async function cpuMs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).replace(/^.*\) /s, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function peakRssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 102.4) / 10;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Warm-up rounds, then measured rounds whose order rotates (A B C, B C A, ...), so that other
 * load on the machine, and whatever the one before leaves behind, weighs on all alike.
 */
async function compare(
  servers: { name: string; args: string[]; bodies: Bodies }[],
): Promise<{ results: Result[]; ratios: { throughput: number; p99: number }[][] }> {
  const running: { name: string; child: ChildProcess; url: string; bodies: Bodies; rounds: Round[] }[] = [];
  try {
    for (const server of servers)
      running.push({ name: server.name, bodies: server.bodies, ...(await start(server.name, server.args)), rounds: [] });
    for (let round = 0; round < warmupRounds; round += 1)
      for (const server of running) await load(server.url, server.child.pid!, server.bodies, warmupMs);
    for (let round = 0; round < rounds; round += 1) {
      for (let turn = 0; turn < running.length; turn += 1) {
        const server = running[(round + turn) % running.length]!;
        server.rounds.push(await load(server.url, server.child.pid!, server.bodies, roundMs));
      }
    }
    const results: Result[] = [];
    for (const server of running) {
      const of = (key: keyof Round) => median(server.rounds.map((round) => round[key]));
      const total = (key: keyof Round) => server.rounds.reduce((sum, round) => sum + round[key], 0);
      const result: Result = {
        requests: total('requests'),
        errors: total('errors'),
        reqPerSec: Math.round(of('reqPerSec')),
        p50Ms: round2(of('p50Ms')),
        p99Ms: round2(of('p99Ms')),
        cpuUsPerRequest: Math.round((total('cpuMs') * 1000) / total('requests')),
        peakRssMiB: await peakRssMiB(server.child.pid!),
      };
      const spread = server.rounds.map((round) => `${Math.round(round.reqPerSec)}/${round2(round.p99Ms)}`).join(' ');
      process.stdout.write(
        `${server.name.padEnd(9)} ${result.reqPerSec} req/s  p50 ${result.p50Ms} ms  p99 ${result.p99Ms} ms  CPU ${result.cpuUsPerRequest} µs/req  peak RSS ${result.peakRssMiB} MiB  (${result.requests} requests, ${result.errors} not 202; rounds req/s/p99: ${spread})\n`,
      );
      results.push(result);
    }
    // The receivers' fdatasyncs: group commit makes them far fewer than the writes that waited for one.
    for (const server of running.slice(1)) {
      const metrics = await (await fetch(new URL('/metrics', server.url))).text();
      const total = (pattern: RegExp): number => [...metrics.matchAll(pattern)].reduce((sum, match) => sum + Number(match[1]), 0);
      const syncs = total(/^monforge_webhook_state_sync_duration_seconds_count (\S+)$/gm);
      const seconds = total(/^monforge_webhook_state_sync_duration_seconds_sum (\S+)$/gm);
      const runs = total(/^monforge_webhook_runs_total\{[^}]*\} (\S+)$/gm);
      process.stdout.write(
        `${server.name.padEnd(9)} ${syncs} fdatasyncs (mean ${round2((seconds / Math.max(1, syncs)) * 1000)} ms) for ${runs} episodes accepted and run\n`,
      );
    }
    // Each server's rounds against the first's (bare) of the same round.
    const [baseline, ...others] = running as [(typeof running)[0], ...typeof running];
    const ratios = others.map((other) =>
      baseline.rounds.map((round, index) => ({
        throughput: other.rounds[index]!.reqPerSec / round.reqPerSec,
        p99: other.rounds[index]!.p99Ms / round.p99Ms,
      })),
    );
    return { results, ratios };
  } finally {
    for (const { child } of running) await stop(child);
  }
}

/** Self time per function of each profile written to `dir`, the heaviest first. */
async function summarizeProfiles(dir: string): Promise<void> {
  interface Node {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }
  for (const file of (await readdir(dir)).filter((name) => name.endsWith('.cpuprofile')).sort()) {
    const profile = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    const self = new Map<string, number>();
    let total = 0;
    profile.samples.forEach((id, index) => {
      const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
      const where = url
        ? ` ${url
            .replace(/^file:\/\//, '')
            .replace(`${repo}/`, '')
            .replace(/^.*node_modules\//, '')}:${lineNumber + 1}`
        : '';
      const key = `${functionName || '(anonymous)'}${where}`;
      const delta = profile.timeDeltas[index] ?? 0;
      self.set(key, (self.get(key) ?? 0) + delta);
      total += delta;
    });
    process.stdout.write(`\n${file}: self time, ${Math.round(total / 1000)} ms sampled\n`);
    for (const [key, micros] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
      process.stdout.write(`${((micros / total) * 100).toFixed(1).padStart(6)} %  ${key}\n`);
    }
  }
  process.stdout.write('\n');
}

const receiverArgs = (dir: string, playbooks: string, state: string): string[] => [
  'bin/monforge.js',
  'webhook',
  '--dry-run',
  '--listen',
  '127.0.0.1:0',
  '--token-file',
  path.join(dir, 'token'),
  '--playbooks',
  path.join(dir, playbooks),
  '--state-dir',
  path.join(dir, state),
];

const dir = await mkdtemp(path.join(os.tmpdir(), 'monforge-bench-webhook-'));
try {
  if (profileDir) await mkdir(profileDir, { recursive: true });
  const files = compileRemediation(await loadPlatform(repo));
  const playbooks = files.get(playbooksPath)!;
  await writeFile(path.join(dir, 'playbooks.json'), playbooks);
  // The same playbooks without cooldown or hourly limit: every new episode is accepted and written.
  const unlimited = JSON.parse(playbooks) as { playbooks: { cooldown: string; maxRunsPerHour: number }[] };
  for (const playbook of unlimited.playbooks) Object.assign(playbook, { cooldown: '0s', maxRunsPerHour: 1_000_000_000 });
  await writeFile(path.join(dir, 'unlimited.json'), JSON.stringify(unlimited));
  await writeFile(path.join(dir, 'token'), token);
  const pool = alertPool();
  const matching = playbookMatcher(JSON.parse(playbooks).playbooks);
  const matched = pool.filter((alert) => matching(alert.labels).length > 0);
  const bareStream = withNewAlerts(pool, matched, 10);
  const new10 = withNewAlerts(pool, matched, 10);
  const new100 = withNewAlerts(pool, matched, 1);
  const loadBefore = os.loadavg().map(round2);
  process.stdout.write(
    `${clients} clients on 127.0.0.1, ${warmupRounds} warm-up rounds of ${warmupMs / 1000} s, then ${rounds} rounds of ${roundMs / 1000} s each in rotating order; medians of the rounds; load average ${loadBefore.join(' ')} on ${os.cpus().length} CPUs\n`,
  );
  const writing = (name: string): string[] => [
    ...receiverArgs(dir, 'unlimited.json', name),
    '--queue-size',
    '1000000',
    '--concurrency',
    '16',
  ];
  const { results, ratios } = await compare([
    { name: 'bare', args: ['-e', bareServer], bodies: bareStream.next },
    { name: 'receiver', args: receiverArgs(dir, 'playbooks.json', 'state'), bodies: redeliveries(pool) },
    { name: 'new10', args: writing('state-new10'), bodies: new10.next },
    { name: 'new100', args: writing('state-new100'), bodies: new100.next },
  ]);
  const loadAfter = os.loadavg().map(round2);
  // What was sent against what the receivers recorded: the share of new alerts is what it says.
  for (const [name, stream] of [
    ['new10', new10],
    ['new100', new100],
  ] as const) {
    const recorded = (await readFile(path.join(dir, `state-${name}`, 'state.jsonl'), 'utf8')).split('"type":"accepted"').length - 1;
    process.stdout.write(
      `${name.padEnd(9)} ${stream.sent.fresh} new alerts of ${stream.sent.alerts} sent (${round2((100 * stream.sent.fresh) / stream.sent.alerts)} %); ${recorded} new episodes recorded\n`,
    );
  }
  const [bare, ...receivers] = results as [Result, ...Result[]];
  if (profileDir) await summarizeProfiles(profileDir);
  /** Each workload's target: at least this share of bare's throughput, p99 at most this multiple. */
  const targets: Record<string, { throughput: number; p99: number } | undefined> = {
    receiver: { throughput: 0.7, p99: 1.5 },
    new10: { throughput: 0.6, p99: 3 },
    new100: undefined,
  };
  const summary = receivers.map((receiver, index) => {
    const throughputs = ratios[index]!.map((ratio) => ratio.throughput);
    const p99s = ratios[index]!.map((ratio) => ratio.p99);
    const name = ['receiver', 'new10', 'new100'][index]!;
    process.stdout.write(`${name}/bare per round: throughput ${throughputs.map(round3).join(' ')}; p99 ${p99s.map(round3).join(' ')}\n`);
    const ratio = {
      throughput: round3(median(throughputs)),
      p99: round3(median(p99s)),
      cpuPerRequest: round3(receiver.cpuUsPerRequest / bare.cpuUsPerRequest),
    };
    const ratioOfMedians = { throughput: round3(receiver.reqPerSec / bare.reqPerSec), p99: round3(receiver.p99Ms / bare.p99Ms) };
    const target = targets[name];
    const targetMet = target
      ? ratio.throughput >= target.throughput && ratio.p99 <= target.p99 && receiver.errors === 0 && bare.errors === 0
      : undefined;
    process.stdout.write(
      `${name.padEnd(9)} ${ratio.throughput}× bare throughput, p99 ${ratio.p99}× bare${target ? ` (target ≥ ${target.throughput}×, ≤ ${target.p99}×: ${targetMet ? 'met' : 'NOT met'})` : ''}\n`,
    );
    return [name, { ...receiver, ratio, ratioOfMedians, ...(target ? { target, targetMet } : {}) }] as const;
  });
  const all = Object.fromEntries(summary);
  process.stdout.write(
    `${JSON.stringify({
      clients,
      seconds: measureMs / 1000,
      rounds,
      loadAverage: { before: loadBefore, after: loadAfter },
      bare,
      ...all,
      targetMet: summary.every(([, each]) => (each as { targetMet?: boolean }).targetMet !== false),
    })}\n`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
