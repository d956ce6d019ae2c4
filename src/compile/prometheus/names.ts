import type { BurnTier } from '../../model/slo.ts';

/** `event-day` → `EventDay`: alert names are CamelCase, built from lower-case identifiers. */
export function pascalCase(identifier: string): string {
  return identifier
    .split(/[-_]/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

/** `slo:sli_error:ratio_rate5m`: Sloth's names, the de-facto convention dashboards expect. */
export const sliErrorRecord = (window: string): string => `slo:sli_error:ratio_rate${window}`;

/** One alert name per tier, so Alertmanager can inhibit the ticket tier while the page tier fires. */
export const burnAlertName = (service: string, slo: string, tier: BurnTier): string => `${pascalCase(service)}${pascalCase(slo)}BudgetBurn${pascalCase(tier)}`;

export const outageAlertName = (service: string): string => `${pascalCase(service)}Down`;

export const ruleFilePath = (service: string): string => `prometheus/rules/${service}.rules.yml`;
export const testFilePath = (service: string): string => `prometheus/tests/${service}.test.yml`;
