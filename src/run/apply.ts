import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { applyTree, type ApplyOptions } from '../apply/index.ts';
import { defaultHttpLimits } from '../process/http.ts';
import { readGeneratedDir } from '../reader/index.ts';
import { durationSeconds } from '../model/duration.ts';
import { runBounded } from '../process/bounded.ts';
import { generatedDir } from './generate.ts';
import { defineCommand, orUsage, type OptionSpecs, type OptionValues } from './command.ts';

/** `monforge apply` options for node:util parseArgs. */
export const applyArgs = {
  'dry-run': { type: 'boolean', default: false, description: 'print the plan and change nothing' },
  prometheus: {
    type: 'string',
    value: 'URL',
    description: 'reload this Prometheus after writing its rule files (with --prometheus-rules-dir)',
  },
  'prometheus-rules-dir': { type: 'string', value: 'DIR', description: 'the folder Prometheus reads rule files from' },
  alertmanager: {
    type: 'string',
    value: 'URL',
    description: 'reload this Alertmanager after writing its configuration (with --alertmanager-config)',
  },
  'alertmanager-config': { type: 'string', value: 'FILE', description: 'the configuration file Alertmanager reads' },
  grafana: { type: 'string', value: 'URL', description: 'upload the dashboards and folders to this Grafana (with --grafana-token-file)' },
  'grafana-token-file': { type: 'string', value: 'FILE', description: 'a file holding the Grafana service-account token' },
  prune: { type: 'boolean', default: false, description: "delete monforge's dashboards that generated/ no longer has (Grafana)" },
  ruler: { type: 'string', value: 'URL', description: 'sync the rule groups to this Mimir/Cortex ruler (with --tenant)' },
  tenant: { type: 'string', value: 'T', description: 'the ruler tenant (X-Scope-OrgID)' },
  'ruler-token-file': { type: 'string', value: 'FILE', description: "a file holding the ruler's bearer token" },
  timeout: { type: 'string', default: '10s', value: 'DURATION', description: 'deadline of each call' },
} as const satisfies OptionSpecs;

type Values = OptionValues<typeof applyArgs>;

/** What the command line asks for, with paths resolved against `root`; secrets are still file names. */
export interface ApplyRequest {
  readonly dryRun: boolean;
  readonly timeoutMs: number;
  readonly prometheus?: { url: string; rulesDir: string };
  readonly alertmanager?: { url: string; configFile: string };
  readonly grafana?: { url: string; tokenFile: string; prune: boolean };
  readonly ruler?: { url: string; tenant: string; tokenFile?: string };
}

/** Parsed command-line values → a request, or a usage message. */
export function applyRequest(values: Values, root: string): ApplyRequest | string {
  const pair = (url: keyof Values, other: keyof Values): [string, string] | undefined | string => {
    const [a, b] = [values[url] as string | undefined, values[other] as string | undefined];
    if (a === undefined && b === undefined) return undefined;
    if (a === undefined || b === undefined) return `--${url} and --${other} go together`;
    if (!/^https?:\/\/./.test(a)) return `--${url} must be an http(s) URL`;
    return [a, b];
  };
  const prometheus = pair('prometheus', 'prometheus-rules-dir');
  const alertmanager = pair('alertmanager', 'alertmanager-config');
  const grafana = pair('grafana', 'grafana-token-file');
  const ruler = pair('ruler', 'tenant');
  for (const each of [prometheus, alertmanager, grafana, ruler]) if (typeof each === 'string') return each;
  if (!prometheus && !alertmanager && !grafana && !ruler)
    return 'apply needs at least one of --prometheus, --alertmanager, --grafana, --ruler';
  if (values.prune && !grafana) return '--prune only applies to --grafana';
  if (values['ruler-token-file'] && !ruler) return '--ruler-token-file needs --ruler';
  const timeout = durationSeconds(values.timeout ?? '');
  if (!timeout) return '--timeout must be a duration like 10s';
  const at = (file: string): string => path.resolve(root, file);
  return {
    dryRun: values['dry-run'] ?? false,
    timeoutMs: timeout * 1000,
    ...(Array.isArray(prometheus) && { prometheus: { url: prometheus[0], rulesDir: at(prometheus[1]) } }),
    ...(Array.isArray(alertmanager) && { alertmanager: { url: alertmanager[0], configFile: at(alertmanager[1]) } }),
    ...(Array.isArray(grafana) && { grafana: { url: grafana[0], tokenFile: at(grafana[1]), prune: values.prune ?? false } }),
    ...(Array.isArray(ruler) && {
      ruler: { url: ruler[0], tenant: ruler[1], ...(values['ruler-token-file'] && { tokenFile: at(values['ruler-token-file']) }) },
    }),
  };
}

/** `apply`: deploys `<root>/generated` as `request` says. Returns the exit code (0 every system up to date, 1 otherwise). */
export async function apply(root: string, request: ApplyRequest, log: (line: string) => void): Promise<number> {
  let options: ApplyOptions;
  try {
    options = {
      dryRun: request.dryRun,
      limits: { ...defaultHttpLimits, timeoutMs: request.timeoutMs },
      ...(request.prometheus && { prometheus: request.prometheus }),
      ...(request.alertmanager && { alertmanager: request.alertmanager }),
      ...(request.grafana && {
        grafana: {
          url: request.grafana.url,
          token: await readSecret(request.grafana.tokenFile),
          prune: request.grafana.prune,
          message: `monforge apply of ${await commitOf(root)}`,
        },
      }),
      ...(request.ruler && {
        ruler: {
          url: request.ruler.url,
          tenant: request.ruler.tenant,
          ...(request.ruler.tokenFile && { token: await readSecret(request.ruler.tokenFile) }),
        },
      }),
    };
  } catch (error) {
    log((error as Error).message);
    return 1;
  }
  const tree = await readGeneratedDir(generatedDir(root), 'generated/');
  return (await applyTree(tree, options, log)) ? 0 : 1;
}

/** A token from a file (never from the command line or environment, where `ps` and logs see it). */
async function readSecret(file: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch((error: Error) => {
    throw new Error(`cannot read ${file}: ${error.message}`);
  });
  if (text.length > 64 * 1024) throw new Error(`${file} is not a token (over 64 KiB)`);
  const token = text.trim();
  if (token === '') throw new Error(`${file} is empty`);
  return token;
}

/** The commit `generated/` was deployed from, for Grafana's version messages. */
async function commitOf(root: string): Promise<string> {
  const out = await runBounded('git', ['rev-parse', '--short=12', 'HEAD'], {
    cwd: root,
    timeoutMs: 10_000,
    maxBytes: 1024,
    what: 'git rev-parse',
  }).catch(() => undefined);
  return out ? `commit ${out.toString('utf8').trim()}` : 'a working copy outside git';
}

export const applyCommand = defineCommand({
  name: 'apply',
  summary: 'deploy generated/ and verify it took effect',
  synopsis:
    '[--dry-run] [--prometheus URL --prometheus-rules-dir DIR] [--alertmanager URL --alertmanager-config FILE] [--grafana URL --grafana-token-file FILE [--prune]] [--ruler URL --tenant T [--ruler-token-file FILE]] [--timeout 10s]',
  details: 'Each system is applied only when the server confirms it loaded what was written.',
  options: applyArgs,
  async run({ values }, { root, out }) {
    return await apply(root, orUsage(applyRequest(values, root)), (line) => out(`${line}\n`));
  },
});
