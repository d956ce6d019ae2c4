import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/index.ts';

// scripts/ensure-tools.sh as CI's clean machine runs it (.ci/run → npm test → test/setup/tools.ts):
// on a PATH holding only what each case gives it (stand-ins for apt-get, docker and the tools,
// which log how they were called), in a copy of the repository's layout, so the docker case
// writes its wrappers there. The live check's tests need prometheus-node-exporter from it.

const exec = promisify(execFile);
const tools = ['promtool', 'amtool', 'prometheus', 'prometheus-alertmanager'];

let dir: string;
let bin: string;
let log: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'monforge-ensure-tools-'));
  bin = path.join(dir, 'bin');
  log = path.join(dir, 'calls.log');
  await mkdir(path.join(dir, 'repo/scripts'), { recursive: true });
  await copyFile(path.join(repoRoot, 'scripts/ensure-tools.sh'), path.join(dir, 'repo/scripts/ensure-tools.sh'));
  await mkdir(bin);
  for (const command of ['dirname', 'mkdir', 'chmod', 'cat']) await symlink(`/usr/bin/${command}`, path.join(bin, command));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A command on the PATH that logs its name and arguments, then runs `body`. */
async function standIn(name: string, body = 'exit 0'): Promise<void> {
  const file = path.join(bin, name);
  await writeFile(file, `#!/bin/sh\necho "${name} $*" >> '${log}'\n${body}\n`);
  await chmod(file, 0o755);
}

async function run(uid: number): Promise<{ code: number; stdout: string; stderr: string; calls: string[] }> {
  await standIn('id', `echo ${uid}`);
  const outcome = await exec('/bin/bash', [path.join(dir, 'repo/scripts/ensure-tools.sh')], { env: { PATH: bin } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
  const calls = (await readFile(log, 'utf8').catch(() => '')).split('\n').filter((line) => line !== '' && !line.startsWith('id '));
  return { ...outcome, calls };
}

describe('scripts/ensure-tools.sh', () => {
  it('a clean Debian machine (root, apt): installs the three packages, node_exporter among them', async () => {
    for (const tool of tools) await standIn(tool);
    // What the packages bring: prometheus-node-exporter appears once apt-get installs it.
    await standIn(
      'apt-get',
      `[ "$1" = install ] && printf '#!/bin/sh\\nexit 0\\n' > '${bin}/prometheus-node-exporter' && chmod +x '${bin}/prometheus-node-exporter'; exit 0`,
    );
    const outcome = await run(0);
    expect(outcome).toMatchObject({ code: 0, stdout: `${bin}\n` });
    expect(outcome.calls).toStrictEqual([
      'apt-get update',
      'apt-get install -y --no-install-recommends prometheus prometheus-alertmanager prometheus-node-exporter',
    ]);
  });

  it('every tool already on the PATH: nothing installed', async () => {
    for (const tool of [...tools, 'prometheus-node-exporter']) await standIn(tool);
    await standIn('apt-get');
    expect(await run(0)).toStrictEqual({ code: 0, stdout: `${bin}\n`, stderr: '', calls: [] });
  });

  it('no apt but docker: wrappers run the official images, node_exporter 1.5 on the host network', async () => {
    for (const tool of tools) await standIn(tool);
    await standIn('docker');
    const outcome = await run(1000);
    const wrappers = path.join(dir, 'repo/.tools/bin');
    expect(outcome).toMatchObject({ code: 0, stdout: `${wrappers}\n` });
    await exec(path.join(wrappers, 'prometheus-node-exporter'), ['--web.listen-address=127.0.0.1:9100'], {
      env: { PATH: `${bin}:/usr/bin:/bin` },
      cwd: dir,
    });
    expect((await readFile(log, 'utf8')).trim().split('\n').at(-1)).toBe(
      `docker run --rm -i --network host -v ${dir}:${dir} -w ${dir} --entrypoint /bin/node_exporter prom/node-exporter:v1.5.0 --web.listen-address=127.0.0.1:9100`,
    );
  });

  it('neither root with apt nor docker: exit 1 and how to install node_exporter, never a silent pass', async () => {
    for (const tool of tools) await standIn(tool);
    await standIn('apt-get');
    const outcome = await run(1000);
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr.split('\n')[0]).toBe('not found and cannot be installed here: prometheus-node-exporter');
    expect(outcome.stderr).toContain(
      'sudo apt-get update && sudo apt-get install -y prometheus prometheus-alertmanager prometheus-node-exporter',
    );
    expect(outcome.calls).toStrictEqual([]);
  });
});
