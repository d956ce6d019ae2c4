import type { Platform, Sourced } from '../../model/platform.ts';
import type { Action, Playbook } from '../../model/playbook.ts';
import { playbookFileVersion, type CompiledAction, type CompiledPlaybook, type PlaybookFile } from '../../load/playbook-file.ts';
import type { FileSet } from '../../output/fileset.ts';
import { toJson } from '../../output/serialize.ts';

export const playbooksPath = 'remediation/playbooks.json';

/**
 * Every playbook with its defaults written out, so the receiver reads no implicit values and
 * a reviewer sees the effective timeouts and limits. No file when there are no playbooks.
 */
export function compileRemediation(platform: Pick<Platform, 'playbooks'>): FileSet {
  if (platform.playbooks.length === 0) return new Map();
  const file: PlaybookFile = {
    version: playbookFileVersion,
    playbooks: [...platform.playbooks].sort((a, b) => (a.name < b.name ? -1 : 1)).map(compilePlaybook),
  };
  return new Map([[playbooksPath, toJson(file)]]);
}

function compilePlaybook(playbook: Playbook & Sourced): CompiledPlaybook {
  return {
    name: playbook.name,
    source: playbook.source,
    ...(playbook.description === undefined ? {} : { description: playbook.description }),
    match: playbook.match,
    target: [...(playbook.target ?? ['service', 'instance'])],
    cooldown: playbook.cooldown ?? '15m',
    maxRunsPerHour: playbook.maxRunsPerHour ?? 6,
    allowExec: [...(playbook.allowExec ?? [])],
    actions: playbook.actions.map(compileAction),
    ...(playbook.verify && {
      verify: { query: playbook.verify.query, within: playbook.verify.within ?? '5m', interval: playbook.verify.interval ?? '15s' },
    }),
    onFailure: { rollback: (playbook.onFailure?.rollback ?? []).map(compileAction), escalate: playbook.onFailure?.escalate ?? true },
    onResolved: (playbook.onResolved ?? []).map(compileAction),
  };
}

function compileAction(action: Action): CompiledAction {
  switch (action.kind) {
    case 'http':
      return {
        kind: 'http',
        name: action.name,
        method: action.method ?? 'POST',
        url: action.url,
        headers: { ...action.headers },
        ...(action.body === undefined ? {} : { body: action.body }),
        timeout: action.timeout ?? '10s',
        retries: action.retries ?? 2,
        backoff: action.backoff ?? '1s',
      };
    case 'exec':
      return {
        kind: 'exec',
        name: action.name,
        argv: [...action.argv],
        timeout: action.timeout ?? '30s',
        killAfter: action.killAfter ?? '5s',
      };
    case 'log':
      return { ...action };
  }
}
