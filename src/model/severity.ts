/** Alert severities, most urgent first: critical pages, high goes to the team fast, warning to its channel, info to a digest. */
export const severities = ['critical', 'high', 'warning', 'info'] as const;
/** An alert's severity: `critical`, `high`, `warning` or `info`. */
export type Severity = (typeof severities)[number];

/**
 * Severity label values of rules written elsewhere (`page`, `none` for Watchdog, `P2`), each
 * with the severity monforge treats it as. Rules keep their value; where monforge needs a
 * severity (coverage, `diff`'s paging check, `test-alert`) it reads the one given here.
 */
export interface Severities {
  readonly kind: 'severities';
  readonly map: Readonly<Record<string, Severity>>;
}

/** Severity label values beyond the four, each with the one it behaves as: `defineSeverities({ page: 'critical', none: 'info' })`. */
export function defineSeverities(map: Readonly<Record<string, Severity>>): Severities {
  return { kind: 'severities', map };
}

/** The severity monforge treats a `severity` label value as, or undefined for a value it does not know. */
export function severityOf(value: string | undefined, declared: Severities | undefined): Severity | undefined {
  if (value === undefined) return undefined;
  if ((severities as readonly string[]).includes(value)) return value as Severity;
  return declared?.map[value];
}
