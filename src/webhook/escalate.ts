import { escalationAlertName } from '../load/checks-playbook.ts';
import { sleep, type ActionResult } from './actions/result.ts';
import type { Alert } from './payload.ts';

const attempts = 3;

/**
 * Posts `RemediationFailed` to Alertmanager's v2 API so that a human is paged: the original
 * labels (they route it to the owning team), severity raised to critical, the original alert
 * name in `remediated_alertname`. Alertmanager resolves it after its resolve_timeout.
 */
export async function escalate(
  alertmanager: string,
  alert: Alert,
  playbook: string,
  reason: string,
  signal: AbortSignal,
): Promise<ActionResult> {
  const posted = [
    {
      labels: {
        ...alert.labels,
        alertname: escalationAlertName,
        severity: 'critical',
        playbook,
        remediated_alertname: alert.labels.alertname ?? '',
      },
      annotations: {
        summary: `Automated remediation "${playbook}" failed for ${alert.labels.alertname ?? 'an alert'}`,
        description: reason,
      },
      ...(alert.generatorURL ? { generatorURL: alert.generatorURL } : {}),
    },
  ];
  const url = new URL('api/v2/alerts', alertmanager.endsWith('/') ? alertmanager : `${alertmanager}/`);
  let detail = '';
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(posted),
        signal: AbortSignal.timeout(10_000),
      });
      if (response.ok) return { outcome: 'success', detail: `posted to ${url.origin}` };
      detail = `HTTP ${response.status}: ${(await response.text()).slice(0, 500)}`;
    } catch (error) {
      detail = (error as Error).message;
    }
    if (attempt < attempts) await sleep(1000 * attempt, signal);
  }
  return { outcome: 'failure', detail: `${detail} (after ${attempts} attempts)` };
}
