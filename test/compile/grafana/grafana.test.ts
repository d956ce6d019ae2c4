import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { lintDashboards } from '../../../src/check/dashboard-lint.ts';
import { knownSeries } from '../../../src/check/known-series.ts';
import { compile } from '../../../src/compile/index.ts';
import { compileGrafana } from '../../../src/compile/grafana/index.ts';
import { serviceDashboardUid } from '../../../src/derive/dashboard-links.ts';
import { compilePrometheus } from '../../../src/compile/prometheus/index.ts';
import { withoutForcedPlacement } from '../../../src/compile/grafana/sdk-fixes.ts';
import { loadPlatform } from '../../../src/load/load.ts';
import type { Platform } from '../../../src/model/platform.ts';
import type { FileSet } from '../../../src/output/fileset.ts';
import { fixtureRoot, repoRoot } from '../../helpers/index.ts';

interface Panel {
  id: number;
  type: string;
  title: string;
  targets?: { expr: string; legendFormat: string }[];
  fieldConfig?: { defaults: { unit?: string; thresholds?: { steps: { value: number | null; color: string }[] } } };
  links?: { title: string; url: string }[];
}
interface Dashboard {
  uid: string;
  title: string;
  editable: boolean;
  tags: string[];
  panels: Panel[];
  templating: { list: { name: string; type: string; query: unknown }[] };
}

let platform: Platform;
let files: FileSet;
const dashboard = (file: string): Dashboard => JSON.parse(files.get(file)!) as Dashboard;

beforeAll(async () => {
  platform = await loadPlatform(fixtureRoot('platform'));
  files = compileGrafana(platform);
});

describe('grafana compiler', () => {
  it('matches the reviewed golden dashboard of api', async () => {
    expect(files.get('grafana/dashboards/platform/api.json')).toBe(
      await readFile(path.join(repoRoot, 'test/golden/grafana/api.json'), 'utf8'),
    );
  });

  it('is deterministic', () => {
    expect(compileGrafana(platform)).toEqual(files);
  });

  it('writes a dashboard per service in its team folder, the platform dashboards and their provisioning', () => {
    expect([...files.keys()].sort()).toEqual([
      'grafana/dashboards/overview.json',
      'grafana/dashboards/platform/api.json',
      'grafana/dashboards/slos.json',
      'grafana/provisioning/dashboards.yml',
    ]);
    expect(parse(files.get('grafana/provisioning/dashboards.yml')!)).toEqual({
      apiVersion: 1,
      providers: [
        {
          name: 'monforge',
          orgId: 1,
          type: 'file',
          disableDeletion: false,
          allowUiUpdates: false,
          updateIntervalSeconds: 30,
          options: { path: '/var/lib/grafana/dashboards/monforge', foldersFromFilesStructure: true },
        },
      ],
    });
    const moved = compileGrafana({ ...platform, config: { ...platform.config, grafanaDashboardsPath: '/etc/dashboards' } });
    expect(parse(moved.get('grafana/provisioning/dashboards.yml')!).providers[0].options.path).toBe('/etc/dashboards');
  });

  it('derives a stable uid of at most 40 characters from the service name', () => {
    expect(dashboard('grafana/dashboards/platform/api.json').uid).toBe('svc-api');
    const long = serviceDashboardUid({ name: 'a-service-with-a-name-far-too-long-for-grafana' });
    expect(long).toMatch(/^svc-a-service-with-a-name-far-t-[0-9a-f]{8}$/);
    expect(long).toHaveLength(40);
    expect(long).not.toBe(serviceDashboardUid({ name: 'a-service-with-a-name-far-too-long-for-grafana-2' }));
  });

  it('draws every threshold alert with its levels as thresholds, in the unit of its expression', () => {
    const panels = dashboard('grafana/dashboards/platform/api.json').panels;
    const panel = (title: string) => panels.find((each) => each.title === title)!;
    expect(panel('MemoryPressure').fieldConfig!.defaults).toMatchObject({
      unit: 'percent',
      thresholds: {
        steps: [
          { value: null, color: 'green' },
          { value: 80, color: 'yellow' },
          { value: 85, color: 'orange' },
          { value: 90, color: 'red' },
        ],
      },
    });
    // Below-alerts: the most severe colour under the lowest level, green above the mildest.
    expect(panel('CacheHitRatioLow').fieldConfig!.defaults).toMatchObject({
      unit: 'percentunit',
      thresholds: {
        steps: [
          { value: null, color: 'yellow' },
          { value: 0.8, color: 'blue' },
          { value: 0.85, color: 'green' },
        ],
      },
    });
    expect(panel('SlowResponses').targets).toEqual([
      expect.objectContaining({
        expr: 'histogram_quantile(0.95, sum by (job, route, le) (rate(http_request_duration_seconds_bucket{job="api",instance=~"$instance"}[$__rate_interval])))',
        legendFormat: '{{route}}',
      }),
    ]);
    expect(panel('LowThroughput').fieldConfig!.defaults.unit).toBe('reqps');
    expect(panel('HighErrorRate').links).toEqual([
      expect.objectContaining({ title: 'Runbook: HighErrorRate', url: 'https://runbooks.example.com/higherrorrate' }),
    ]);
  });

  it('draws the tier factors of each SLO on its burn-rate panel, scaled to its window', () => {
    const burn = dashboard('grafana/dashboards/platform/api.json').panels.filter((each) => each.title === 'Burn rate');
    expect(burn.map((each) => each.fieldConfig!.defaults.thresholds!.steps.map((step) => step.value))).toEqual([
      [null, 1, 3, 6, 14.4],
      [null, 0.933333, 2.8, 5.6, 13.44],
    ]);
  });

  it('builds the overview from the health-score rules, ALERTS and the SLO recording rules', () => {
    const overview = dashboard('grafana/dashboards/overview.json');
    expect(overview.uid).toBe('monforge-overview');
    expect(overview.panels.map((each) => `${each.id} ${each.type} ${each.title}`)).toEqual([
      '1 row Health',
      '2 stat Platform health',
      '3 stat Health by service',
      '4 timeseries Health trend',
      '5 row Availability',
      '6 status-history Availability matrix',
      '7 row Alerts',
      '8 stat Firing alerts by severity',
      '9 timeseries Firing alerts over time',
      '10 table Firing alerts',
      '11 row SLOs',
      '12 table SLOs',
    ]);
    expect(overview.panels.find((each) => each.type === 'table' && each.title === 'SLOs')!.targets!.map((each) => each.expr)).toEqual([
      'slo:objective:ratio',
      '1 - slo:period_burn_rate:ratio * slo:error_budget:ratio',
      'slo:period_error_budget_remaining:ratio',
      'slo:current_burn_rate:ratio',
      'slo:period_coverage:ratio',
    ]);
  });
});

