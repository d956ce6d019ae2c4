import { defineConfig } from '../src/index.ts';

// Settings threaded through every compiler (the one defineConfig of the platform).
export const config = defineConfig({
  // Alerts without their own runbook link get `<base><alertname in lower case>`.
  runbookBaseUrl: 'https://runbooks.example.com/',
  // SPEC "Automated remediation": detection < 30 s for critical degradation. The fast
  // `<Service>Down` rules run in their own group at this interval.
  outageEvaluationInterval: '10s',
});
