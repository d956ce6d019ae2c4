import { renderTemplate } from '../model/label-template.ts';
import type { CompiledAction, CompiledPlaybook } from '../load/playbook-file.ts';
import { runExec } from './actions/exec.ts';
import { renderUrl, runHttp } from './actions/http.ts';
import type { ActionResult } from './actions/result.ts';
import { escalate, type EscalationLimits } from './escalate.ts';
import type { Logger } from './log.ts';
import type { WebhookMetrics } from './metrics.ts';
import type { GroupIdentity } from './process-groups.ts';
import type { Episode } from './state.ts';
import { runVerify, verifyQuery } from './verify.ts';

export interface RunContext {
  readonly dryRun: boolean;
  readonly prometheus: string | undefined;
  readonly alertmanager: string | undefined;
  readonly escalation: EscalationLimits;
  readonly metrics: WebhookMetrics;
  readonly log: Logger;
  readonly audit: (entry: object) => void;
  /** Records that a RemediationFailed alert is due (kept across restarts), and that it was posted or given up. */
  readonly escalations: { due(key: string, reason: string): void; done(key: string, outcome: string): void };
  /** Records the process groups of an episode's exec actions, so that a restart can end those left running. */
  readonly groups: { started(key: string, group: GroupIdentity): void; ended(key: string, pgid: number): void };
  /** Aborted when shutdown's deadline passes. */
  readonly signal: AbortSignal;
}

export type RunOutcome = 'remediated' | 'failed' | 'dry-run' | 'interrupted' | 'resolved';

type Step = 'action' | 'rollback' | 'resolved' | 'verify' | 'escalation' | 'run';

/**
 * Firing: the actions in order until one fails, then `verify`; on a failure the rollback
 * actions (all of them) and the escalation. Resolved: the `onResolved` actions only.
 * Once shutdown interrupts the run, the steps left are audited as not started, and an
 * escalation still due is kept for after the restart.
 */
export async function runEpisode(playbook: CompiledPlaybook, episode: Episode, context: RunContext): Promise<RunOutcome> {
  const step = (kind: Step, name: string, actionKind: string, work: () => Promise<ActionResult>) =>
    timed(playbook.name, episode, context, { step: kind, action: name, kind: actionKind }, work);
  const perform = (kind: Step, action: CompiledAction) =>
    step(kind, action.name, action.kind, () =>
      context.signal.aborted
        ? Promise.resolve({ outcome: 'interrupted', detail: 'not started: shutting down' })
        : performAction(action, playbook, episode, context),
    );

  if (episode.alert.status === 'resolved') {
    for (const action of playbook.onResolved) {
      const result = await perform('resolved', action);
      if (!succeeded(result, context)) return result.outcome === 'interrupted' ? 'interrupted' : 'failed';
    }
    return 'resolved';
  }

  let failure: string | undefined;
  for (const action of playbook.actions) {
    const result = await perform('action', action);
    if (result.outcome === 'interrupted') return 'interrupted';
    if (!succeeded(result, context)) {
      failure = `action "${action.name}" ${result.outcome}: ${result.detail ?? ''}`;
      break;
    }
  }
  const verify = playbook.verify;
  if (failure === undefined && verify) {
    const result = await step('verify', 'verify', 'verify', async () =>
      context.dryRun
        ? { outcome: 'dry-run', detail: `would poll ${verifyQuery(verify, episode.alert.labels)} for ${verify.within}` }
        : runVerify(verify, context.prometheus!, episode.alert.labels, context.signal),
    );
    if (result.outcome === 'interrupted') return 'interrupted';
    if (!succeeded(result, context)) failure = `verification failed: ${result.detail ?? ''}`;
  }
  if (failure === undefined) return context.dryRun ? 'dry-run' : 'remediated';

  const outcomes: string[] = [];
  for (const action of playbook.onFailure.rollback) outcomes.push((await perform('rollback', action)).outcome);
  if (playbook.onFailure.escalate) {
    context.escalations.due(episode.key, failure);
    outcomes.push((await sendEscalation(episode, failure, context)).outcome);
  }
  return outcomes.includes('interrupted') ? 'interrupted' : 'failed';
}

/**
 * Posts RemediationFailed for a failed run (or, after a restart, for one whose escalation was
 * due). Interrupted by shutdown, it stays due and is sent after the restart; posted or refused
 * by Alertmanager every attempt, it is done.
 */
