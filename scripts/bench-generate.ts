// Benchmark of `monforge generate` as a user runs it: the package built and installed in the
// project's node_modules (bench-check/installed.ts), its bin run as a child process per run so
// that peak memory is that run's own, on projects of 10, 100 and 1,000 services shaped like the
// one `monforge init` scaffolds (bench-check/project.ts: 2 SLOs, traffic and an alert each). Per
// size: generate into an empty folder, again with generated/ up to date, and after a one-service
// edit (one service compiled, the others taken from generated/ through the cache). The floor,
// measured in the same run: a bare Node process writing the same files durably (each written,
// all fsynced, the folder renamed into place), the least any generate that writes them costs.
// Then `generate --watch` at 1,000 services (bench-check/watch.ts): save to written for a
// one-service edit, against the watcher's first full generate. The 1-minute load average is
// printed beside every figure: the machine may be shared. BENCH_ROUNDS (default 3) runs each
// figure that many times and keeps the fastest; BENCH_SIZES=1000 runs fewer sizes. Last line:
// one JSON object.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { installPackage } from './bench-check/installed.ts';
import { serviceFile, serviceName, writeProject } from './bench-check/project.ts';
import { measureWatch } from './bench-check/watch.ts';

const run = promisify(execFile);
const sizes = (process.env.BENCH_SIZES ?? '10,100,1000').split(',').map(Number);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const targetMs = 2000;
const targetPeakMiB = 400;
const targetWatchMs = 300;

/** Loaded before the program: prints its peak RSS as the last line of stderr when it exits. */
const peakReporter = `data:text/javascript,${encodeURIComponent(
  "process.on('exit', () => process.stderr.write(`\\npeak-rss-kib ${process.resourceUsage().maxRSS}\\n`));",
)}`;

/** The floor: every file of `from` read first (not timed), then written to a fresh folder beside it, fsynced, renamed into place. */
const writeFloor = `
const fs = require('node:fs'), path = require('node:path');
const [from, to] = process.argv.slice(1);
const files = fs.readdirSync(from, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
  .map((e) => { const file = path.relative(from, path.join(e.parentPath, e.name)); return [file, fs.readFileSync(path.join(from, file))]; });
const started = performance.now();
const staging = fs.mkdtempSync(to + '-');
for (const [file, bytes] of files) { fs.mkdirSync(path.dirname(path.join(staging, file)), { recursive: true }); fs.writeFileSync(path.join(staging, file), bytes, { flag: 'wx' }); }
let next = 0;
const sync = async () => { while (next < files.length) { const handle = await fs.promises.open(path.join(staging, files[next++][0]), 'r+'); await handle.sync(); await handle.close(); } };
Promise.all(Array.from({ length: 32 }, sync)).then(() => { fs.renameSync(staging, to); process.stdout.write(String(performance.now() - started)); });
`;

interface Figure {
  readonly ms: number;
  readonly peakMiB: number;
  readonly load: number;
}

const load = (): number => os.loadavg()[0]!;

/** One run of the project's bin (an hour at most): wall time from spawn to exit, and its peak RSS. */
async function generate(root: string): Promise<Figure> {
  const bin = path.join(root, 'node_modules/monforge/bin/monforge.js');
  const started = performance.now();
  const { stderr } = await run(process.execPath, ['--import', peakReporter, bin, 'generate', '--root', root], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
    timeout: 60 * 60_000,
  });
  const ms = performance.now() - started;
  const kib = /peak-rss-kib (\d+)\n$/.exec(stderr);
  if (!kib) throw new Error(`generate printed no peak RSS:\n${stderr}`);
  return { ms, peakMiB: Number(kib[1]) / 1024, load: load() };
}

async function floor(root: string): Promise<Figure> {
  const to = path.join(root, 'floor');
  await rm(to, { recursive: true, force: true });
  const { stdout } = await run(process.execPath, ['-e', writeFloor, path.join(root, 'generated'), to], { maxBuffer: 1024 * 1024 });
  await rm(to, { recursive: true, force: true });
  return { ms: Number(stdout), peakMiB: 0, load: load() };
}

/** The fastest of `rounds` runs; `before` runs ahead of each (not timed). */
async function fastest(measure: () => Promise<Figure>, before?: () => Promise<void>): Promise<Figure> {
  let best: Figure | undefined;
  for (let round = 0; round < rounds; round += 1) {
    await before?.();
    const figure = await measure();
    if (!best || figure.ms < best.ms) best = figure;
  }
  return best!;
}

async function treeSize(dir: string): Promise<{ files: number; bytes: number }> {
  const entries = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  const sizes = await Promise.all(entries.map(async (entry) => (await stat(path.join(entry.parentPath, entry.name))).size));
  return { files: entries.length, bytes: sizes.reduce((sum, size) => sum + size, 0) };
}

