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
      ['editable must be false: generated dashboards are changed in the definitions [dashboard-lint/uneditable-dashboard]'],
    ],
    [
      'dashboard-uid',
      (d) => (d.uid = 'svc api'),
      ['uid "svc api" must be 1–40 letters, digits, "-" or "_" [dashboard-lint/dashboard-uid]'],
    ],
    ['dashboard-tags', (d) => (d.tags = []), ['needs at least one tag [dashboard-lint/dashboard-tags]']],
    [
      'template-datasource (missing)',
      (d) => d.templating.list.shift(),
      ['needs exactly one data source variable, named "datasource" [dashboard-lint/template-datasource]'],
    ],
    [
      'template-datasource (label)',
      (d) => (variable(d, 'datasource').label = 'Datasource'),
      ['variable "datasource" › must be labelled "Data source" and list Prometheus data sources [dashboard-lint/template-datasource]'],
    ],
    [
      'template-on-time-change-reload',
      (d) => (variable(d, 'instance').refresh = 1),
      ['variable "instance" › must refresh on time range change (refresh: 2) [dashboard-lint/template-on-time-change-reload]'],
    ],
    [
      'template-instance',
      (d) => (variable(d, 'instance').allValue = '.*'),
      [
        'variable "instance" › must be labelled "instance", multi-select, include All, with all value ".+" [dashboard-lint/template-label-variable]',
      ],
    ],
    [
      'template-label-promql (form)',
      (d) => (variable(d, 'instance').query = 'up'),
      ['variable "instance" › query must be label_values(<series selector>, <label>) [dashboard-lint/template-label-promql]'],
    ],
    [
      'template-label-promql (series)',
      (d) => (variable(d, 'instance').query = 'label_values(upp{job="api"}, instance)'),
      ['variable "instance" › upp is neither a defined metric nor a generated recording rule [dashboard-lint/target-series]'],
    ],
    [
      'template-variable',
      (d) => (panel(d, 2).targets[0].expr = 'sum(rate(http_requests_total{job="api",pod=~"$pod"}[$__rate_interval]))'),
      [
        'panel 2 "Request rate" › target A › $pod is not a variable of this dashboard [dashboard-lint/template-variable]',
        'panel 2 "Request rate" › target A › pod is not a label of http_requests_total (it has code, instance, job, method, route) [dashboard-lint/target-label]',
      ],
    ],
    [
      'panel-id (missing)',
      (d) => delete panel(d, 2).id,
      ['panel #2 "Request rate" › needs an explicit positive integer id [dashboard-lint/panel-id]'],
    ],
    [
      'panel-id (duplicate)',
      (d) => (panel(d, 4).id = 2),
      ['panel 2 "Error ratio" › id 2 is also the id of panel "Request rate" [dashboard-lint/panel-id]'],
    ],
    [
      'panel-title-description',
      (d) => (panel(d, 2).description = ''),
      ['panel 2 "Request rate" › needs a description [dashboard-lint/panel-title-description]'],
    ],
    [
      'panel-units (missing)',
      (d) => delete panel(d, 2).fieldConfig.defaults.unit,
      ['panel 2 "Request rate" › needs a unit [dashboard-lint/panel-units]'],
    ],
    [
      'panel-units (unknown)',
      (d) => (panel(d, 2).fieldConfig.defaults.unit = 'furlongs'),
      ['panel 2 "Request rate" › "furlongs" is not a Grafana unit [dashboard-lint/panel-units]'],
    ],
    [
      'panel-datasource',
      (d) => (panel(d, 2).datasource = { type: 'prometheus', uid: 'prometheus-prod' }),
      ['panel 2 "Request rate" › must read ${datasource} [dashboard-lint/panel-datasource]'],
    ],
    [
      'panel-legend',
      (d) => (panel(d, 2).options.legend.showLegend = false),
      ['panel 2 "Request rate" › the legend must be shown [dashboard-lint/panel-legend]'],
    ],
    [
      'panel-no-targets',
      (d) => (panel(d, 2).targets = []),
      ['panel 2 "Request rate" › needs at least one query [dashboard-lint/panel-no-targets]'],
    ],
    [
      'target-datasource',
      (d) => delete panel(d, 2).targets[0].datasource,
      ['panel 2 "Request rate" › target A › must read ${datasource} [dashboard-lint/target-datasource]'],
    ],
    [
      'target-promql',
      (d) => (panel(d, 2).targets[0].expr = 'sum(rate(http_requests_total{job="api"}[$__rate_interval])'),
      ['panel 2 "Request rate" › target A › invalid PromQL: incomplete expression at end [dashboard-lint/target-promql]'],
    ],
    [
      'target-rate-interval',
      (d) =>
        (panel(d, 2).targets[0].expr =
          'sum(rate(http_requests_total{job="api"}[5m])) + sum(irate(http_requests_total{job="api"}[$__interval]))'),
      [
        'panel 2 "Request rate" › target A › rate(http_requests_total[5m]) must read [$__rate_interval], which follows the zoom and always spans enough scrapes [dashboard-lint/target-rate-interval]',
        'panel 2 "Request rate" › target A › irate(http_requests_total[$__interval]) must read [$__rate_interval], which follows the zoom and always spans enough scrapes [dashboard-lint/target-rate-interval]',
      ],
    ],
    [
      'target-counter',
      (d) =>
        (panel(d, 2).targets[0].expr =
          'sum(http_requests_total{job="api"}) + sum(delta(http_request_duration_seconds_count{job="api"}[$__rate_interval]))'),
      [
        'panel 2 "Request rate" › target A › http_requests_total is a counter: read it through rate(), irate() or increase(), its raw value only grows [dashboard-lint/target-counter]',
        'panel 2 "Request rate" › target A › http_request_duration_seconds_count is a counter: read it through rate(), irate() or increase(), its raw value only grows [dashboard-lint/target-counter]',
      ],
    ],
    [
      'target-series',
      (d) => (panel(d, 2).targets[0].expr = 'sum(rate(http_request_total{job="api"}[$__rate_interval])) / sum(slo:sli_error:ratio_rate7m)'),
      [
        'panel 2 "Request rate" › target A › http_request_total is neither a defined metric nor a generated recording rule [dashboard-lint/target-series]',
        'panel 2 "Request rate" › target A › slo:sli_error:ratio_rate7m is neither a defined metric nor a generated recording rule [dashboard-lint/target-series]',
      ],
    ],
  ])('%s', (_rule, mutate, expected) => {
    expect(lint(mutate)).toEqual(expected.map(at));
  });

  it('dashboard-uid: no two dashboards share a uid', () => {
    const other = 'grafana/dashboards/platform/web.json';
    expect(lint(() => {}, { [other]: files.get(file)! })).toEqual([
      `${other}: uid "svc-api" is also the uid of ${file} [dashboard-lint/dashboard-uid]`,
    ]);
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
        'panel 14 "BackupLate" › target A › backup_last_success_timestamp_seconds is neither a defined metric nor a generated recording rule [dashboard-lint/target-series]',
      ),
    ]);
    expect(findings(withAlert([lastBackup]))).toEqual([]);
  });

  it('reports JSON that does not parse', () => {
    expect(lintDashboards(new Map([[file, '{"panels": [']]), series)).toEqual([
      'grafana/dashboards/platform/api.json: not JSON: Unexpected end of JSON input [dashboard-lint/invalid-json]',
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
      `${own}: panel 2 "Windowed" › target #1 › $threshold is not a variable of this dashboard [dashboard-lint/template-variable]`,
    ]);
  });

  it('reports unknown series and labels, PromQL that does not parse and a panel id used twice', () => {
    const panels = [
      { id: 1, type: 'timeseries', title: 'A', targets: [target('rate(http_request_total[5m])', { refId: 'A' })] },
      { id: 1, type: 'timeseries', title: 'B', targets: [target('sum(rate(http_requests_total{stauts="500"}[5m])', { refId: 'A' })] },
      { id: 2, type: 'timeseries', title: 'C', targets: [target('sum(rate(http_requests_total{stauts="500"}[5m]))', { refId: 'A' })] },
    ];
    expect(lintOwn(panels)).toEqual([
      `${own}: panel 1 "A" › target A › http_request_total is neither a defined metric nor a generated recording rule [dashboard-lint/target-series]`,
      `${own}: panel 1 "B" › id 1 is also the id of panel "A" [dashboard-lint/panel-id]`,
      `${own}: panel 1 "B" › target A › invalid PromQL: incomplete expression at end [dashboard-lint/target-promql]`,
      `${own}: panel 2 "C" › target A › stauts is not a label of http_requests_total (it has code, instance, job, method, route) [dashboard-lint/target-label]`,
    ]);
  });
});
