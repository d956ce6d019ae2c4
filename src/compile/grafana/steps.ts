import type { ThresholdAlert } from '../../model/alert.ts';
import { burnFactor, enabledTiers, tierWindows } from '../../model/burn-rate.ts';
import { toNumber } from '../../model/decimal.ts';
import { severities, type Severity } from '../../model/severity.ts';
import type { BurnTier, Slo } from '../../model/slo.ts';
import type { Step } from './panels.ts';

// Threshold steps drawn on panels, from the levels the alerts use.

const severityColor: Record<Severity, string> = { critical: 'red', high: 'orange', warning: 'yellow', info: 'blue' };
const healthy = 'green';

/**
 * An alert's levels as steps: above-alerts turn from green to each level's colour as the value
 * rises; below-alerts start at the most severe colour and turn green above the mildest level.
 */
export function levelSteps(alert: ThresholdAlert): Step[] {
  const levels = severities
    .filter((severity) => alert.levels[severity] !== undefined)
    .map((severity) => ({ severity, value: alert.levels[severity]! }))
    .sort((a, b) => a.value - b.value);
  if ((alert.direction ?? 'above') === 'above') {
    return [{ value: null, color: healthy }, ...levels.map((level) => ({ value: level.value, color: severityColor[level.severity] }))];
  }
  return [
    { value: null, color: severityColor[levels[0]!.severity] },
    ...levels.map((level, index) => ({
      value: level.value,
      color: index + 1 < levels.length ? severityColor[levels[index + 1]!.severity] : healthy,
    })),
  ];
}

const tierColor: Record<BurnTier, string> = { page: 'red', ticket: 'orange' };

/** The burn-rate factors of the SLO's enabled tiers (14.4×, 6× page; 3×, 1× ticket for 30d). */
export function burnSteps(slo: Slo): Step[] {
  const factors = enabledTiers(slo)
    .flatMap((tier) =>
      tierWindows[tier].map((window) => ({ value: Number(toNumber(burnFactor(slo, window)).toPrecision(6)), color: tierColor[tier] })),
    )
    .sort((a, b) => a.value - b.value);
  return [{ value: null, color: healthy }, ...factors];
}

/** Health score and its components, in percent: red below 50, yellow below 80. */
export const healthSteps: Step[] = [
  { value: null, color: 'red' },
  { value: 50, color: 'yellow' },
  { value: 80, color: healthy },
];

/** Error budget: overspent below zero. */
export const budgetSteps: Step[] = [
  { value: null, color: 'red' },
  { value: 0, color: healthy },
];