describe('the lint on generated dashboards', () => {
  it('passes every dashboard of the fixture platform', () => {
    const all = compile(platform);
    expect(lintDashboards(all, knownSeries(platform, all))).toEqual([]);
  });

  it('passes every dashboard of the example platform in definitions/, its own infrastructure dashboard held to the same conventions', async () => {
    const example = await loadPlatform(repoRoot);
    const all = compile(example);
    expect(example.dashboards.map((dashboard) => `${dashboard.folder}/${dashboard.uid}`)).toEqual(['platform/infrastructure']);
    expect([...all.keys()].filter((file) => file.startsWith('grafana/dashboards/')).length).toBe(example.services.length + 3);
    expect(lintDashboards(all, knownSeries(example, all))).toEqual([]);
  });

  it('passes the platform dashboards of a platform without SLOs, and of one without services (rules and dashboards imported only)', () => {
    const overviewOf = (of: Platform): Dashboard => JSON.parse(compileGrafana(of).get('grafana/dashboards/overview.json')!) as Dashboard;
    const rows = (of: Platform): string[] =>
      overviewOf(of)
        .panels.filter((panel) => panel.type === 'row')
        .map((panel) => panel.title);
    expect(rows(platform)).toEqual(['Health', 'Availability', 'Alerts', 'SLOs']);
    const withoutSlos: Platform = { ...platform, services: platform.services.map((service) => ({ ...service, slos: [] })) };
    const withoutServices: Platform = { ...platform, services: [] };
    expect(rows(withoutSlos)).toEqual(['Health', 'Availability', 'Alerts']);
    expect(rows(withoutServices)).toEqual(['Alerts']);
    expect(overviewOf(withoutServices)).toMatchObject({ description: 'Firing alerts.' });
    // The panels left keep their ids.
    expect(overviewOf(withoutServices).panels.map((panel) => panel.id)).toEqual([7, 8, 9, 10]);
    for (const each of [withoutSlos, withoutServices]) {
      const all = compile(each);
      expect(all.has('grafana/dashboards/slos.json')).toBe(false);
      expect(lintDashboards(all, knownSeries(each, all))).toEqual([]);
    }
  });
});

