import { beforeAll, describe, expect, it } from 'vitest';
import { lintDashboards } from '../../src/check/dashboard-lint.ts';
import { knownSeries, type KnownSeries } from '../../src/check/known-series.ts';
import { compile } from '../../src/compile/index.ts';
import { gauge, promql, type Metric, type ThresholdAlert } from '../../src/index.ts';
import { loadPlatform } from '../../src/load/load.ts';
import type { Platform } from '../../src/model/platform.ts';
import type { FileSet } from '../../src/output/fileset.ts';
import { fixtureRoot } from '../helpers/index.ts';

// Each rule against the fixture's api dashboard with one mistake put in: the lint must report
// exactly that mistake, naming dashboard, panel and target.

// The JSON is edited freely, as a person editing a dashboard would.
// biome-ignore lint/suspicious/noExplicitAny: the test edits arbitrary dashboard JSON by path
type Json = any;

const file = 'grafana/dashboards/platform/api.json';
let files: FileSet;
let series: KnownSeries;

beforeAll(async () => {
  const platform = await loadPlatform(fixtureRoot('platform'));
  files = compile(platform);
  series = knownSeries(platform, files);
});

function lint(mutate: (dashboard: Json) => void, extra: Record<string, string> = {}): string[] {
  const dashboard = JSON.parse(files.get(file)!) as Json;
  mutate(dashboard);
  return lintDashboards(new Map([[file, JSON.stringify(dashboard)], ...Object.entries(extra)]), series);
}

const panel = (dashboard: Json, id: number): Json => dashboard.panels.find((each: Json) => each.id === id);
const variable = (dashboard: Json, name: string): Json => dashboard.templating.list.find((each: Json) => each.name === name);
const at = (finding: string): string => `${file}: ${finding}`;

