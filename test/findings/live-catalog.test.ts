import { describe, expect, it } from 'vitest';
import * as live from '../../src/findings/catalog/live.ts';

// The live findings' wordings where what they list is empty (the lines the live tests assert
// show them with something to list).

describe('live finding kinds', () => {
  it('leave out the lists they have nothing for', () => {
    expect(live.unknownMetric('x_total', [])).toStrictEqual({
      id: 'series/unknown-metric',
      text: 'the server has no series named x_total',
    });
    expect(live.noTarget('job="x"', '', 'job', '').text).toBe('no target has job="x": the service\'s selector matches nothing');
    expect(live.notOnTargets('x', 'api', '{job="api"}', 'job', '').text).toBe(
      'x exists, but not on the targets of service "api" ({job="api"})',
    );
    expect(live.labelValue('x{job="a"}', undefined, '', '').text).toBe('x{job="a"} matches no series now');
    expect(live.labelValue('x', 'code="500"', '500', '200').text).toBe(
      'no series of x has code="500" now (seen recently: 500); values that exist: 200',
    );
    expect(live.missingRecording('a:b:c', []).text).toBe(
      'reads the recorded series a:b:c, which neither generated/ nor the server records',
    );
    expect(live.overBudget('alert A', '60,000', '50,000', '').text).toBe('alert A reads 60,000 series now, over the budget of 50,000');
  });

  it('are warnings where nothing stops working, errors elsewhere', () => {
    const warnings = Object.values(live)
      .filter((kind) => kind.severity === 'warning')
      .map((kind) => kind.id)
      .sort();
    expect(warnings).toStrictEqual([
      'series/group-label',
      'series/not-scraped',
      'server/version',
      'type/counter-value',
      'window/absent-for',
      'window/rate',
    ]);
  });
});
