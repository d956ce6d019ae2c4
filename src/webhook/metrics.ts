import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The receiver's own metrics, on a registry per instance (tests run several in one process). */
export function webhookMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    requests: new Counter({
      name: 'monforge_webhook_requests_total',
      help: 'HTTP requests to /alerts by response code.',
      labelNames: ['code'],
      registers,
    }),
    notifications: new Counter({
      name: 'monforge_webhook_notifications_total',
      help: 'Alerts received, by their own status.',
      labelNames: ['status'],
      registers,
    }),
    actions: new Counter({
      name: 'monforge_webhook_actions_total',
      help: 'Actions run, by playbook and outcome.',
      labelNames: ['playbook', 'outcome'],
      registers,
    }),
    actionDuration: new Histogram({
      name: 'monforge_webhook_action_duration_seconds',
      help: 'Duration of actions, by playbook and kind.',
      labelNames: ['playbook', 'kind'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
      registers,
    }),
    runs: new Counter({
      name: 'monforge_webhook_runs_total',
      help: 'Playbook runs, by playbook and outcome.',
      labelNames: ['playbook', 'outcome'],
      registers,
    }),
    queueDepth: new Gauge({ name: 'monforge_webhook_queue_depth', help: 'Runs waiting for a worker.', registers }),
    running: new Gauge({ name: 'monforge_webhook_running', help: 'Runs in progress.', registers }),
    dedupeHits: new Counter({
      name: 'monforge_webhook_dedupe_hits_total',
      help: 'Deliveries of an episode that already ran or is queued.',
      registers,
    }),
    skipped: new Counter({
      name: 'monforge_webhook_skipped_total',
      help: 'Episodes not run, by playbook and reason (cooldown, rate_limit).',
      labelNames: ['playbook', 'reason'],
      registers,
    }),
    escalations: new Counter({
      name: 'monforge_webhook_escalations_total',
      help: 'RemediationFailed alerts posted, by outcome.',
      labelNames: ['outcome'],
      registers,
    }),
  };
}

export type WebhookMetrics = ReturnType<typeof webhookMetrics>;
