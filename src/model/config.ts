import type { Duration } from './duration.ts';
import type { SecretFile } from './receiver.ts';
import type { Targets } from './targets.ts';
import { made } from './made.ts';

/** Settings threaded through every compiler, in one place (the mixins' `_config`). */
export interface PlatformConfig {
  readonly kind: 'config';
  /** Alerts without their own runbook link get `<runbookBaseUrl><alertname in lower case>`. */
  readonly runbookBaseUrl: string;
  /**
   * The `evaluation_interval` of the Prometheus that runs the rules: groups without their own
   * `interval` are evaluated at it. `backtest` replays them at this pace; default 1m (Prometheus's).
   */
  readonly evaluationInterval?: Duration;
  /** Rule evaluation interval of the fast outage group (detection < 30 s needs a short one). */
  readonly outageEvaluationInterval?: `${number}s`;
  /**
   * `keep_firing_for` of the `<Service>Down` alerts: an outage that clears for less than this is
   * the same outage (one page, not one per failing burst); the resolved notice comes this much later.
   */
  readonly outageKeepFiringFor?: Duration;
  /** Grafana's external URL, e.g. `https://grafana.example.com`; when set, every alert gets a `dashboard` annotation linking its panel. */
  readonly grafanaBaseUrl?: string;
  /** Where Grafana reads generated/grafana/dashboards from (the provisioning `path`). */
  readonly grafanaDashboardsPath?: `/${string}`;
  /** Alertmanager's global settings. */
  readonly alertmanager?: AlertmanagerSettings;
  /** The remediation webhook receiver that Alertmanager calls for alerts with a playbook. */
  readonly remediation?: RemediationReceiver;
  /** Outputs beyond the plain files (Kubernetes objects, a Mimir/Cortex ruler file); none by default. */
  readonly targets?: Targets;
}

/** Alertmanager's global settings: `resolveTimeout` and `smtp`. */
export interface AlertmanagerSettings {
  /** How long an alert without an end time stays firing after its last update; default 5m. */
  readonly resolveTimeout?: Duration;
  /** The SMTP server every email receiver sends through. */
  readonly smtp?: SmtpSettings;
}

/** The SMTP server e-mail receivers send through. */
export interface SmtpSettings {
  readonly from: string;
  /** `host:port`. */
  readonly smarthost: `${string}:${number}`;
  readonly authUsername?: string;
  readonly authPasswordFile?: SecretFile;
  /** Default true (Alertmanager's default). */
  readonly requireTls?: boolean;
}

/** Where Alertmanager reaches the remediation receiver. */
export interface RemediationReceiver {
  /** Where the receiver takes Alertmanager's webhook payload, e.g. `http://127.0.0.1:9095/alerts`. */
  readonly url: string;
  /** The bearer token the receiver expects. */
  readonly credentialsFile: SecretFile;
}

/** The project's settings (exactly one). */
export function defineConfig(options: Omit<PlatformConfig, 'kind'>): PlatformConfig {
  return made({ kind: 'config', ...options });
}
