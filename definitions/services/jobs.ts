import { counter, defineService, gauge, promql, ratio, ratioSlo, select } from '../../src/index.ts';

// Background jobs (job "jobs"): automation tasks and the database backup.

/** Automation runs, by task and outcome (success, failure). */
export const automationRuns = counter({
  name: 'automation_runs_total',
  help: 'Automation job runs, by task and outcome.',
  unit: 'operations',
  labels: ['task', 'outcome'],
});

/** Backup runs, by outcome (success, failure). Backups run nightly. */
export const backupRuns = counter({
  name: 'backup_runs_total',
  help: 'Database backup runs, by outcome.',
  unit: 'operations',
  labels: ['outcome'],
});

/**
 * Unix time of the last successful backup. Read by the raw PromQL of JobsBackupLate only,
 * which declares it in `metrics` so the dashboard lint knows the series exists.
 */
export const backupLastSuccess = gauge({
  name: 'backup_last_success_timestamp_seconds',
  help: 'Unix time of the last successful database backup.',
  unit: 'timestamp_seconds',
});

const automation = select(automationRuns);
const automationFailures = select(automationRuns, { outcome: 'failure' });

/** A nightly backup plus 2 hours of grace (26 h), in seconds. */
const backupMaxAgeSeconds = 26 * 3600;

export const jobs = defineService({
  name: 'jobs',
  description: 'Background jobs: automation tasks and database backups.',
  team: 'platform',
  tier: 'medium',
  dependsOn: ['database'],
  selector: { job: 'jobs' },
  optOut: {
    latencySlo: 'batch jobs answer no requests; a late backup is JobsBackupLate',
    latency: 'batch jobs answer no requests; a late backup is JobsBackupLate',
    playbook: 'jobs retry on their next schedule; a failed backup needs a human to look at the storage',
  },
  absent: {
    // prom-client creates a labelled series at its first increment: after a restart, none until the night's backup.
    exempt: { backup_runs_total: 'no series until the first backup after a restart (nightly)' },
  },
  slos: [
    // SPEC "automation (job) error rate > 1 %", as an objective: 99 % of runs succeed (counted
    // from the good runs, so a run with an unexpected outcome label counts as bad).
    ratioSlo({
      name: 'automation-success',
      description: '99 % of automation runs succeed over 30 days.',
      objective: 99,
      window: '30d',
      good: select(automationRuns, { outcome: 'success' }),
      total: automation,
    }),
  ],
  alerts: [
    // SPEC "Alert conditions": "automation (job) error rate > 1 % for 1 minute → medium"
    // (medium is our warning). Per task, so the alert names the failing one.
    {
      name: 'JobsAutomationErrorRateHigh',
      expr: ratio(automationFailures, automation, { by: ['task'] }),
      levels: { warning: 1 },
      for: '1m',
      // Jobs answer no requests: their failure ratio is their error ratio.
      covers: 'errorRatio',
      summary: 'jobs: automation task {{ $labels.task }} fails {{ printf "%.2f" $value }} % of runs',
      description:
        '{{ printf "%.2f" $value }} % of runs of automation task {{ $labels.task }} (job {{ $labels.job }}) failed over 5 minutes, above 1 %.',
    },
    // SPEC: "backup job failed". The backup runs nightly, so a 1d window holds one or two runs
    // and a single failure makes the share 50-100 %; any level above 0 catches it (a level of
    // exactly 0 cannot be tested: the "short of" case would need a negative rate).
    {
      name: 'JobsBackupFailed',
      expr: ratio(select(backupRuns, { outcome: 'failure' }), select(backupRuns), { window: '1d' }),
      levels: { warning: 1 },
      summary: 'jobs: {{ printf "%.0f" $value }} % of backup runs failed in the last day',
      description:
        '{{ printf "%.1f" $value }} % of database backup runs (job {{ $labels.job }}) failed in the last 24 hours. ' +
        'Check the backup logs and storage; until a backup succeeds, a restore would lose data.',
    },
    // SPEC: "backup job ... late": no successful backup for more than a night plus 2 hours.
    // Raw PromQL (age of the newest success); its test series make the timestamp advance 60 s
    // per 1m step, so the age stays at the requested value.
    {
      name: 'JobsBackupLate',
      expr: promql({
        expr: 'time() - max by (job) (backup_last_success_timestamp_seconds{job="jobs"})',
        unit: 'seconds',
        resultLabels: { job: 'jobs' },
        metrics: [backupLastSuccess],
        testSeries: (age) => [{ series: 'backup_last_success_timestamp_seconds{job="jobs"}', values: `${-age}+60x120` }],
      }),
      levels: { warning: backupMaxAgeSeconds },
      summary: 'jobs: the last successful backup is {{ $value | humanizeDuration }} old',
      description:
        'The last successful database backup (job {{ $labels.job }}) finished {{ $value | humanizeDuration }} ago; ' +
        'a nightly backup should never be older than 26 hours.',
    },
  ],
});
