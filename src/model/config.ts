/** Settings threaded through every compiler, in one place (the mixins' `_config`). */
export interface PlatformConfig {
  readonly kind: 'config';
  /** Alerts without their own runbook link get `<runbookBaseUrl><alertname in lower case>`. */
  readonly runbookBaseUrl: string;
  /** Rule evaluation interval of the fast outage group (detection < 30 s needs a short one). */
  readonly outageEvaluationInterval?: `${number}s`;
}

export function defineConfig(options: Omit<PlatformConfig, 'kind'>): PlatformConfig {
  return { kind: 'config', ...options };
}
