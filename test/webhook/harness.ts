import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, open, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { freePort, type Supervisor, waitForHttp } from '../../scripts/stack/processes.ts';
import { compileRemediation, playbooksPath } from '../../src/compile/remediation/index.ts';
import type { Playbook } from '../../src/model/playbook.ts';
import { lazyWriteMs } from '../../src/webhook/append-log.ts';
import { startWebhook, type RunningWebhook, type WebhookOptions } from '../../src/webhook/main.ts';

export const token = 's3cret-token';

/** A scratch directory, removed by `cleanup`. */
export async function scratch(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'monforge-webhook-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A scratch directory for the tests of the enclosing `describe`: made before them, removed after. */
export function scratchPerSuite(): () => string {
  let made: { dir: string; cleanup: () => Promise<void> } | undefined;
  beforeAll(async () => {
    made = await scratch();
  });
  afterAll(() => made?.cleanup());
  return () => made!.dir;
}

/** Scratch directories and receivers of each test, removed and shut down after it. */
export function perTest() {
  const started: Receiver[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const receiver of started.splice(0)) await receiver.shutdown();
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  const dir = async (): Promise<string> => {
    const made = await scratch();
    cleanups.push(made.cleanup);
    return made.dir;
  };
  return {
    dir,
    /** A receiver in `at`, or in a new scratch directory. */
    receiver: async (playbooks: readonly Playbook[], options: Partial<WebhookOptions> = {}, at?: string): Promise<Receiver> => {
      const receiver = await startReceiver(at ?? (await dir()), playbooks, options);
      started.push(receiver);
      return receiver;
    },
  };
}

/** A real Prometheus and Alertmanager (with empty configurations) on free ports, their data under `dir`. */
export async function prometheusAndAlertmanager(
  supervisor: Supervisor,
  dir: string,
): Promise<{ prometheus: string; alertmanager: string }> {
  for (const sub of ['prometheus', 'alertmanager']) await mkdir(path.join(dir, sub), { recursive: true });
  await writeFile(path.join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 15s\n');
  await writeFile(path.join(dir, 'alertmanager.yml'), 'route:\n  receiver: "null"\nreceivers:\n  - name: "null"\n');
  const [promPort, amPort] = [await freePort(), await freePort()];
  const prometheus = `http://127.0.0.1:${promPort}`;
  const alertmanager = `http://127.0.0.1:${amPort}`;
  const prom = supervisor.start('prometheus', 'prometheus', [
    `--config.file=${path.join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${path.join(dir, 'prometheus')}`,
    `--web.listen-address=127.0.0.1:${promPort}`,
  ]);
  const am = supervisor.start('alertmanager', 'prometheus-alertmanager', [
    `--config.file=${path.join(dir, 'alertmanager.yml')}`,
    `--storage.path=${path.join(dir, 'alertmanager')}`,
    `--web.listen-address=127.0.0.1:${amPort}`,
    '--cluster.listen-address=',
  ]);
  await Promise.all([waitForHttp(`${prometheus}/-/ready`, prom), waitForHttp(`${alertmanager}/-/ready`, am)]);
  return { prometheus, alertmanager };
}

/** The command line of a receiver on a free port of 127.0.0.1 with these inputs and state. */
export function receiverArgs(inputs: { playbooksFile: string; tokenFile: string }, stateDir: string, ...more: string[]): string[] {
  return [
    '--playbooks',
    inputs.playbooksFile,
    '--token-file',
    inputs.tokenFile,
    '--listen',
    '127.0.0.1:0',
    '--state-dir',
    stateDir,
    ...more,
  ];
}

/** playbooks.json as the compiler writes it, plus the token file. */
export async function writeInputs(dir: string, playbooks: readonly Playbook[]): Promise<{ playbooksFile: string; tokenFile: string }> {
  const files = compileRemediation({ playbooks: playbooks.map((playbook) => ({ ...playbook, source: 'definitions/test.ts' })) });
  await mkdir(dir, { recursive: true });
  const playbooksFile = path.join(dir, 'playbooks.json');
  const tokenFile = path.join(dir, 'token');
  await writeFile(playbooksFile, files.get(playbooksPath)!);
  await writeFile(tokenFile, `${token}\n`);
  return { playbooksFile, tokenFile };
}

export interface Receiver extends RunningWebhook {
  readonly dir: string;
  readonly logs: Record<string, unknown>[];
  post(payload: unknown, headers?: Record<string, string>): Promise<Response>;
  /** The audit log's entries so far (flushed first by waiting for the runs). */
  audit(): Promise<Record<string, unknown>[]>;
  /** Resolves when the log has `count` "run …" lines. */
  runs(count: number, timeoutMs?: number): Promise<Record<string, unknown>[]>;
}

/** A receiver on 127.0.0.1 with a free port; state and audit under `dir`. */
export async function startReceiver(dir: string, playbooks: readonly Playbook[], options: Partial<WebhookOptions> = {}): Promise<Receiver> {
  const inputs = await writeInputs(dir, playbooks);
  const logs: Record<string, unknown>[] = [];
  const webhook = await startWebhook({
    ...inputs,
    host: '127.0.0.1',
    port: 0,
    dryRun: false,
    stateDir: path.join(dir, 'state'),
    queueSize: 100,
    concurrency: 4,
    shutdownTimeoutMs: 10_000,
    log: (level, msg, fields) => void logs.push({ level, msg, ...fields }),
    ...options,
  });
  const runLines = () => logs.filter((line) => String(line.msg).startsWith('run '));
  return {
    ...webhook,
    dir,
    logs,
    post: (payload, headers = {}) =>
      fetch(`${webhook.url}/alerts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
        body: typeof payload === 'string' ? payload : JSON.stringify(payload),
      }),
    audit: async () => {
      await new Promise((resolve) => setTimeout(resolve, lazyWriteMs + 40)); // the audit log writes within lazyWriteMs
      const text = await readFile(path.join(dir, 'state', 'audit.jsonl'), 'utf8').catch(() => '');
      return text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    runs: async (count, timeoutMs = 15_000) => {
      await until(
        () => runLines().length >= count,
        timeoutMs,
        () => `expected ${count} runs, logs:\n${logs.map((line) => JSON.stringify(line)).join('\n')}`,
      );
      return runLines();
    },
  };
}

const bin = path.resolve(import.meta.dirname, '../../bin/monforge.js');

export interface ReceiverProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** The JSON log lines printed so far. */
  readonly logs: () => Record<string, unknown>[];
  /** Resolves with the URL once it logs "listening". */
  readonly listening: () => Promise<string>;
}

/** `monforge webhook ARGS` as a child process (its own node, so tests can kill -9 it). */
export function spawnReceiver(args: string[], nodeArgs: string[] = []): ReceiverProcess {
  const child = spawn(process.execPath, [...nodeArgs, bin, 'webhook', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const logs = () =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const listening = async () => {
    await until(
      () => logs().some((line) => line.msg === 'listening') || child.exitCode !== null,
      30_000,
      () => stdout + stderr,
    );
    const line = logs().find((each) => each.msg === 'listening');
    if (!line) throw new Error(`the receiver exited: ${stderr}`);
    return String(line.url);
  };
  return { child, exited, stdout: () => stdout, stderr: () => stderr, logs, listening };
}

/** POST /alerts with the test token. */
export function postAlerts(url: string, body: unknown): Promise<Response> {
  return fetch(`${url}/alerts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** The JSON lines of a JSONL file (none when it does not exist). */
export async function jsonLines(file: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export interface SmallDisk {
  readonly dir: string;
  /** Writes a file until the file system has no space left. */
  fill(): Promise<void>;
  /** Removes what `fill` wrote. */
  free(): Promise<void>;
  /** Remounts it read-only. */
  readOnly(): void;
  cleanup(): Promise<void>;
}

/**
 * A real file system of `sizeKiB` (tmpfs): writes fail with ENOSPC once it is full, as on a
 * full disk. Mounting needs root (or CAP_SYS_ADMIN), which the CI machine has; without it this
 * throws instead of letting the disk tests pass without a full disk.
 */
export async function smallDisk(sizeKiB: number): Promise<SmallDisk> {
  const { dir: parent, cleanup } = await scratch();
  const dir = path.join(parent, 'disk');
  await mkdir(dir);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k,mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    await cleanup();
    throw new Error(
      `the disk-fault tests need a small tmpfs (mount -t tmpfs, as root or with CAP_SYS_ADMIN): ${String((error as { stderr?: Buffer }).stderr ?? error)}`,
    );
  }
  const filler = path.join(dir, 'filler');
  return {
    dir,
    fill: async () => {
      const block = Buffer.alloc(4096, 120);
      const handle = await open(filler, 'a');
      try {
        for (;;) await handle.write(block);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        await handle.close();
      }
    },
    free: () => rm(filler, { force: true }),
    readOnly: () => execFileSync('mount', ['-o', 'remount,ro', dir]),
    cleanup: async () => {
      execFileSync('umount', ['-l', dir]);
      await cleanup();
    },
  };
}

/** Polls `condition` until it holds; the deadline is on the monotonic clock (tests step the wall clock). */
export interface FreezableDisk {
  readonly dir: string;
  /** fsfreeze -f: every write and fdatasync hangs until `thaw`. */
  freeze(): void;
  thaw(): void;
  cleanup(): Promise<void>;
}

/**
 * A real ext4 file system on a loop device, which fsfreeze can freeze (a tmpfs cannot): writes
 * then hang, as on a stalled disk. Needs root (losetup, mkfs.ext4, mount); without it this
 * throws instead of letting the stalled-disk tests pass without a stalled disk.
 */
export async function freezableDisk(sizeMiB = 64): Promise<FreezableDisk> {
  const { dir: parent, cleanup } = await scratch();
  const image = path.join(parent, 'disk.img');
  const dir = path.join(parent, 'disk');
  await mkdir(dir);
  await writeFile(image, '');
  await truncate(image, sizeMiB * 1024 * 1024);
  let device: string | undefined;
  try {
    device = execFileSync('losetup', ['--find', '--show', image], { stdio: 'pipe' }).toString().trim();
    execFileSync('mkfs.ext4', ['-q', device], { stdio: 'pipe' });
    execFileSync('mount', [device, dir], { stdio: 'pipe' });
  } catch (error) {
    if (device) execFileSync('losetup', ['-d', device]);
    await cleanup();
    throw new Error(
      `the stalled-disk tests need a loop device (losetup, mkfs.ext4, mount, fsfreeze, as root): ${String((error as { stderr?: Buffer }).stderr ?? error)}`,
    );
  }
  let frozen = false;
  const thaw = (): void => {
    if (frozen) execFileSync('fsfreeze', ['-u', dir]);
    frozen = false;
  };
  return {
    dir,
    freeze: () => {
      execFileSync('fsfreeze', ['-f', dir]);
      frozen = true;
    },
    thaw,
    cleanup: async () => {
      thaw();
      execFileSync('umount', ['-l', dir]);
      execFileSync('losetup', ['-d', device]);
      await cleanup();
    },
  };
}

export async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`timed out: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

type Labels = Record<string, string>;

export function alert(labels: Labels, overrides: { status?: 'firing' | 'resolved'; startsAt?: string; fingerprint?: string } = {}) {
  const status = overrides.status ?? 'firing';
  return {
    status,
    labels,
    annotations: { summary: 'test' },
    startsAt: overrides.startsAt ?? '2024-05-01T10:00:00.123456789Z',
    endsAt: status === 'firing' ? '0001-01-01T00:00:00Z' : '2024-05-01T10:30:00Z',
    generatorURL: 'http://prometheus.example/graph',
    fingerprint: overrides.fingerprint ?? fingerprintOf(labels),
  };
}

/** Alertmanager's webhook payload (version 4) around these alerts. */
export function payload(
  alerts: ReturnType<typeof alert>[],
  status: 'firing' | 'resolved' = alerts.some((each) => each.status === 'firing') ? 'firing' : 'resolved',
) {
  return {
    version: '4',
    groupKey: '{}/{}:{}',
    truncatedAlerts: 0,
    status,
    receiver: 'remediation\\-webhook',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example',
    alerts,
  };
}

function fingerprintOf(labels: Labels): string {
  let hash = 0n;
  for (const char of JSON.stringify(Object.entries(labels).sort())) hash = (hash * 31n + BigInt(char.charCodeAt(0))) % 2n ** 64n;
  return hash.toString(16).padStart(16, '0');
}
