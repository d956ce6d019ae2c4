import { describe, expect, it } from 'vitest';
import { burnFactor, burnThreshold, errorBudget, tierWindows } from '../../src/model/burn-rate.ts';
import { rational, toDecimal, toPromqlNumber } from '../../src/model/decimal.ts';
import { ratioSlo } from '../../src/model/slo.ts';
import { counter } from '../../src/model/metric.ts';
import { select } from '../../src/model/selector.ts';

const requests = select(counter({ name: 'requests_total', help: 'r' }));
const slo = (objective: number, window?: '28d' | '7d') =>
  ratioSlo({ name: 's', objective, errors: requests, total: requests, ...(window ? { window } : {}) });

describe('exact decimals', () => {
  it('keeps what was written, not its binary neighbour', () => {
    expect(toDecimal(errorBudget(slo(99.9)))).toBe('0.001');
    expect(toDecimal(errorBudget(slo(99.95)))).toBe('0.0005');
    expect(toDecimal(rational(1e-7))).toBe('0.0000001');
  });

  it('derives the SRE workbook factors from the window', () => {
    const factors = (objective: number, window?: '28d' | '7d') =>
      [...tierWindows.page, ...tierWindows.ticket].map((each) => toPromqlNumber(burnFactor(slo(objective, window), each)));
    expect(factors(99.9)).toEqual(['14.4', '6', '3', '1']);
    expect(factors(99.9, '28d')).toEqual(['13.44', '5.6', '2.8', '(14 / 15)']);
    expect(factors(99.9, '7d')).toEqual(['3.36', '1.4', '0.7', '(7 / 30)']);
  });

  it('prints thresholds as exact decimals, or an exact quotient when none exists', () => {
    const thresholds = (objective: number, window?: '28d') =>
      [...tierWindows.page, ...tierWindows.ticket].map((each) => toPromqlNumber(burnThreshold(slo(objective, window), each)));
    expect(thresholds(99.9)).toEqual(['0.0144', '0.006', '0.003', '0.001']);
    expect(thresholds(99.9, '28d')).toEqual(['0.01344', '0.0056', '0.0028', '(7 / 7500)']);
    expect(thresholds(95)).toEqual(['0.72', '0.3', '0.15', '0.05']);
  });
});