describe('dashboard lint', () => {
  it('finds nothing in the generated dashboard', () => {
    expect(lint(() => {})).toEqual([]);
  });

  it.each<[string, (dashboard: Json) => void, string[]]>([
    [
      'uneditable-dashboard',
      (d) => (d.editable = true),
      ['uneditable-dashboard: editable must be false: generated dashboards are changed in the definitions'],
    ],
    ['dashboard-uid', (d) => (d.uid = 'svc api'), ['dashboard-uid: uid "svc api" must be 1–40 letters, digits, "-" or "_"']],
    ['dashboard-tags', (d) => (d.tags = []), ['dashboard-tags: needs at least one tag']],
    [
      'template-datasource (missing)',
      (d) => d.templating.list.shift(),
      ['template-datasource: needs exactly one data source variable, named "datasource"'],
    ],
    [
      'template-datasource (label)',
      (d) => (variable(d, 'datasource').label = 'Datasource'),
      ['variable "datasource" › template-datasource: must be labelled "Data source" and list Prometheus data sources'],
    ],
    [
      'template-on-time-change-reload',
      (d) => (variable(d, 'instance').refresh = 1),
      ['variable "instance" › template-on-time-change-reload: must refresh on time range change (refresh: 2)'],
    ],
    [
      'template-instance',
      (d) => (variable(d, 'instance').allValue = '.*'),
      ['variable "instance" › template-instance: must be labelled "instance", multi-select, include All, with all value ".+"'],
    ],
    [
      'template-label-promql (form)',
      (d) => (variable(d, 'instance').query = 'up'),
      ['variable "instance" › template-label-promql: query must be label_values(<series selector>, <label>)'],
    ],
    [
      'template-label-promql (series)',
      (d) => (variable(d, 'instance').query = 'label_values(upp{job="api"}, instance)'),
      ['variable "instance" › target-series: upp is neither a defined metric nor a generated recording rule'],
    ],
    [
      'template-variable',
      (d) => (panel(d, 2).targets[0].expr = 'sum(rate(http_requests_total{job="api",pod=~"$pod"}[$__rate_interval]))'),
      [
        'panel 2 "Request rate" › target A › template-variable: $pod is not a variable of this dashboard',
        'panel 2 "Request rate" › target A › target-label: pod is not a label of http_requests_total (it has code, instance, job, method, route)',
      ],
    ],
    ['panel-id (missing)', (d) => delete panel(d, 2).id, ['panel #2 "Request rate" › panel-id: needs an explicit positive integer id']],
    [
      'panel-id (duplicate)',
      (d) => (panel(d, 4).id = 2),
      ['panel 2 "Error ratio" › panel-id: id 2 is also the id of panel "Request rate"'],
    ],
    [
      'panel-title-description',
      (d) => (panel(d, 2).description = ''),
      ['panel 2 "Request rate" › panel-title-description: needs a description'],
    ],
    ['panel-units (missing)', (d) => delete panel(d, 2).fieldConfig.defaults.unit, ['panel 2 "Request rate" › panel-units: needs a unit']],
    [
      'panel-units (unknown)',
      (d) => (panel(d, 2).fieldConfig.defaults.unit = 'furlongs'),
      ['panel 2 "Request rate" › panel-units: "furlongs" is not a Grafana unit'],
    ],
    [
      'panel-datasource',
      (d) => (panel(d, 2).datasource = { type: 'prometheus', uid: 'prometheus-prod' }),
      ['panel 2 "Request rate" › panel-datasource: must read ${datasource}'],
    ],
    [
      'panel-legend',
      (d) => (panel(d, 2).options.legend.showLegend = false),
      ['panel 2 "Request rate" › panel-legend: the legend must be shown'],
    ],
    ['panel-no-targets', (d) => (panel(d, 2).targets = []), ['panel 2 "Request rate" › panel-no-targets: needs at least one query']],
    [
      'target-datasource',
      (d) => delete panel(d, 2).targets[0].datasource,
      ['panel 2 "Request rate" › target A › target-datasource: must read ${datasource}'],
    ],
    [
      'target-promql',
      (d) => (panel(d, 2).targets[0].expr = 'sum(rate(http_requests_total{job="api"}[$__rate_interval])'),
      ['panel 2 "Request rate" › target A › target-promql: invalid PromQL: incomplete expression at end'],
    ],
    [
      'target-rate-interval',
      (d) =>
        (panel(d, 2).targets[0].expr =
          'sum(rate(http_requests_total{job="api"}[5m])) + sum(irate(http_requests_total{job="api"}[$__interval]))'),
      [
        'panel 2 "Request rate" › target A › target-rate-interval: rate(http_requests_total[5m]) must read [$__rate_interval], which follows the zoom and always spans enough scrapes',
        'panel 2 "Request rate" › target A › target-rate-interval: irate(http_requests_total[$__interval]) must read [$__rate_interval], which follows the zoom and always spans enough scrapes',
      ],
    ],
    [
      'target-counter',
      (d) =>
        (panel(d, 2).targets[0].expr =
          'sum(http_requests_total{job="api"}) + sum(delta(http_request_duration_seconds_count{job="api"}[$__rate_interval]))'),
      [
        'panel 2 "Request rate" › target A › target-counter: http_requests_total is a counter: read it through rate(), irate() or increase(), its raw value only grows',
        'panel 2 "Request rate" › target A › target-counter: http_request_duration_seconds_count is a counter: read it through rate(), irate() or increase(), its raw value only grows',
      ],
    ],
    [
      'target-series',
      (d) => (panel(d, 2).targets[0].expr = 'sum(rate(http_request_total{job="api"}[$__rate_interval])) / sum(slo:sli_error:ratio_rate7m)'),
      [
        'panel 2 "Request rate" › target A › target-series: http_request_total is neither a defined metric nor a generated recording rule',
        'panel 2 "Request rate" › target A › target-series: slo:sli_error:ratio_rate7m is neither a defined metric nor a generated recording rule',
      ],
    ],
  ])('%s', (_rule, mutate, expected) => {
    expect(lint(mutate)).toEqual(expected.map(at));
  });

  it('dashboard-uid: no two dashboards share a uid', () => {
    const other = 'grafana/dashboards/platform/web.json';
    expect(lint(() => {}, { [other]: files.get(file)! })).toEqual([`${other}: dashboard-uid: uid "svc-api" is also the uid of ${file}`]);
  });

  it('knows the metrics raw PromQL declares, and flags those it does not', async () => {
    const platform = await loadPlatform(fixtureRoot('platform'));
    const lastBackup = gauge({ name: 'backup_last_success_timestamp_seconds', help: 'Last backup.', unit: 'timestamp_seconds' });
    const withAlert = (metrics?: Metric[]): Platform => {
      const expr = promql({
        expr: 'time() - max(backup_last_success_timestamp_seconds{job="api"})',
        unit: 'seconds',
        testSeries: () => [],
        ...(metrics ? { metrics } : {}),
      });
      const alert: ThresholdAlert = { name: 'BackupLate', expr, levels: { warning: 93600 }, summary: 'late', description: 'late' };
      const [api, ...rest] = platform.services;
      return { ...platform, services: [{ ...api!, alerts: [...api!.alerts!, alert] }, ...rest] };
    };
    const findings = (changed: Platform): string[] => {
      const all = compile(changed);
      return lintDashboards(all, knownSeries(changed, all));
    };
    expect(findings(withAlert())).toEqual([
      at(
        'panel 14 "BackupLate" › target A › target-series: backup_last_success_timestamp_seconds is neither a defined metric nor a generated recording rule',
      ),
    ]);
    expect(findings(withAlert([lastBackup]))).toEqual([]);
  });

  it('reports JSON that does not parse', () => {
    expect(lintDashboards(new Map([[file, '{"panels": [']]), series)).toEqual([
      expect.stringMatching(/^grafana\/dashboards\/platform\/api\.json: invalid JSON: /),
    ]);
  });
});

