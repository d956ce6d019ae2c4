/** Alert severities, most urgent first: critical pages, high goes to the team fast, warning to its channel, info to a digest. */
export const severities = ['critical', 'high', 'warning', 'info'] as const;
/** An alert's severity: `critical`, `high`, `warning` or `info`. */
export type Severity = (typeof severities)[number];
