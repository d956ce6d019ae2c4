import type { BurnTier } from '../../model/slo.ts';

/** Alert names are built for every rule, test and route: each identifier is converted once. */
const pascalCases = new Map<string, string>();

/** `event-day` → `EventDay`: alert names are CamelCase, built from lower-case identifiers. */
export function pascalCase(identifier: string): string {
  let result = pascalCases.get(identifier);
  if (result === undefined) {
    result = identifier
      .split(/[-_]/)
      .filter(Boolean)
      .map((word) => word[0]!.toUpperCase() + word.slice(1))
      .join('');
    pascalCases.set(identifier, result);
  }
  return result;
}

/** `slo:sli_error:ratio_rate5m`: Sloth's names, the de-facto convention dashboards expect. */
export const sliErrorRecord = (window: string): string => `slo:sli_error:ratio_rate${window}`;

/** One alert name per tier, so Alertmanager can inhibit the ticket tier while the page tier fires. */
export const burnAlertName = (service: string, slo: string, tier: BurnTier): string =>
  `${pascalCase(service)}${pascalCase(slo)}BudgetBurn${pascalCase(tier)}`;

export const outageAlertName = (service: string): string => `${pascalCase(service)}Down`;

export const ruleFilePath = (service: string): string => `prometheus/rules/${service}.rules.yml`;
export const testFilePath = (service: string): string => `prometheus/tests/${service}.test.yml`;
