import { escalationAlertName } from '../load/checks-playbook.ts';
import type { ActionResult } from './actions/result.ts';
import { sleep } from '../process/deadline.ts';
import { exchange, failed } from '../process/http.ts';
import type { Alert } from './payload.ts';

export interface EscalationLimits {
  /** Per attempt, the answer included. */
  readonly timeoutMs: number;
  readonly attempts: number;
}

export const escalationDefaults: EscalationLimits = { timeoutMs: 10_000, attempts: 3 };

/** Alertmanager answers `{}` or a short error: enough for the audit's detail. */
const maxAnswerBytes = 4096;

/**
 * Posts `RemediationFailed` to Alertmanager's v2 API so that a human is paged: the original
 * labels (they route it to the owning team), severity raised to critical, the original alert
 * name in `remediated_alertname`. Alertmanager resolves it after its resolve_timeout. Posting
 * the same alert twice is harmless: Alertmanager merges alerts with the same labels.
 */
export async function escalate(
  alertmanager: string,
  alert: Alert,
  playbook: string,
  reason: string,
  signal: AbortSignal,
  limits: EscalationLimits,
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
  const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(posted) };
  let detail = '';
  for (let attempt = 1; attempt <= limits.attempts; attempt += 1) {
    if (attempt > 1) await sleep(1000 * (attempt - 1), signal);
    if (signal.aborted) return { outcome: 'interrupted', detail: 'interrupted by shutdown' };
    const answer = await exchange(url, init, { timeoutMs: limits.timeoutMs, maxBytes: maxAnswerBytes, signal });
    if (failed(answer)) {
      if (answer.outcome === 'interrupted') return { outcome: 'interrupted', detail: answer.detail };
      detail = answer.detail;
    } else if (answer.status >= 200 && answer.status < 300) {
      return { outcome: 'success', detail: `posted to ${url.origin}` };
    } else {
      detail = `HTTP ${answer.status}: ${answer.body.toString('utf8').slice(0, 500)}`;
    }
  }
  return { outcome: 'failure', detail: `${detail} (after ${limits.attempts} attempts)` };
}
