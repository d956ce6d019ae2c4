import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/cache/fingerprint.ts';
import { readsOnly } from '../../src/model/reads-only.ts';

// A fingerprint keys what a compiler made of some data: equal fingerprints must mean data the
// compiler cannot tell apart, and anything it could tell apart (or cannot be seen) must not
// share one.

describe('fingerprint', () => {
  it('is the same for equal plain data, shared or copied', () => {
    const labels = { job: 'api', le: '0.5' };
    expect(fingerprint({ a: labels, b: labels, list: [1, 'x', null, true] })).toBe(
      fingerprint({ a: { ...labels }, b: { job: 'api', le: '0.5' }, list: [1, 'x', null, true] }),
    );
  });

  it('tells apart what a compiler can tell apart', () => {
    const distinct = [
      { n: 1 },
      { n: '1' },
      { n: 0 },
      { n: -0 },
      { n: Number.NaN },
      { n: Number.POSITIVE_INFINITY },
      { n: 1n },
      { n: true },
      { n: null },
      { n: undefined },
      {},
      { n: [] },
      { n: {} },
      { n: [undefined] },
      { n: ['a,b'] },
      { n: ['a', 'b'] },
      { m: 1, n: 2 },
      { n: 2, m: 1 }, // the compilers iterate keys in their order
      { n: 'say "hi"' },
      { 'n"': 1 },
    ];
    const texts = distinct.map(fingerprint);
    expect(texts.every((text) => text !== undefined)).toBe(true);
    expect(new Set(texts).size).toBe(distinct.length);
  });

  it('has none for values whose behaviour cannot be seen: functions, class instances, symbols, cycles', () => {
    class Labels {
      constructor(readonly job: string) {}
    }
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    for (const value of [{ f: () => 1 }, { labels: new Labels('api') }, { s: Symbol('x') }, cycle, new Map(), [new Date(0)]])
      expect(fingerprint(value)).toBeUndefined();
  });

  it('has one for a function of monforge marked with the data it reads: that data and its code', () => {
    const series = (selector: Record<string, string>) => readsOnly((value: number) => [{ selector, value }], selector);
    expect(fingerprint({ testSeries: series({ job: 'api' }) })).toBe(fingerprint({ testSeries: series({ job: 'api' }) }));
    expect(fingerprint({ testSeries: series({ job: 'api' }) })).not.toBe(fingerprint({ testSeries: series({ job: 'web' }) }));
    const other = readsOnly((value: number) => [{ value: value * 2 }], { job: 'api' });
    expect(fingerprint({ testSeries: other })).not.toBe(fingerprint({ testSeries: series({ job: 'api' }) }));
  });

  it('has none for a value too large to be worth keying', () => {
    expect(fingerprint({ text: 'x'.repeat(17 * 1024 * 1024) })).toBeUndefined();
  });
});
