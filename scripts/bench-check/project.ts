// A user's project of N services shaped like the one `monforge init` scaffolds (the checkout
// service: traffic, an availability and a latency SLO, one threshold alert), across ten teams.
// Definitions import 'monforge' through a tsconfig path to this checkout's src/, as a project
// with the package installed imports its dist/, or from the package installed (installed.ts).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { initTemplates } from '../../src/init/templates.ts';

const teamCount = 10;
const repoSrc = path.resolve(import.meta.dirname, '../../src/index.ts');

export const serviceName = (index: number): string => `svc-${String(index).padStart(4, '0')}`;

/** The definitions file of one service; `variant` changes its alert's warning level (a one-service edit). */
export function serviceFile(index: number, variant = 0): string {
  const name = serviceName(index);
  const alert = `Svc${String(index).padStart(4, '0')}LatencyHigh`;
  return `import { defineService, latencySlo, quantile, ratioSlo, re, select } from 'monforge';
import { httpDuration, httpRequests } from '../metrics.ts';

const requests = select(httpRequests);
const errors = select(httpRequests, { code: re('5..') });

export const service = defineService({
  name: '${name}',
  team: 'team-${index % teamCount}',
  tier: 'critical',
  selector: { job: '${name}' },
  traffic: { requests, errors, latency: select(httpDuration) },
  slos: [
    ratioSlo({ name: 'availability', objective: 99.9, errors, total: requests }),
    latencySlo({ name: 'latency', objective: 95, histogram: select(httpDuration), threshold: 0.25 }),
  ],
  alerts: [
    {
      name: '${alert}',
      expr: quantile(0.95, select(httpDuration)),
      levels: { warning: ${1 + variant}, critical: ${3 + variant} },
      for: '5m',
      summary: '${name} p95 latency is {{ $value | humanizeDuration }}',
      description: 'p95 latency of {{ $labels.job }} has been above its level for 5 minutes.',
    },
  ],
});
`;
}

const metrics = `import { counter, histogram } from 'monforge';

export const httpRequests = counter({
  name: 'http_requests_total',
  help: 'HTTP requests served, by route and status code.',
  labels: ['route', 'code'],
});
export const httpDuration = histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request latency, by route.',
  labels: ['route'],
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
});
`;

function teams(): string {
  const team = (index: number): string => `export const team${index} = defineTeam({
  name: 'team-${index}',
  receivers: {
    pager: pagerduty({ routingKeyFile: '/etc/alertmanager/secrets/team-${index}-pagerduty' }),
    slack: slack({ channel: '#team-${index}-alerts', apiUrlFile: '/etc/alertmanager/secrets/team-${index}-slack' }),
  },
  notify: { critical: ['pager', 'slack'], high: ['slack'], warning: ['slack'], info: ['slack'] },
});
`;
  return `import { defineTeam, pagerduty, slack } from 'monforge';\n\n${Array.from({ length: teamCount }, (_, index) => team(index)).join('\n')}`;
}

/**
 * Writes the project's tsconfig.json and definitions/ under `root`. Its definitions import
 * 'monforge' from this checkout's src/, or with `installed` from the package in its node_modules
 * (installed.ts).
 */
export async function writeProject(root: string, services: number, options: { installed?: boolean } = {}): Promise<void> {
  await mkdir(path.join(root, 'definitions/services'), { recursive: true });
  const tsconfig = JSON.parse(await readFile(path.join(initTemplates, 'tsconfig.json'), 'utf8')) as { compilerOptions: object };
  if (!options.installed) tsconfig.compilerOptions = { ...tsconfig.compilerOptions, paths: { monforge: [repoSrc] } };
  await writeFile(path.join(root, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  await writeFile(path.join(root, 'package.json'), `${JSON.stringify({ name: 'bench-platform', private: true, type: 'module' })}\n`);
  await writeFile(path.join(root, 'definitions/platform.ts'), await readFile(path.join(initTemplates, 'definitions/platform.ts'), 'utf8'));
  await writeFile(path.join(root, 'definitions/teams.ts'), teams());
  await writeFile(path.join(root, 'definitions/metrics.ts'), metrics);
  for (let index = 0; index < services; index += 1)
    await writeFile(path.join(root, `definitions/services/${serviceName(index)}.ts`), serviceFile(index));
}