interface Result {
  readonly services: number;
  readonly fresh: Figure;
  readonly upToDate: Figure;
  readonly edited: Figure;
  readonly floor: Figure;
  readonly files: number;
  readonly bytes: number;
}

async function measure(size: number): Promise<Result> {
  const root = await mkdtemp(path.join(os.tmpdir(), `monforge-bench-generate-${size}-`));
  try {
    await writeProject(root, size, { installed: true });
    await installPackage(root);
    const generated = path.join(root, 'generated');
    const fresh = await fastest(
      () => generate(root),
      () => rm(generated, { recursive: true, force: true }),
    );
    const upToDate = await fastest(() => generate(root));
    // Each round the first service's alert levels flip (to 2/4 and back to 1/3; 3 would reach the largest bucket): one service whose files change.
    let variant = 0;
    const edited = await fastest(
      () => generate(root),
      async () => {
        variant = 1 - variant;
        await writeFile(path.join(root, `definitions/services/${serviceName(0)}.ts`), serviceFile(0, variant));
      },
    );
    const base = await fastest(() => floor(root));
    return { services: size, fresh, upToDate, edited, floor: base, ...(await treeSize(generated)) };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const round = (value: number, digits = 1): number => Number(value.toFixed(digits));
const ratio = (figure: Figure, base: Figure): string => `×${(figure.ms / base.ms).toFixed(1)}`;

const results: Result[] = [];
for (const size of sizes) {
  results.push(await measure(size));
  process.stderr.write(`${size} services measured (load ${load().toFixed(2)})\n`);
}
console.log(
  'services  files     MB   floor ms  fresh ms (ratio, peak MiB, load)      up to date ms (ratio, peak MiB, load) one edited ms (ratio, peak MiB, load)',
);
for (const { services, files, bytes, floor: base, fresh, upToDate, edited } of results) {
  const figure = (each: Figure): string =>
    `${each.ms.toFixed(0).padStart(8)} (${ratio(each, base)}, ${each.peakMiB.toFixed(0)} MiB, load ${each.load.toFixed(2)})`.padEnd(40);
  console.log(
    `${String(services).padStart(8)} ${String(files).padStart(6)} ${(bytes / 1e6).toFixed(1).padStart(6)} ${base.ms.toFixed(0).padStart(10)}  ${figure(fresh)} ${figure(upToDate)} ${figure(edited)}`,
  );
}
const watch = await measureWatch(1000, Math.max(rounds, 5));
const fastestEdit = Math.min(...watch.editMs);
const medianEdit = [...watch.editMs].sort((a, b) => a - b)[Math.floor(watch.editMs.length / 2)]!;
console.log(
  `watch, one-service edit at ${watch.services} services: ${watch.editMs.map((ms) => ms.toFixed(0)).join(', ')} ms save to written (fastest ×${(fastestEdit / watch.fullMs).toFixed(3)} of the first full generate, ${watch.fullMs} ms; load ${watch.load.toFixed(2)})`,
);
const largest = results.find((result) => result.services === 1000);
const meets = (each: Figure): boolean => each.ms <= targetMs && each.peakMiB <= targetPeakMiB;
const figureJson = (each: Figure, base: Figure) => ({
  ms: round(each.ms),
  ratioToFloor: round(each.ms / base.ms, 2),
  peakRssMiB: round(each.peakMiB),
  load: round(each.load, 2),
  meetsTarget: meets(each),
});
console.log(
  JSON.stringify({
    benchmark: 'generate',
    sizes: results.map((result) => ({
      services: result.services,
      files: result.files,
      bytes: result.bytes,
      floorMs: round(result.floor.ms),
      fresh: figureJson(result.fresh, result.floor),
      upToDate: figureJson(result.upToDate, result.floor),
      oneServiceEdited: figureJson(result.edited, result.floor),
    })),
    target1000ServicesMs: targetMs,
    target1000ServicesPeakRssMiB: targetPeakMiB,
    ...(largest && {
      meets1000ServicesTarget: [largest.fresh, largest.upToDate, largest.edited].every(meets),
    }),
    watch: {
      services: watch.services,
      editMs: watch.editMs.map((ms) => round(ms)),
      fullGenerateMs: watch.fullMs,
      ratioToFullGenerate: round(fastestEdit / watch.fullMs, 3),
      medianEditMs: round(medianEdit),
      load: round(watch.load, 2),
      targetEditMs: targetWatchMs,
      meetsTarget: fastestEdit <= targetWatchMs,
    },
  }),
);
