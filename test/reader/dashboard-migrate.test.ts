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
});
