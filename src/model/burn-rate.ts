import { defaultSloWindow, type BurnTier, type Slo } from './slo.ts';
import { seconds, type Duration } from './duration.ts';
import { div, mul, rational, sub, type Rational } from './decimal.ts';

/** One condition of a tier: both windows must burn faster than `factor` × the budget rate. */
export interface BurnWindow {
  readonly long: Duration;
  readonly short: Duration;
  /** Share of the whole window's error budget that this condition lets burn before alerting. */
  readonly budgetConsumed: Rational;
}

/** The SRE workbook's windows (for a 30d SLO: 14.4×, 6×, 3×, 1×). */
export const tierWindows: Record<BurnTier, readonly BurnWindow[]> = {
  page: [
    { long: '1h', short: '5m', budgetConsumed: rational('0.02') },
    { long: '6h', short: '30m', budgetConsumed: rational('0.05') },
  ],
  ticket: [
    { long: '1d', short: '2h', budgetConsumed: rational('0.1') },
    { long: '3d', short: '6h', budgetConsumed: rational('0.1') },
  ],
};

export const tierSeverity: Record<BurnTier, 'critical' | 'warning'> = { page: 'critical', ticket: 'warning' };
export const defaultTierFor: Record<BurnTier, Duration> = { page: '2m', ticket: '15m' };

/** Every window an SLI is recorded over: the alert windows plus the SLO window. */
export function sliWindows(slo: Slo): Duration[] {
  const windows = new Set<Duration>(['5m', '30m', '1h', '2h', '6h', '1d', '3d', sloWindow(slo)]);
  return [...windows].sort((a, b) => seconds(a) - seconds(b));
}

export function sloWindow(slo: Slo): Duration {
  return slo.window ?? defaultSloWindow;
}

/** Error budget as a ratio: 99.9 → 0.001, exactly. */
export function errorBudget(slo: Slo): Rational {
  return div(sub(rational(100), rational(slo.objective)), rational(100));
}

/** Burn-rate factor: budget consumed × SLO window ÷ long window (14.4 for 2 % over 1h of 30d). */
export function burnFactor(slo: Slo, window: BurnWindow): Rational {
  return div(mul(window.budgetConsumed, rational(seconds(sloWindow(slo)))), rational(seconds(window.long)));
}

/** The error-ratio threshold a window condition compares with: factor × budget. */
export function burnThreshold(slo: Slo, window: BurnWindow): Rational {
  return mul(burnFactor(slo, window), errorBudget(slo));
}

export function enabledTiers(slo: Slo): BurnTier[] {
  return (['page', 'ticket'] as const).filter((tier) => !slo.tiers?.[tier]?.disabled);
}
