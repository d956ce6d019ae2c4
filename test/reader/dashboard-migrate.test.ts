import { describe, expect, it } from 'vitest';
import { migrateDashboard } from '../../src/reader/dashboard-migrate.ts';

// Grafana's own schema migrations from 36 on, as its frontend runs them on load.

describe('dashboard schema migrations', () => {
  it('turn a table display mode into cell options, per-query stats into objects, and stop at the SDK schema', () => {
    const migrated = migrateDashboard({
      schemaVersion: 36,
      refresh: false,
      timepicker: { time_options: ['5m'] },
      panels: [
        {
          type: 'table',
          fieldConfig: {
            defaults: { custom: { displayMode: 'lcd-gauge' } },
            overrides: [
              { matcher: { id: 'byName', options: 'a' }, properties: [{ id: 'custom.displayMode', value: 'color-background' }] },
              { matcher: { id: 'byName', options: 'b' }, properties: [{ id: 'custom.displayMode', value: 'json-view' }] },
              { matcher: { id: 'byName', options: 'c' }, properties: [{ id: 'custom.displayMode', value: 'basic' }] },
              { matcher: { id: 'byName', options: 'd' }, properties: [{ id: 'custom.hideFrom', value: { viz: true, legend: false } }] },
            ],
          },
          transformations: [{ id: 'timeSeriesTable', options: { refIdToStat: { A: 'mean' } } }],
        },
      ],
    });
    const [panel] = migrated.panels as {
      fieldConfig: { defaults: { custom: Record<string, unknown> }; overrides: { properties: { value: unknown }[] }[] };
      transformations: { options: unknown }[];
    }[];
    expect(migrated.schemaVersion).toBe(42);
    expect(migrated.refresh).toBe('');
    expect(migrated.timepicker).toEqual({});
    expect(panel!.fieldConfig.defaults.custom.cellOptions).toEqual({ type: 'gauge', mode: 'lcd' });
    expect(panel!.fieldConfig.overrides.map((each) => each.properties[0]!.value)).toEqual([
      { type: 'color-background', mode: 'gradient' },
      { type: 'json-view' },
      { type: 'gauge', mode: 'basic' },
      { viz: true, legend: false, tooltip: true },
    ]);
    expect(panel!.transformations[0]!.options).toEqual({ A: { stat: 'mean' } });
  });

  it('from Grafana 8.0 (30): a merge after labelsToFields, "default" as no data source, CloudWatch statistics one query each, the time axis kept', () => {
    const cloudWatch = { dimensions: { InstanceId: 'i-1' }, namespace: 'AWS/EC2', region: 'eu-west-1', metricName: 'CPUUtilization' };
    const migrated = migrateDashboard({
      schemaVersion: 30,
      annotations: {
        list: [
          { name: 'Alarms', datasource: 'default', ...cloudWatch, prefixMatching: false, statistics: ['Maximum', 'Minimum'] },
          { name: 'One', ...cloudWatch, prefixMatching: false, statistics: ['Average'] },
          { name: 'Plain', datasource: { uid: 'x' } },
        ],
      },
      panels: [
        {
          type: 'table',
          datasource: 'default',
          transformations: [
            { id: 'labelsToFields', options: {} },
            { id: 'organize', options: {} },
          ],
        },
        {
          type: 'timeseries',
          fieldConfig: { defaults: { custom: { axisPlacement: 'hidden' } } },
          targets: [
            { refId: 'A', ...cloudWatch, statistics: ['Average', 'Maximum', 7] },
            { refId: 'B', ...cloudWatch, statistics: [] },
            { refId: 'C', ...cloudWatch, statistics: [3] },
            { refId: 'D', datasource: 'default', expr: 'up' },
          ],
        },
        { type: 'row', panels: [{ type: 'stat', datasource: 'default', transformations: [{ id: 'labelsToFields' }] }] },
      ],
    });
    const [table, series, row] = migrated.panels as Record<string, unknown>[];
    expect(table).toEqual({
      type: 'table',
      transformations: [
        { id: 'labelsToFields', options: {} },
        { id: 'merge', options: {} },
        { id: 'organize', options: {} },
      ],
    });
    const modes = { metricEditorMode: 0, metricQueryType: 0 };
    expect(series!.targets).toEqual([
      { refId: 'A', ...cloudWatch, ...modes, statistic: 'Average' },
      { refId: 'B', ...cloudWatch, ...modes, statistics: [] },
      { refId: 'C', ...cloudWatch, ...modes },
      { refId: 'D', expr: 'up' },
      { refId: 'E', ...cloudWatch, ...modes, statistic: 'Maximum' },
    ]);
    expect((series!.fieldConfig as { overrides: unknown }).overrides).toEqual([
      { matcher: { id: 'byType', options: 'time' }, properties: [{ id: 'custom.axisPlacement', value: 'auto' }] },
    ]);
    expect(row!.panels).toEqual([{ type: 'stat', transformations: [{ id: 'labelsToFields' }, { id: 'merge', options: {} }] }]);
    expect((migrated.annotations as { list: unknown[] }).list).toEqual([
      { name: 'Alarms - Maximum', ...cloudWatch, prefixMatching: false, statistic: 'Maximum' },
      { name: 'One', ...cloudWatch, prefixMatching: false, statistic: 'Average' },
      { name: 'Plain', datasource: { uid: 'x' } },
      { name: 'Alarms - Minimum', ...cloudWatch, prefixMatching: false, statistic: 'Minimum' },
    ]);
  });

  it('leaves a schema it does not migrate as it is', () => {
    const old = { schemaVersion: 27, panels: [{ type: 'graph', datasource: 'default' }] };
    expect(migrateDashboard(old)).toEqual(old);
  });
});
