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
      help: 'HTTP requests to /alerts by response code, and requests answered 404 or 405.',
      labelNames: ['code'],
      registers,
    }),
    notifications: new Counter({
      name: 'monforge_webhook_notifications_total',
      help: 'Alerts of the notifications acknowledged (202), by their own status.',
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
    storageErrors: new Counter({
      name: 'monforge_webhook_storage_errors_total',
      help: 'Failed writes or flushes of the state directory, by file (new notifications are answered 503 meanwhile).',
      labelNames: ['file'],
      registers,
    }),
    storageStalls: new Counter({
      name: 'monforge_webhook_storage_stalls_total',
      help: 'Writes or fdatasyncs of the state directory still running after --disk-timeout, by file (not ready, new notifications answered 503, until a write is fast again).',
      labelNames: ['file'],
      registers,
    }),
    stateSync: new Histogram({
      name: 'monforge_webhook_state_sync_duration_seconds',
      help: 'fdatasync of the state log; one serves every notification and run start waiting at that moment.',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    }),
    runs: new Counter({
      name: 'monforge_webhook_runs_total',
      help: 'Playbook runs, by playbook and outcome.',
      labelNames: ['playbook', 'outcome'],
      registers,
    }),
    queueDepth: new Gauge({ name: 'monforge_webhook_queue_depth', help: 'Runs waiting for a worker.', registers }),
    running: new Gauge({
      name: 'monforge_webhook_running',
      help: 'Runs (and escalations due from before a restart) in progress.',
      registers,
    }),
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
    deferred: new Counter({
      name: 'monforge_webhook_deferred_total',
      help: 'Episodes not queued because the queue was full, by playbook and reason (queue_full); a re-delivery of the alert queues them when there is room.',
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
