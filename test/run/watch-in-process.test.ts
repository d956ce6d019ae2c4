import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceFile, writeProject } from '../../scripts/bench-check/project.ts';
import { watchGenerate } from '../../src/run/generate.ts';
import { monforge } from '../helpers/index.ts';

// generate --watch in this process (generate-watch.test.ts runs the bin through every kind of
// edit): a service edit compiles that service alone and writes what a fresh generate writes, an
// added service is compiled alone, a removed one compiles none; invalid definitions leave
// generated/ as it was; the abort signal ends it.

let root: string;
const out: string[] = [];
const err: string[] = [];
const stop = new AbortController();
let watching: Promise<void>;

async function lines(of: string[], count: number): Promise<string[]> {
  const deadline = Date.now() + 60_000;
  while (of.length < count) {
    if (Date.now() > deadline) throw new Error(`${count} lines expected, got:\n${of.join('')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return of;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'monforge-watch-in-process-'));
  await writeProject(root, 3);
  watching = watchGenerate(root, { out: (text) => out.push(text), err: (text) => err.push(text) }, stop.signal);
  await lines(out, 1);
}, 60_000);

afterAll(async () => {
  stop.abort();
  await rm(root, { recursive: true, force: true });
});

describe('generate --watch in process', () => {
  it('compiles the edited service alone and writes what a fresh generate writes', async () => {
    expect(out[0]).toMatch(/^generated\/ written: 26 files changed, 3 of 3 services compiled, in \d+ ms\n$/);
    await writeFile(path.join(root, 'definitions/services/svc-0002.ts'), serviceFile(2, 1));
    expect((await lines(out, 2))[1]).toMatch(/^generated\/ written: 3 files changed, 1 of 3 services compiled, in \d+ ms\n$/);
    expect(await monforge(root, 'generate', '--check', '--root', root)).toMatchObject({ code: 0, stderr: '' });
  }, 60_000);

  it('compiles an added service alone, and none when it is removed again', async () => {
    await writeFile(path.join(root, 'definitions/services/svc-0003.ts'), serviceFile(3));
    expect((await lines(out, 3))[2]).toMatch(/ 1 of 4 services compiled, /);
    await unlink(path.join(root, 'definitions/services/svc-0003.ts'));
    expect((await lines(out, 4))[3]).toMatch(/^generated\/ written: \d+ files changed, 4 removed, 0 of 3 services compiled, /);
  }, 60_000);

  it('reports invalid definitions and leaves generated/ as it was, then ends when aborted', async () => {
    await writeFile(path.join(root, 'definitions/services/svc-0001.ts'), serviceFile(1).replace("tier: 'critical'", "tier: 'urgent'"));
    expect((await lines(err, 1))[0]).toMatch(/svc-0001\.ts: service "svc-0001" › tier: .*\ngenerated\/ left as it was\n$/);
    await writeFile(path.join(root, 'definitions/services/svc-0001.ts'), serviceFile(1));
    await lines(out, 5);
    expect(await monforge(root, 'generate', '--check', '--root', root)).toMatchObject({ code: 0, stderr: '' });
    stop.abort();
    await watching;
  }, 60_000);
});
