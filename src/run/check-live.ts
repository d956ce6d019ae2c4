import { PrometheusClient } from '../check/live/client.ts';
import { defaultSeriesBudget } from '../check/live/cost.ts';
import {
  costLines,
  findingLine,
  formatLiveGithub,
  formatLiveGitlab,
  formatLiveJson,
  liveFormats,
  summaryLine,
  type LiveFormat,
} from '../check/live/format.ts';
import { liveCheck } from '../check/live/index.ts';
import type { LiveLevel } from '../check/live/types.ts';
import { definitionFiles } from '../load/collect.ts';
import { DefinitionErrors } from '../load/errors.ts';
import { parseGeneratedTree, readProjectFiles, repositoryPrefix } from '../reader/index.ts';
import type { CommandContext } from './command.ts';
import { buildPlatform } from './generate.ts';

// `check --prometheus URL`: the options `check` adds for the live checks, and their run after
// the offline ones (the analysis is src/check/live/, its formats src/check/live/format.ts).

export const liveCheckOptions = {
  prometheus: {
    type: 'string',
    value: 'URL',
    description:
      "also check against a running Prometheus 2.42+ (or Mimir's Prometheus API, e.g. https://mimir/prometheus): series exist, types, windows, recorded series, cost",
  },
  'prometheus-header': {
    type: 'string',
    multiple: true,
    value: 'NAME=VALUE',
    description: 'an HTTP header for every --prometheus call, repeatable: X-Scope-OrgID=tenant for Mimir, Authorization=Bearer …',
  },
  'fail-on': {
    type: 'string',
    value: 'error|warning',
    description: 'with --prometheus: exit 1 on live errors (default), or on warnings too',
  },
  format: {
    type: 'string',
    value: 'text|json|github|gitlab',
    description: 'with --prometheus: the live findings as text (default), JSON, GitHub annotations or a GitLab Code Quality report',
  },
  'series-budget': {
    type: 'string',
    value: 'SERIES',
    description: `with --prometheus: the series one rule may read before it is an error (default ${defaultSeriesBudget})`,
  },
} as const;

export interface LiveCommandOptions {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly failOn: 'error' | 'warning';
  readonly format: LiveFormat;
  readonly budget: number;
}

type LiveValues = { [K in keyof typeof liveCheckOptions]?: K extends 'prometheus-header' ? string[] : string };

/** The live options, undefined without --prometheus, or the message for the first invalid one. */
export function liveOptions(values: LiveValues): LiveCommandOptions | undefined | string {
  const url = values.prometheus;
  if (url === undefined) {
    const stray = (['prometheus-header', 'fail-on', 'format', 'series-budget'] as const).find((name) => values[name] !== undefined);
    return stray === undefined ? undefined : `--${stray} needs --prometheus URL`;
  }
  if (!/^https?:\/\/[^/]/.test(url)) return `--prometheus ${JSON.stringify(url)} is not an http(s) URL`;
  const headers: Record<string, string> = {};
  for (const header of values['prometheus-header'] ?? []) {
    const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)=(.*)$/s.exec(header);
    if (!match) return `--prometheus-header ${JSON.stringify(header.replace(/=.*/s, '=…'))} is not NAME=VALUE`;
    headers[match[1]!] = match[2]!;
  }
  const failOn = values['fail-on'] ?? 'error';
  if (failOn !== 'error' && failOn !== 'warning') return '--fail-on must be error or warning';
  const format = values.format ?? 'text';
  if (!(liveFormats as readonly string[]).includes(format)) return `--format must be one of ${liveFormats.join(', ')}`;
  const budget = Number(values['series-budget'] ?? defaultSeriesBudget);
  if (!Number.isInteger(budget) || budget <= 0) return '--series-budget must be a whole number of series above 0';
  return { url, headers, failOn, format: format as LiveFormat, budget };
}

const failing: Record<'error' | 'warning', readonly LiveLevel[]> = { error: ['error'], warning: ['error', 'warning'] };

/** Runs the live checks after the offline ones (`offline`: their findings) and reports both; returns the exit code. */
export async function runLiveCheck(
  context: Pick<CommandContext, 'root' | 'out' | 'err'>,
  options: LiveCommandOptions,
  offline: readonly string[],
): Promise<number> {
  const { root, out, err } = context;
  for (const finding of offline) err(`${finding}\n`);
  let built: Awaited<ReturnType<typeof buildPlatform>>;
  try {
    built = await buildPlatform(root);
  } catch (error) {
    // Reported by the offline checks already: nothing to check live.
    if (error instanceof DefinitionErrors) return 1;
    throw error;
  }
  const texts = await readProjectFiles(root, await definitionFiles(root));
  const client = new PrometheusClient({ url: options.url, headers: options.headers });
  const report = await liveCheck(
    client,
    { platform: built.platform, tree: parseGeneratedTree(built.files, 'the compiled definitions'), texts },
    { budget: options.budget },
  );
  const prefix = (await repositoryPrefix(root)) ?? '';
  switch (options.format) {
    case 'text':
      for (const finding of report.findings) err(`${findingLine(finding)}\n`);
      for (const line of costLines(report)) out(`${line}\n`);
      out(`${summaryLine(report)}\n`);
      break;
    case 'json':
      out(formatLiveJson(report, offline));
      break;
    case 'gitlab':
      out(formatLiveGitlab(report, prefix));
      break;
    case 'github':
      out(formatLiveGithub(report, prefix));
      err(`${summaryLine(report)}\n`);
  }
  const failed = report.findings.some((finding) => failing[options.failOn].includes(finding.level));
  return offline.length > 0 || failed ? 1 : 0;
}
