import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatHtml } from '../../src/backtest/format/html.ts';
import { backtest } from '../../src/backtest/index.ts';
import type { PrometheusApi } from '../../src/backtest/prometheus.ts';
import { parseGeneratedTree } from '../../src/reader/index.ts';
import { repoRoot, runProgram } from '../helpers/index.ts';

// The HTML report opened in a real headless Chromium (Debian `chromium`, provisioned by
// scripts/ensure-chromium.sh; never skipped): the DOM it builds and a screenshot of it.

const rules = (threshold: number) => `groups:
  - name: api
    interval: 1m
    rules:
      - alert: ApiErrors
        expr: errors > ${threshold}
        for: 2m
        labels: { service: api, severity: critical }
      - alert: ApiSlow
        expr: latency > 1
        labels: { service: api, severity: warning }
`;
const alertmanager = `route:
  receiver: team
  group_by: [alertname]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
receivers:
  - name: team
    webhook_configs: [{ url: 'http://x' }]
`;
const tree = (threshold: number, label: string) =>
  parseGeneratedTree(
    new Map([
      ['prometheus/rules/api.rules.yml', rules(threshold)],
      ['alertmanager/alertmanager.yml', alertmanager],
    ]),
    label,
  );

const day = 86_400;
const from = 1_767_225_600;

/** A server whose `errors` series exceeds 5 from 2h to 3h and exceeds 1 (only) from 10h to 11h; `latency` > 1 from 20h to 20h10m. */
const api: PrometheusApi = {
  url: 'http://prometheus.test',
  async query() {
    return [];
  },
  async queryRange(expr, start, end, step) {
    const spans = expr.startsWith('latency')
      ? [[20, 20 + 1 / 6]]
      : expr.endsWith('> 5')
        ? [[2, 3]]
        : [
            [2, 3],
            [10, 11],
          ];
    const times: number[] = [];
    for (let time = start; time <= end; time += step)
      if (spans.some(([a, b]) => time >= from + a! * 3600 && time < from + b! * 3600)) times.push(time);
    return times.length === 0 ? [] : [{ labels: { job: 'api' }, times }];
  },
};

describe('backtest HTML report in headless Chromium', () => {
  let dir: string;
  let browser: string;
  beforeAll(async () => {
    browser = execFileSync('bash', [path.join(repoRoot, 'scripts/ensure-chromium.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
    dir = await mkdtemp(path.join(os.tmpdir(), 'monforge-backtest-html-'));
  }, 600_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('renders a timeline per alert: episodes as bars, head above base, incidents shaded', async () => {
    const report = await backtest({
      api,
      range: { from, to: from + day },
      head: { label: 'working tree', tree: tree(1, 'working tree') },
      base: { label: 'main (1234567)', tree: tree(5, 'main (1234567)') },
      incidents: [{ name: 'outage', start: from + 2 * 3600, end: from + 3 * 3600, services: ['api'] }],
      evaluationInterval: 60,
    });
    const file = path.join(dir, 'report.html');
    await writeFile(file, formatHtml(report));
    const html = await readFile(file, 'utf8');
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);

    const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--window-size=1100,900'];
    const dom = await runProgram(browser, [...flags, '--dump-dom', `file://${file}`], { cwd: dir });
    expect(dom.code, dom.stderr).toBe(0);
    const sections = [...dom.stdout.matchAll(/<section class="timeline" data-alert="(\w+)" data-severity="(\w+)">([\s\S]*?)<\/section>/g)];
    expect(sections.map((each) => `${each[1]} ${each[2]}`)).toStrictEqual(['ApiErrors critical', 'ApiSlow warning']);
    const count = (section: string, pattern: RegExp) => [...section.matchAll(pattern)].length;
    const errors = sections[0]![3]!;
    // Head (threshold 1): two episodes; base (threshold 5): one; the incident shaded once.
    expect(count(errors, /class="episode head"/g)).toBe(2);
    expect(count(errors, /class="episode base"/g)).toBe(1);
    expect(count(errors, /class="incident"/g)).toBe(1);
    // Fires 2 min after 02:00 (for: 2m), resolved at 03:00.
    expect(errors).toContain(`data-start="${from + 2 * 3600 + 120}" data-end="${from + 3 * 3600}"`);
    expect(dom.stdout).toMatch(/<tr data-alert="ApiErrors"><td>ApiErrors<\/td><td>critical<\/td><td class="n">2<\/td>/);

    const png = path.join(dir, 'report.png');
    const shot = await runProgram(browser, [...flags, `--screenshot=${png}`, `file://${file}`], { cwd: dir });
    expect(shot.code, shot.stderr).toBe(0);
    const image = await readFile(png);
    expect(image.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([image.readUInt32BE(16), image.readUInt32BE(20)]).toStrictEqual([1100, 900]);
  }, 120_000);
});
