import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { compileRemediation, playbooksPath } from '../../src/compile/remediation/index.ts';
import type { Playbook } from '../../src/model/playbook.ts';
import { startWebhook, type RunningWebhook, type WebhookOptions } from '../../src/webhook/main.ts';

export const token = 's3cret-token';

/** A scratch directory, removed by `cleanup`. */
export async function scratch(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'monforge-webhook-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
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
      await new Promise((resolve) => setTimeout(resolve, 20)); // the audit log flushes on the next tick
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

export async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${describe()}`);
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
