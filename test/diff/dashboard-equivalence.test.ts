import { describe, expect, it } from 'vitest';
import { dashboardDifferences, formatDifference } from '../../src/diff/dashboard-equivalence.ts';
import { parseDashboard } from '../../src/reader/dashboards.ts';
import { normalDashboard } from '../../src/reader/dashboard-normal.ts';
import { FileProblems } from '../../src/reader/problems.ts';
import type { DashboardFile } from '../../src/reader/types.ts';

// Two spellings of one dashboard compared as Grafana reads them: what Grafana fills in, keeps
// for itself or migrates is not a difference; anything else is, by dashboard, panel and field.

type Json = Record<string, unknown>;

const read = (json: Json): DashboardFile => ({
  ...parseDashboard('d.json', JSON.stringify(json), new FileProblems('d.json'))!,
  sources: [],
});
const differences = (a: Json, b: Json): string[] => dashboardDifferences(read(a), read(b)).map((each) => formatDifference('d', each));

const panel = (extra: Json = {}): Json => ({
  id: 2,
  type: 'timeseries',
  title: 'CPU',
  gridPos: { h: 8, w: 12, x: 0, y: 1 },
  targets: [{ expr: 'rate(x_total[5m])', legendFormat: '{{pod}}' }],
  ...extra,
});
const dashboard = (panels: Json[], extra: Json = {}): Json => ({
  uid: 'd',
  title: 'D',
  schemaVersion: 42,
  panels: [{ id: 1, type: 'row', title: 'Compute', collapsed: false, gridPos: { h: 1, w: 24, x: 0, y: 0 }, panels: [] }, ...panels],
  ...extra,
});

