// The `generate --watch` figure: the real bin watching a project of N services (bench-check's
// shape); each round saves one service file with a new alert level and times it from the save
// to the line saying generated/ is written. The floor: the same bin's first full generate.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { serviceFile, serviceName, writeProject } from './project.ts';

const bin = path.resolve(import.meta.dirname, '../../bin/monforge.js');

export interface WatchFigures {
  readonly services: number;
  /** The first, full generate (as the watcher reports it). */
  readonly fullMs: number;
  /** Save to written, each round. */
  readonly editMs: number[];
  readonly load: number;
}

export async function measureWatch(services: number, rounds = 3): Promise<WatchFigures> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'monforge-bench-watch-'));
  await writeProject(root, services);
  const child = spawn(process.execPath, [bin, 'generate', '--watch', '--root', root], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let errors = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  /** Waits (10 minutes at most) for the n-th "generated/ written" line; its reported milliseconds. */
  const written = async (count: number): Promise<number> => {
    const deadline = Date.now() + 10 * 60_000;
    for (;;) {
      const lines = [...output.matchAll(/^generated\/ written: .* in (\d+) ms$/gm)];
      if (lines.length >= count) return Number(lines[count - 1]![1]);
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`generate --watch: no result\n${output}${errors}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  try {
    const fullMs = await written(1);
    const editMs: number[] = [];
    const edited = Math.floor(services / 2);
    for (let round = 1; round <= rounds; round += 1) {
      const saved = performance.now();
      await writeFile(path.join(root, `definitions/services/${serviceName(edited)}.ts`), serviceFile(edited, round % 2));
      await written(round + 1);
      editMs.push(performance.now() - saved);
    }
    return { services, fullMs, editMs, load: os.loadavg()[0]! };
  } finally {
    child.kill('SIGTERM');
    await rm(root, { recursive: true, force: true });
  }
}