describe('dashboard lint of a dashboard of defineDashboard', () => {
  const own = 'grafana/dashboards/kube/nodes.json';
  const ownDashboard = (panels: Json[], variables: Json[] = []): Map<string, string> =>
    new Map([[own, JSON.stringify({ uid: 'nodes', title: 'Nodes', editable: true, templating: { list: variables }, panels })]]);
  const lintOwn = (panels: Json[], variables: Json[] = []): string[] =>
    lintDashboards(ownDashboard(panels, variables), series, new Set([own]));
  const target = (expr: string, extra: Json = {}): Json => ({ expr, ...extra });

  it('holds it to what breaks it, not to the conventions of the derived dashboards', () => {
    const variables = [
      { type: 'datasource', name: 'ds', query: 'prometheus' },
      { type: 'datasource', name: 'logs', query: 'loki' },
      { type: 'interval', name: 'window', query: '1m,5m' },
      {
        type: 'query',
        name: 'route',
        datasource: { uid: '${ds}' },
        query: { query: 'label_values(http_requests_total{job="api"}, route)', refId: 'V' },
      },
    ];
    const panels = [
      // No description, no unit, raw counter, irate over 1m, a window variable, a text panel without queries: all fine here.
      {
        id: 1,
        type: 'timeseries',
        title: 'Raw',
        targets: [target('http_requests_total{route=~"$route"} + irate(http_requests_total[1m])')],
      },
      { id: 2, type: 'stat', title: 'Windowed', targets: [target('sum(rate(http_requests_total[$window])) > $threshold')] },
      { id: 3, type: 'text', title: 'Notes' },
      { id: 4, type: 'logs', title: 'Logs', datasource: { uid: '${logs}' }, targets: [target('{job="api"} |= "error"')] },
    ];
    expect(lintOwn(panels, variables)).toEqual([
      `${own}: panel 2 "Windowed" › target #1 › template-variable: $threshold is not a variable of this dashboard`,
    ]);
  });

  it('reports unknown series and labels, PromQL that does not parse and a panel id used twice', () => {
    const panels = [
      { id: 1, type: 'timeseries', title: 'A', targets: [target('rate(http_request_total[5m])', { refId: 'A' })] },
      { id: 1, type: 'timeseries', title: 'B', targets: [target('sum(rate(http_requests_total{stauts="500"}[5m])', { refId: 'A' })] },
      { id: 2, type: 'timeseries', title: 'C', targets: [target('sum(rate(http_requests_total{stauts="500"}[5m]))', { refId: 'A' })] },
    ];
    expect(lintOwn(panels)).toEqual([
      `${own}: panel 1 "A" › target A › target-series: http_request_total is neither a defined metric nor a generated recording rule`,
      `${own}: panel 1 "B" › panel-id: id 1 is also the id of panel "A"`,
      `${own}: panel 1 "B" › target A › target-promql: invalid PromQL: incomplete expression at end`,
      `${own}: panel 2 "C" › target A › target-label: stauts is not a label of http_requests_total (it has code, instance, job, method, route)`,
    ]);
  });
});