describe('alert → dashboard links', () => {
  interface Rules {
    groups: { rules: { alert?: string; labels?: Record<string, string>; annotations?: Record<string, string> }[] }[];
  }
  const alerts = (set: FileSet) =>
    (parse(set.get('prometheus/rules/api.rules.yml')!) as Rules).groups.flatMap((group) => group.rules).filter((rule) => rule.alert);

  it('are absent without a Grafana URL', () => {
    for (const alert of alerts(compilePrometheus(platform))) expect(alert.annotations).not.toHaveProperty('dashboard');
  });

  it('open the panel that shows each alert', () => {
    const linked = compilePrometheus({ ...platform, config: { ...platform.config, grafanaBaseUrl: 'https://grafana.example.com/' } });
    const panels = dashboard('grafana/dashboards/platform/api.json').panels;
    const shown = alerts(linked).map((alert) => {
      const url = new URL(alert.annotations!.dashboard!);
      expect(`${url.origin}${url.pathname}`).toBe('https://grafana.example.com/d/svc-api/api');
      const panel = panels.find((each) => each.id === Number(url.searchParams.get('viewPanel')));
      return `${alert.alert} ${alert.labels!.severity} → ${panel?.title ?? 'the whole dashboard'}`;
    });
    expect(shown).toEqual([
      'ApiDown critical → Error ratio',
      'ApiAvailabilityBudgetBurnPage critical → Burn rate',
      'ApiAvailabilityBudgetBurnTicket warning → Burn rate',
      'ApiLatencyBudgetBurnPage critical → Burn rate',
      'ApiLatencyBudgetBurnTicket warning → Burn rate',
      'ApiLatencyThresholdBucketMissing warning → Burn rate',
      'HighErrorRate critical → HighErrorRate',
      'HighErrorRate warning → HighErrorRate',
      'SlowResponses critical → SlowResponses',
      'SlowResponses warning → SlowResponses',
      'LatencySpike warning → LatencySpike',
      'MemoryPressure critical → MemoryPressure',
      'MemoryPressure high → MemoryPressure',
      'MemoryPressure warning → MemoryPressure',
      'LowThroughput warning → LowThroughput',
      'CacheHitRatioLow warning → CacheHitRatioLow',
      'CacheHitRatioLow info → CacheHitRatioLow',
      // Nothing to draw when a series is missing: the dashboard shows which panels went empty.
      'ApiTargetsAbsent warning → the whole dashboard',
      'ApiMetricAbsent warning → the whole dashboard',
      'ApiMetricAbsent warning → the whole dashboard',
      'ApiMetricAbsent warning → the whole dashboard',
      'ApiMetricAbsent warning → the whole dashboard',
      'ApiMetricAbsent warning → the whole dashboard',
    ]);
    // The two SLOs' burn alerts open different panels.
    const burnPanels = alerts(linked)
      .filter((alert) => alert.labels!.slo)
      .map((alert) => alert.annotations!.dashboard);
    expect(new Set(burnPanels).size).toBe(2);
  });
});

describe('dashboards of defineDashboard', () => {
  it('are written as built to <folder>/<uid>.json, and packaged for both Kubernetes targets with their definition file', async () => {
    const example = await loadPlatform(repoRoot);
    const all = compile(example);
    const infrastructure = example.dashboards.find((dashboard) => dashboard.uid === 'infrastructure')!;
    expect(infrastructure.source).toBe('definitions/dashboards/infrastructure.ts');
    expect(all.get('grafana/dashboards/platform/infrastructure.json')).toBe(`${JSON.stringify(infrastructure.json, null, 2)}\n`);
    for (const file of [
      'kubernetes/grafana-sidecar/platform/infrastructure.yaml',
      'kubernetes/grafana-operator/dashboards/platform/infrastructure.yaml',
    ])
      expect(all.get(file)).toMatch(/^# generated by monforge from definitions\/dashboards\/infrastructure\.ts — do not edit\n/);
    expect(all.get('kubernetes/grafana-operator/dashboards/platform/infrastructure.yaml')).toContain('folderRef: monforge-platform');
  });

  it('lose the placement the SDK forces on links and annotations, and keep every other field', () => {
    const link = (placement?: string) => ({ title: 'x', ...(placement && { placement }) });
    expect(
      withoutForcedPlacement({
        title: 'd',
        links: [link('inControlsMenu'), link('elsewhere')],
        annotations: { list: [{ name: 'a', placement: 'inControlsMenu' }] },
        panels: [
          { id: 1, links: [link('inControlsMenu')] },
          { id: 2, type: 'row', panels: [{ id: 3, links: [link('inControlsMenu')] }] },
        ],
      }),
    ).toEqual({
      title: 'd',
      links: [link(), link('elsewhere')],
      annotations: { list: [{ name: 'a' }] },
      panels: [
        { id: 1, links: [link()] },
        { id: 2, type: 'row', panels: [{ id: 3, links: [link()] }] },
      ],
    });
  });
});
