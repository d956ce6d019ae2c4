// The components of the health score (model/health.ts), on their own so that an alert's
// definition (model/alert.ts) can name one without importing the score that reads alerts.

export const healthSignals = ['availability', 'performance', 'errors', 'resources'] as const;
export type HealthSignal = (typeof healthSignals)[number];

/** Alerts lower every component but availability, which is measured from `up`. */
export const alertHealthSignals = ['performance', 'errors', 'resources'] as const;
/** Which health-score component an alert lowers. */
export type AlertHealthSignal = (typeof alertHealthSignals)[number];
