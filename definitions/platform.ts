import { defineConfig } from '../src/index.ts';

// Settings threaded through every compiler (the one defineConfig of the platform).
export const config = defineConfig({
  // Alerts without their own runbook link get `<base><alertname in lower case>`.
  runbookBaseUrl: 'https://runbooks.example.com/',
  // SPEC "Automated remediation": detection < 30 s for critical degradation. The fast
  // `<Service>Down` rules run in their own group at this interval.
  outageEvaluationInterval: '10s',
  // Backtest of the example history (README "monforge backtest"): 100 % errors during 20 s of
  // every 2 minutes paged 30 times in an hour; kept firing 2 minutes, it is one episode.
  outageKeepFiringFor: '2m',
  // Every alert links its panel on the service dashboard (annotation `dashboard`).
  grafanaBaseUrl: 'https://grafana.example.com',
  // Alertmanager's globals; secrets are files on the Alertmanager host.
  alertmanager: {
    resolveTimeout: '5m',
    smtp: {
      from: 'alertmanager@example.com',
      smarthost: 'smtp.example.com:587',
      authUsername: 'alertmanager',
      authPasswordFile: '/etc/alertmanager/secrets/smtp-password',
    },
  },
  // The remediation webhook receiver (`npx monforge webhook`), next to Alertmanager.
  remediation: { url: 'http://127.0.0.1:9095/alerts', credentialsFile: '/etc/alertmanager/secrets/remediation-token' },
  // Every output target, so generated/ shows them all; a real platform picks the ones it runs
  // (one of grafanaSidecar / grafanaOperator). See docs/guides/deploying.md.
  targets: {
    prometheusOperator: { namespace: 'monitoring', ruleLabels: { release: 'kube-prometheus-stack' }, serviceMonitors: {} },
    alertmanagerSecret: { namespace: 'monitoring', name: 'kube-prometheus-stack-alertmanager' },
    grafanaSidecar: { namespace: 'monitoring' },
    grafanaOperator: { namespace: 'monitoring', instanceSelector: { matchLabels: { dashboards: 'grafana' } } },
    mimir: { namespace: 'monforge' },
    openslo: true,
  },
});
