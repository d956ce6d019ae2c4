// Benchmark of `monforge check` as a user runs it (the real bin, a child process): the example
// platform, and synthetic projects of 200 and 1,000 services shaped like the one `monforge init`
// scaffolds (2 SLOs, traffic and an alert each). Per project: check cold (an empty cache), then
// check again after a one-service edit and `generate` (the cache of the cold run). The floor,
// measured in the same run: `promtool check rules` over the same rule files, parsing only.
// The load average is printed next to every figure: the machine may be shared.
// BENCH_SIZES=200 (comma-separated; 0 is the example) runs fewer. Last line: one JSON object.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { serviceFile, serviceName, writeProject } from './bench-check/project.ts';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '..');
const bin = path.join(repo, 'bin/monforge.js');
const sizes = (process.env.BENCH_SIZES ?? '0,200,1000').split(',').map(Number);
const targets: Record<string, { cold: number; edit?: number }> = {
  0: { cold: 15 },
  200: { cold: 45, edit: 15 },
  1000: { cold: 120, edit: 15 },
};

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const load = (): string => os.loadavg()[0]!.toFixed(2);

interface Timed {
  readonly seconds: number;
  readonly load: string;
}

/** Runs a command to its end (an hour at most) and times it; a failure ends the benchmark with its output. */
async function timed(command: string, args: readonly string[], cwd: string): Promise<Timed> {
  const started = performance.now();
  try {
    await run(command, [...args], { cwd, maxBuffer: 64 * 1024 * 1024, timeout: 60 * 60_000 });
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${failure.stdout ?? ''}${failure.stderr ?? failure.message}`.slice(0, 4000));
  }
  return { seconds: (performance.now() - started) / 1000, load: load() };
}

const monforge = (root: string, ...args: string[]): Promise<Timed> => timed(process.execPath, [bin, ...args, '--root', root], root);

/** `promtool check rules` over the project's generated rule files: YAML and PromQL parsing, no lint. */
async function floor(root: string): Promise<Timed> {
  const dir = path.join(root, 'generated');
  const rules = (await readdir(path.join(dir, 'prometheus/rules'))).map((file) => `prometheus/rules/${file}`);
  return timed('promtool', ['check', 'rules', '--lint=none', ...rules], dir);
}

interface Result {
  readonly services: number | 'example';
  readonly floor: Timed;
  readonly cold: Timed;
  readonly edit?: Timed;
}

async function measure(size: number, work: string): Promise<Result> {
  const cache = path.join(work, `cache-${size}`);
  if (size === 0) {
    const base = await floor(repo);
    log(`example: floor ${base.seconds.toFixed(2)} s (load ${base.load}); check cold …`);
    return { services: 'example', floor: base, cold: await monforge(repo, 'check', '--cache-dir', cache) };
  }
  const root = path.join(work, `platform-${size}`);
  await writeProject(root, size);
  await monforge(root, 'generate');
  const base = await floor(root);
  log(`${size} services: floor ${base.seconds.toFixed(2)} s (load ${base.load}); check cold …`);
  const cold = await monforge(root, 'check', '--cache-dir', cache);
  log(`${size} services: cold ${cold.seconds.toFixed(1)} s (load ${cold.load}); one-service edit …`);
  const edited = Math.floor(size / 2);
  await writeFile(path.join(root, `definitions/services/${serviceName(edited)}.ts`), serviceFile(edited, 1));
  await monforge(root, 'generate');
  return { services: size, floor: base, cold, edit: await monforge(root, 'check', '--cache-dir', cache) };
}

const work = await mkdtemp(path.join(os.tmpdir(), 'monforge-bench-check-'));
const results: Result[] = [];
try {
  for (const size of sizes) results.push(await measure(size, work));
} finally {
  await rm(work, { recursive: true, force: true });
}

const figure = (value: Timed | undefined, base: Timed): string =>
  value ? `${value.seconds.toFixed(1)} s ×${(value.seconds / base.seconds).toFixed(0)} (load ${value.load})` : '—';
console.log('services   floor (promtool check rules)   check cold                   after a one-service edit');
for (const result of results) {
  console.log(
    [
      String(result.services).padEnd(10),
      `${result.floor.seconds.toFixed(2)} s (load ${result.floor.load})`.padEnd(30),
      figure(result.cold, result.floor).padEnd(28),
      figure(result.edit, result.floor),
    ].join(' '),
  );
}
const round = (value: number): number => Number(value.toFixed(2));
console.log(
  JSON.stringify({
    benchmark: 'check',
    cores: os.availableParallelism(),
    results: results.map((result) => {
      const target = targets[result.services === 'example' ? 0 : result.services];
      return {
        services: result.services,
        floorSeconds: round(result.floor.seconds),
        coldSeconds: round(result.cold.seconds),
        coldRatioToFloor: round(result.cold.seconds / result.floor.seconds),
        coldLoad: Number(result.cold.load),
        ...(target && { coldTargetSeconds: target.cold, meetsColdTarget: result.cold.seconds <= target.cold }),
        ...(result.edit && {
          editSeconds: round(result.edit.seconds),
          editRatioToFloor: round(result.edit.seconds / result.floor.seconds),
          editLoad: Number(result.edit.load),
          ...(target?.edit && { editTargetSeconds: target.edit, meetsEditTarget: result.edit.seconds <= target.edit }),
        }),
      };
    }),
  }),
);
