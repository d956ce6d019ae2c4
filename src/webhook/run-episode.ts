import { renderTemplate } from '../model/label-template.ts';
import type { CompiledAction, CompiledPlaybook } from '../load/playbook-file.ts';
import { runExec } from './actions/exec.ts';
import { runHttp } from './actions/http.ts';
import type { ActionResult } from './actions/result.ts';
import { escalate } from './escalate.ts';
import type { Logger } from './log.ts';
import type { WebhookMetrics } from './metrics.ts';
import type { Episode } from './state.ts';
import { runVerify } from './verify.ts';

export interface RunContext {
  readonly dryRun: boolean;
  readonly prometheus: string | undefined;
  readonly alertmanager: string | undefined;
  readonly metrics: WebhookMetrics;
  readonly log: Logger;
  readonly audit: (entry: object) => void;
  /** Aborted when shutdown's deadline passes. */
  readonly signal: AbortSignal;
}

export type RunOutcome = 'remediated' | 'failed' | 'dry-run' | 'interrupted' | 'resolved';

type Step = 'action' | 'rollback' | 'resolved' | 'verify' | 'escalation';

/**
 * Firing: the actions in order until one fails, then `verify`; on a failure the rollback
 * actions (all of them) and the escalation. Resolved: the `onResolved` actions only.
 */
export async function runEpisode(playbook: CompiledPlaybook, episode: Episode, context: RunContext): Promise<RunOutcome> {
  const step = (kind: Step, name: string, actionKind: string, work: () => Promise<ActionResult>) =>
    timed(playbook, episode, context, { step: kind, action: name, kind: actionKind }, work);
  const perform = (kind: Step, action: CompiledAction) =>
    step(kind, action.name, action.kind, () => performAction(action, playbook, episode, context));

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
        ? { outcome: 'dry-run', detail: `would poll ${verify.query} for ${verify.within}` }
        : runVerify(verify, context.prometheus!, episode.alert.labels, context.signal),
    );
    if (result.outcome === 'interrupted') return 'interrupted';
    if (!succeeded(result, context)) failure = `verification failed: ${result.detail ?? ''}`;
  }
  if (failure === undefined) return context.dryRun ? 'dry-run' : 'remediated';

  for (const action of playbook.onFailure.rollback) await perform('rollback', action);
  if (playbook.onFailure.escalate) {
    const result = await step('escalation', 'RemediationFailed', 'escalation', () =>
      escalate(context.alertmanager!, episode.alert, playbook.name, failure, context.signal),
    );
    context.metrics.escalations.inc({ outcome: result.outcome });
  }
  return 'failed';
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
        );
      case 'http':
        return runHttp(action, labels, context.signal);
    }
  } catch (error) {
    // A template naming a label this alert lacks.
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
      return `${action.method} ${renderTemplate(action.url, labels, encodeURIComponent)}`;
  }
}

/** Runs one step and records it in the audit log, the metrics and the log. */
async function timed(
  playbook: CompiledPlaybook,
  episode: Episode,
  context: RunContext,
  { step, action: name, kind }: { step: Step; action: string; kind: string },
  work: () => Promise<ActionResult>,
): Promise<ActionResult> {
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  context.metrics.actions.inc({ playbook: playbook.name, outcome: result.outcome });
  context.metrics.actionDuration.observe({ playbook: playbook.name, kind }, seconds);
  context.audit({
    time: new Date().toISOString(),
    fingerprint: episode.alert.fingerprint,
    startsAt: episode.alert.startsAt,
    status: episode.alert.status,
    labels: episode.alert.labels,
    playbook: playbook.name,
    step,
    action: name,
    kind,
    outcome: result.outcome,
    durationMs: Math.round(seconds * 1000),
    ...(result.detail === undefined ? {} : { detail: result.detail }),
    ...(result.stdout ? { stdout: result.stdout } : {}),
    ...(result.stderr ? { stderr: result.stderr } : {}),
  });
  const level = result.outcome === 'success' || result.outcome === 'dry-run' ? 'info' : 'warn';
  context.log(level, `${step} ${result.outcome}`, {
    playbook: playbook.name,
    action: name,
    fingerprint: episode.alert.fingerprint,
    outcome: result.outcome,
    detail: result.detail,
  });
  return result;
}