describe('dashboard equivalence', () => {
  it('finds nothing between a dashboard and itself', () => {
    expect(differences(dashboard([panel()]), dashboard([panel()]))).toEqual([]);
  });

  it('reads left-out fields as Grafana does: the legend shown, tooltips unsorted, thresholds absolute', () => {
    const sdk = panel({
      transparent: false,
      repeatDirection: 'h',
      options: {
        legend: { displayMode: 'list', placement: 'bottom', showLegend: true, calcs: [] },
        tooltip: { mode: 'single', sort: 'none' },
      },
      fieldConfig: { defaults: { custom: {}, thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }] } }, overrides: [] },
    });
    const exported = panel({ fieldConfig: { defaults: { thresholds: { steps: [{ color: 'green' }] } } } });
    expect(differences(dashboard([exported]), dashboard([sdk]))).toEqual([]);
    // The SDK's own default, a hidden legend, is not Grafana's.
    const hidden = panel({ options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: false, calcs: [] } } });
    expect(differences(dashboard([panel()]), dashboard([hidden]))).toEqual([
      'd › panel 2 "Compute / CPU" › options.legend.showLegend: left out → false',
    ]);
  });

  it('leaves out what Grafana keeps for itself, and its built-in annotation', () => {
    const stored = dashboard([panel({ pluginVersion: '11.2.0' })], {
      id: 17,
      version: 4,
      annotations: {
        list: [
          {
            builtIn: 1,
            datasource: { type: 'grafana', uid: '-- Grafana --' },
            enable: true,
            hide: true,
            iconColor: 'rgba(0, 211, 255, 1)',
            name: 'Annotations & Alerts',
            type: 'dashboard',
            target: { limit: 100, matchAny: false, tags: [], type: 'dashboard' },
          },
        ],
      },
    });
    expect(differences(stored, dashboard([panel()]))).toEqual([]);
  });

  it('migrates an older schema as Grafana does on load (legend, refresh, time picker, hidden fields)', () => {
    const old = dashboard(
      [
        panel({
          options: { legend: { displayMode: 'hidden' } },
          fieldConfig: {
            overrides: [{ matcher: { id: 'byName', options: 'x' }, properties: [{ id: 'custom.hideFrom', value: { viz: true } }] }],
          },
        }),
      ],
      { schemaVersion: 36, refresh: false, timepicker: { time_options: ['5m'] } },
    );
    const current = dashboard([
      panel({
        options: { legend: { displayMode: 'list', showLegend: false } },
        fieldConfig: {
          overrides: [
            { matcher: { id: 'byName', options: 'x' }, properties: [{ id: 'custom.hideFrom', value: { viz: true, tooltip: true } }] },
          ],
        },
      }),
    ]);
    expect(differences(old, current)).toEqual([]);
    expect(normalDashboard(old)).toMatchObject({ panels: [{}, { options: { legend: { showLegend: false } } }] });
  });

  it('reads a data source named by a string as the reference Grafana resolves it to', () => {
    expect(
      differences(dashboard([panel({ datasource: '$datasource' })]), dashboard([panel({ datasource: { uid: '$datasource' } })])),
    ).toEqual([]);
  });

  it('reads a Prometheus query without `range` as a range query unless it is instant', () => {
    const query = (extra: Json) => panel({ targets: [{ expr: 'up', refId: 'A', ...extra }] });
    expect(differences(dashboard([query({ instant: true })]), dashboard([query({ instant: true, range: false })]))).toEqual([]);
    expect(differences(dashboard([query({})]), dashboard([query({ range: true, instant: false })]))).toEqual([]);
    expect(differences(dashboard([query({})]), dashboard([query({ instant: true, range: false })]))).toEqual([
      'd › panel 2 "Compute / CPU" › targets[0].instant: left out → true',
      'd › panel 2 "Compute / CPU" › targets[0].range: left out → false',
    ]);
  });

  it('names each difference: type, position, query, legend, unit, row, order, a panel gone', () => {
    const before = dashboard([panel(), panel({ id: 3, title: 'Memory', gridPos: { h: 8, w: 12, x: 12, y: 1 } })]);
    const after = dashboard([
      panel({ id: 3, title: 'Memory', gridPos: { h: 8, w: 12, x: 12, y: 1 }, type: 'stat' }),
      panel({
        gridPos: { h: 9, w: 12, x: 0, y: 1 },
        targets: [{ expr: 'rate(x_total[1m])', legendFormat: 'pod {{pod}}' }],
        fieldConfig: { defaults: { unit: 'percent' } },
      }),
    ]);
    (after.panels as Json[])[0]!.title = 'Compute and memory';
    expect(differences(before, after)).toEqual([
      'd › row "Compute" › title: "Compute" → "Compute and memory"',
      'd › panel 2 "Compute / CPU" › (order): 0 → 1',
      'd › panel 2 "Compute / CPU" › fieldConfig.defaults.unit: left out → "percent"',
      'd › panel 2 "Compute / CPU" › gridPos.h: 8 → 9',
      'd › panel 2 "Compute / CPU" › targets[0].expr: "rate(x_total[5m])" → "rate(x_total[1m])"',
      'd › panel 2 "Compute / CPU" › targets[0].legendFormat: "{{pod}}" → "pod {{pod}}"',
      'd › panel 3 "Compute / Memory" › type: "timeseries" → "stat"',
    ]);
    expect(differences(before, dashboard([panel()]))).toEqual(['d › panel 3 "Compute / Memory" › (panel): "Compute / Memory" → null']);
  });

  it('compares the dashboard itself: variables, links, time', () => {
    const variables = (query: string) => ({
      templating: { list: [{ type: 'query', name: 'pod', query, refresh: 2 }] },
      time: { from: 'now-1h', to: 'now' },
    });
    expect(
      differences(
        dashboard([], variables('label_values(up, pod)')),
        dashboard([], { ...variables('label_values(up, job)'), time: { from: 'now-6h', to: 'now' } }),
      ),
    ).toEqual([
      'd › dashboard › templating.list[0].query: "label_values(up, pod)" → "label_values(up, job)"',
      'd › dashboard › time.from: "now-1h" → left out',
    ]);
  });
});