export async function sendEscalation(episode: Episode, reason: string, context: RunContext): Promise<ActionResult> {
  const later = ' (it is sent after the restart)';
  const result = await timed(
    episode.playbook,
    episode,
    context,
    { step: 'escalation', action: 'RemediationFailed', kind: 'escalation' },
    async () => {
      if (context.signal.aborted) return { outcome: 'interrupted', detail: `not sent: shutting down${later}` };
      const sent = await escalate(context.alertmanager!, episode.alert, episode.playbook, reason, context.signal, context.escalation);
      return sent.outcome === 'interrupted' ? { ...sent, detail: `${sent.detail}${later}` } : sent;
    },
  );
  context.metrics.escalations.inc({ outcome: result.outcome });
  if (result.outcome !== 'interrupted') context.escalations.done(episode.key, result.outcome);
  return result;
}

const succeeded = (result: ActionResult, context: RunContext): boolean =>
  result.outcome === 'success' || (context.dryRun && result.outcome === 'dry-run');

function performAction(action: CompiledAction, playbook: CompiledPlaybook, episode: Episode, context: RunContext): Promise<ActionResult> {
  const labels = episode.alert.labels;
  try {
    if (context.dryRun) return Promise.resolve({ outcome: 'dry-run', detail: `would ${describe(action, labels)}` });
    switch (action.kind) {
      case 'log':
        context.log(
          'info',
          renderTemplate(action.message, labels, (value) => value),
          { playbook: playbook.name, action: action.name, fingerprint: episode.alert.fingerprint },
        );
        return Promise.resolve({ outcome: 'success' });
      case 'exec':
        return runExec(
          action,
          playbook,
          labels,
          { MONFORGE_PLAYBOOK: playbook.name, MONFORGE_FINGERPRINT: episode.alert.fingerprint, MONFORGE_STATUS: episode.alert.status },
          context.signal,
          { started: (group) => context.groups.started(episode.key, group), ended: (pgid) => context.groups.ended(episode.key, pgid) },
        );
      case 'http':
        return runHttp(action, labels, context.signal);
    }
  } catch (error) {
    // A template naming a label this alert lacks, or a URL it would turn into another.
    return Promise.resolve({ outcome: 'refused', detail: (error as Error).message });
  }
}

function describe(action: CompiledAction, labels: Readonly<Record<string, string>>): string {
  switch (action.kind) {
    case 'log':
      return `log ${JSON.stringify(renderTemplate(action.message, labels, (value) => value))}`;
    case 'exec':
      return `run ${JSON.stringify(action.argv)}`;
    case 'http':
      return `${action.method} ${renderUrl(action.url, labels)}`;
  }
}

/** The audit log's entry for one step of an episode. */
export function auditEntry(
  playbook: string,
  episode: Episode,
  { step, action, kind }: { step: Step; action: string; kind: string },
  result: ActionResult,
  durationMs: number,
): object {
  return {
    time: new Date().toISOString(),
    fingerprint: episode.alert.fingerprint,
    startsAt: episode.alert.startsAt,
    status: episode.alert.status,
    labels: episode.alert.labels,
    playbook,
    step,
    action,
    kind,
    outcome: result.outcome,
    durationMs,
    ...(result.detail === undefined ? {} : { detail: result.detail }),
    ...(result.stdout ? { stdout: result.stdout } : {}),
    ...(result.stderr ? { stderr: result.stderr } : {}),
  };
}

/** Runs one step and records it in the audit log, the metrics and the log. */
async function timed(
  playbook: string,
  episode: Episode,
  context: RunContext,
  names: { step: Step; action: string; kind: string },
  work: () => Promise<ActionResult>,
): Promise<ActionResult> {
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  context.metrics.actions.inc({ playbook, outcome: result.outcome });
  context.metrics.actionDuration.observe({ playbook, kind: names.kind }, seconds);
  context.audit(auditEntry(playbook, episode, names, result, Math.round(seconds * 1000)));
  const level = result.outcome === 'success' || result.outcome === 'dry-run' ? 'info' : 'warn';
  context.log(level, `${names.step} ${result.outcome}`, {
    playbook,
    action: names.action,
    fingerprint: episode.alert.fingerprint,
    outcome: result.outcome,
    detail: result.detail,
  });
  return result;
}
