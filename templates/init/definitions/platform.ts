import { defineConfig } from 'monforge';

// The project's one defineConfig: settings every generated file shares.
export const config = defineConfig({
  // Alerts without their own runbook link get `<runbookBaseUrl><alertname in lower case>`.
  runbookBaseUrl: 'https://runbooks.example.com/',
  // The remediation receiver (`npx monforge webhook`) next to Alertmanager: it runs the playbooks.
  remediation: { url: 'http://127.0.0.1:9095/alerts', credentialsFile: '/etc/alertmanager/secrets/remediation-token' },
});
