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

// Exact arithmetic on big integers is slow, and every compiler asks for the same few budgets,
// factors and thresholds many times: each is computed once per objective and window.
const hundred = rational(100);
const budgets = new Map<number, Rational>();
const perWindow = new WeakMap<BurnWindow, Map<string, Rational>>();

function memoized<K>(cache: Map<K, Rational>, key: K, compute: () => Rational): Rational {
  let value = cache.get(key);
  if (value === undefined) {
    value = compute();
    cache.set(key, value);
  }
  return value;
}

function windowCache(window: BurnWindow): Map<string, Rational> {
  let cache = perWindow.get(window);
  if (cache === undefined) {
    cache = new Map();
    perWindow.set(window, cache);
  }
  return cache;
}

/** Error budget as a ratio: 99.9 → 0.001, exactly. */
export function errorBudget(slo: Slo): Rational {
  return memoized(budgets, slo.objective, () => div(sub(hundred, rational(slo.objective)), hundred));
}

/** Burn-rate factor: budget consumed × SLO window ÷ long window (14.4 for 2 % over 1h of 30d). */
export function burnFactor(slo: Slo, window: BurnWindow): Rational {
  const length = sloWindow(slo);
  return memoized(windowCache(window), `factor ${length}`, () =>
    div(mul(window.budgetConsumed, rational(seconds(length))), rational(seconds(window.long))),
  );
}

/** The error-ratio threshold a window condition compares with: factor × budget. */
export function burnThreshold(slo: Slo, window: BurnWindow): Rational {
  return memoized(windowCache(window), `threshold ${sloWindow(slo)} ${slo.objective}`, () =>
    mul(burnFactor(slo, window), errorBudget(slo)),
  );
}

export function enabledTiers(slo: Slo): BurnTier[] {
  return (['page', 'ticket'] as const).filter((tier) => !slo.tiers?.[tier]?.disabled);
}
