import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlatform } from '../../src/load/load.ts';
import type { Child } from '../../scripts/stack/processes.ts';
import { startStack, type Stack } from '../../scripts/stack/stack.ts';
import { repoRoot } from '../helpers/index.ts';

// Dashboard liveness: with the demo simulating every service of the example platform, each
// panel query of each generated dashboard must return data from the live Prometheus.

/**
 * Queries that legitimately return nothing on a healthy platform, each with its reason.
 * Keys are `<dashboard file> › <panel title>`.
 */
const noAlertFiring = 'lists firing alerts; a healthy platform has none';
const expectedEmpty: Record<string, string> = {
  'assistant/assistant.json › Firing burn alerts': noAlertFiring,
  'platform/cache.json › Firing burn alerts': noAlertFiring,
  'web/forms.json › Firing burn alerts': noAlertFiring,
  'data/database.json › Firing burn alerts': noAlertFiring,
  'data/search.json › Firing burn alerts': noAlertFiring,
  'data/suggestions.json › Firing burn alerts': noAlertFiring,
  'events/event-day.json › Firing burn alerts': noAlertFiring,
  'overview.json › Firing alerts by severity': noAlertFiring,
  'overview.json › Firing alerts over time': noAlertFiring,
  'overview.json › Firing alerts': noAlertFiring,
  'platform/api.json › Firing burn alerts': noAlertFiring,
  'platform/jobs.json › Firing burn alerts': noAlertFiring,
  'web/web.json › Firing burn alerts': noAlertFiring,
  'platform/api.json › ApiThroughputLow': 'compares with the same time last week, and the demo has no history',
  'platform/infrastructure.json › Network': "reads node-exporter's series, and the stack runs no node-exporter",
  // A healthy platform runs no playbook (and the stack's Prometheus does not scrape the receiver).
  'overview.json › Resolved without a human (1d)': 'no remediation runs on a healthy platform',
  'overview.json › Mean time to remediate (1d)': 'no remediation runs on a healthy platform',
  'overview.json › Resolved without a human by playbook (1d)': 'no remediation runs on a healthy platform',
};

interface Panel {
  title?: string;
  targets?: { expr?: string; refId?: string }[];
  panels?: Panel[];
}

/** Grafana's variables, as Grafana would substitute them for "All" on a 2s scrape interval. */
function substitute(expr: string): string {
  return expr
    .replaceAll('$__rate_interval', '30s')
    .replaceAll('$__interval', '10s')
    .replaceAll('$__range', '5m')
    .replace(/\$\{?(instance|job)\}?/g, '.+');
}

async function dashboardQueries(dir: string): Promise<{ where: string; expr: string }[]> {
  const files = (await readdir(dir, { recursive: true })).filter((file) => file.endsWith('.json')).sort();
  const queries: { where: string; expr: string }[] = [];
  for (const file of files) {
    const dashboard = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as { panels: Panel[] };
    const walk = (panels: Panel[]): void => {
      for (const panel of panels) {
        for (const target of panel.targets ?? [])
          if (target.expr) queries.push({ where: `${file} › ${panel.title} › ${target.refId}`, expr: substitute(target.expr) });
        walk(panel.panels ?? []);
      }
    };
    walk(dashboard.panels);
  }
  return queries;
}

let stack: Stack;
const failures: string[] = [];

beforeAll(async () => {
  const platform = await loadPlatform(repoRoot);
  stack = await startStack({
    platform,
    generatedDir: path.join(repoRoot, 'generated'),
    services: platform.services.map((service) => service.name),
    intervalSeconds: 2,
    // Every service scraped every 2s, so the panels' 30s rate windows fill within the wait.
    scrapeIntervalSeconds: 2,
    dryRun: true,
    onFailure: (child: Child, code) => failures.push(`${child.name} exited (${code}): ${child.output()}`),
  });
  // Two scrapes for rates, and rule evaluations on top: give the 30s rate windows time to fill.
  await new Promise((resolve) => setTimeout(resolve, 20_000));
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  expect(failures).toEqual([]);
});

describe('dashboard liveness', () => {
  it('the healthy demo raises no alert (no false positive from the generated rules)', async () => {
    const response = await fetch(`${stack.prometheus}/api/v1/alerts`);
    const body = (await response.json()) as { data: { alerts: { labels: Record<string, string>; state: string }[] } };
    expect(body.data.alerts.filter((alert) => alert.state === 'firing').map((alert) => alert.labels.alertname)).toEqual([]);
  });

  it('every panel query returns data while the demo serves traffic', async () => {
    const queries = await dashboardQueries(path.join(repoRoot, 'generated/grafana/dashboards'));
    expect(queries.length).toBeGreaterThan(100);
    const empty: string[] = [];
    for (const { where, expr } of queries) {
      const response = await fetch(`${stack.prometheus}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await response.json()) as { status: string; error?: string; data?: { result: unknown[] } };
      if (body.status !== 'success') empty.push(`${where}: query failed: ${body.error} — ${expr}`);
      else if (body.data!.result.length === 0 && !(where.replace(/ › [A-Z]$/, '') in expectedEmpty))
        empty.push(`${where}: no data — ${expr}`);
    }
    expect(empty).toEqual([]);
  }, 120_000);
});
