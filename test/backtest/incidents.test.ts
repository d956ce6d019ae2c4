import { describe, expect, it } from 'vitest';
import { IncidentsFileError, measureAlert, measureIncidents, parseIncidents } from '../../src/backtest/incidents.ts';
import type { Episode } from '../../src/backtest/simulate.ts';
import { parseTime } from '../../src/backtest/time.ts';

const episode = (start: number, end: number | undefined): Episode => ({ labels: {}, activeAt: start, start, end });

describe('incidents file', () => {
  it('reads RFC 3339 times and Unix seconds', () => {
    const incidents = parseIncidents(
      'incidents.json',
      JSON.stringify({
        incidents: [
          { name: 'outage', start: '2026-01-01T00:00:00Z', end: '2026-01-01T00:10:00+00:00', services: ['api'], alerts: ['ApiDown'] },
          { name: 'slow', start: 100, end: 200, services: ['db'] },
        ],
      }),
    );
    expect(incidents).toStrictEqual([
      { name: 'outage', start: 1_767_225_600, end: 1_767_226_200, services: ['api'], alerts: ['ApiDown'] },
      { name: 'slow', start: 100, end: 200, services: ['db'] },
    ]);
  });

  it('every problem at once, each with the file and the field', () => {
    const read = () =>
      parseIncidents(
        'ops/incidents.json',
        JSON.stringify({
          incidents: [
            { name: 'a', start: 'yesterday', end: 10, services: ['api'] },
            { name: 'b', start: 10, end: 5, services: [] },
            { name: '', start: 1, end: 2, services: ['x'], extra: true },
          ],
        }),
      );
    expect(read).toThrow(IncidentsFileError);
    expect(read).toThrow(
      [
        'ops/incidents.json: incidents[0].start: "yesterday" is not an RFC 3339 time or Unix seconds',
        'ops/incidents.json: incidents[1].services: lists no service',
        'ops/incidents.json: incidents[1].end: is not after start',
        'ops/incidents.json: incidents[2].name: must not be empty',
        'ops/incidents.json: incidents[2]: Unrecognized key: "extra"',
      ].join('\n'),
    );
    expect(() => parseIncidents('i.json', '{"incidents": [{"name": "b", "start": 10, "end": 5, "services": ["a"]}]}')).toThrow(
      'i.json: incidents[0].end: is not after start',
    );
    expect(() => parseIncidents('i.json', '[')).toThrow(/^i\.json: invalid JSON: /);
  });
});

describe('measures against incidents', () => {
  const incidents = [
    { name: 'one', start: 1000, end: 2000, services: ['api'] },
    { name: 'two', start: 5000, end: 6000, services: ['api'] },
    { name: 'db', start: 1000, end: 2000, services: ['db'], alerts: ['DbDown'] },
  ];
  const alert = { name: 'ApiDown', service: 'api' };

  it('recall, precision, detection and reset of one alert', () => {
    // Catches "one" 30 s in (resolves 60 s after its end), misses "two", fires once outside any incident.
    const measures = measureAlert(alert, [episode(1030, 2060), episode(3000, 3100)], incidents, 10_000);
    expect(measures).toStrictEqual({ incidents: 2, caught: 1, episodes: 2, matching: 1, detection: [30], reset: [60] });
  });

  it('an episode still firing at the end of the range resets at the range end; one ending as the incident starts does not overlap', () => {
    expect(measureAlert(alert, [episode(500, 1000), episode(5500, undefined)], incidents, 7000)).toMatchObject({
      caught: 1,
      matching: 1,
      detection: [500],
      reset: [1000],
    });
  });

  it('an incident listing its alerts concerns only those', () => {
    expect(measureAlert({ name: 'DbSlow', service: 'db' }, [episode(1100, 1200)], incidents, 10_000).incidents).toBe(0);
  });

  it('each incident: caught by the first alert that fired for it', () => {
    const outcomes = measureIncidents(
      [
        { identity: alert, episodes: [episode(1030, 2060)] },
        { identity: { name: 'ApiSlow', service: 'api' }, episodes: [episode(1010, 1500)] },
      ],
      incidents,
      10_000,
    );
    expect(outcomes).toStrictEqual([
      { name: 'one', start: 1000, end: 2000, detectedBy: 'ApiSlow', detection: 10, reset: 60 },
      { name: 'two', start: 5000, end: 6000 },
      { name: 'db', start: 1000, end: 2000 },
    ]);
  });
});

describe('quiet incidents (`alerts: []`)', () => {
  it('concern no alert: not in recall, and an alert firing during one is a false positive', () => {
    const quiet = [{ name: 'night', start: 0, end: 3600, services: ['api'], alerts: [] }];
    const alert = { name: 'ApiThroughputLow', service: 'api' };
    const fired = [episode(600, 1200)];
    expect(measureAlert(alert, fired, quiet, 10_000)).toMatchObject({ incidents: 0, episodes: 1, matching: 0 });
    expect(measureIncidents([{ identity: alert, episodes: fired }], quiet, 10_000)).toStrictEqual([
      { name: 'night', start: 0, end: 3600, quiet: { fired: ['ApiThroughputLow'] } },
    ]);
  });
});

describe('times on the command line', () => {
  it('RFC 3339, Unix seconds, now and now-DURATION', () => {
    expect(parseTime('2026-01-01T00:00:00Z', 0)).toBe(1_767_225_600);
    expect(parseTime('2026-01-01T01:00:00+01:00', 0)).toBe(1_767_225_600);
    expect(parseTime('1767225600', 0)).toBe(1_767_225_600);
    expect(parseTime('now', 500)).toBe(500);
    expect(parseTime('now-1h30m', 10_000)).toBe(4600);
    expect(parseTime('2026-01-01', 0)).toBeUndefined();
    expect(parseTime('now-soon', 0)).toBeUndefined();
  });
});
