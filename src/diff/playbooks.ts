import type { GeneratedTree } from '../reader/index.ts';
import type { CompiledAction, CompiledPlaybook } from '../load/playbook-file.ts';
import { pairBy, sameValue } from './labels.ts';
import type { Change, JsonValue } from './types.ts';

// Remediation playbooks by name, actions by name within their list. What a playbook runs or
// calls — an exec argv, `allowExec`, an HTTP action's method, URL or credentials — is shown in
// full and marked for security review, as is every exec or HTTP action added.

const actionLists = ['actions', 'onFailure.rollback', 'onResolved'] as const;

function actionsOf(playbook: CompiledPlaybook, list: (typeof actionLists)[number]): readonly CompiledAction[] {
  return list === 'actions' ? playbook.actions : list === 'onResolved' ? playbook.onResolved : playbook.onFailure.rollback;
}

/** Whether a change of one action (from `before` to `after`, either absent) needs a security review. */
function actionNeedsReview(before: CompiledAction | undefined, after: CompiledAction | undefined): boolean {
  if (!after) return false;
  if (after.kind === 'log') return false;
  if (!before || before.kind !== after.kind) return true;
  if (after.kind === 'exec') return !sameValue(before.kind === 'exec' && before.argv, after.argv);
  return (
    before.kind === 'http' && (before.method !== after.method || before.url !== after.url || !sameValue(before.headers, after.headers))
  );
}

const asJson = (value: unknown): JsonValue => value as JsonValue;

export function diffPlaybooks(base: GeneratedTree, head: GeneratedTree): Change[] {
  const file = (head.playbooks ?? base.playbooks)?.path ?? 'remediation/playbooks.json';
  const { pairs, removed, added } = pairBy(base.playbooks?.playbooks ?? [], head.playbooks?.playbooks ?? [], (playbook) => playbook.name);
  const changes: Change[] = [];
  const common = (playbook: CompiledPlaybook) => ({
    kind: 'playbook' as const,
    object: playbook.name,
    file,
    source: playbook.source,
    anchors: [playbook.name],
  });
  for (const playbook of removed) changes.push({ ...common(playbook), action: 'removed', before: asJson(playbook), breaking: false });
  for (const playbook of added) {
    const runs = actionLists.some((list) => actionsOf(playbook, list).some((action) => action.kind !== 'log'));
    changes.push({ ...common(playbook), action: 'added', after: asJson(playbook), breaking: false, ...(runs && { securityReview: true }) });
  }
  for (const [was, is] of pairs) {
    const at = common(is);
    const field = (name: string, before: unknown, after: unknown, review = false): void => {
      if (!sameValue(before, after))
        changes.push({
          ...at,
          action: 'changed',
          field: name,
          before: asJson(before ?? null),
          after: asJson(after ?? null),
          breaking: false,
          ...(review && { securityReview: true }),
        });
    };
    field('description', was.description, is.description);
    field('match', was.match, is.match);
    field('target', was.target, is.target);
    field('cooldown', was.cooldown, is.cooldown);
    field('maxRunsPerHour', was.maxRunsPerHour, is.maxRunsPerHour);
    field('allowExec', was.allowExec, is.allowExec, true);
    for (const list of actionLists) {
      const actions = pairBy(actionsOf(was, list), actionsOf(is, list), (action) => action.name);
      for (const [from, to] of actions.pairs) field(`${list} › ${to.name}`, from, to, actionNeedsReview(from, to));
      for (const action of actions.removed) field(`${list} › ${action.name}`, action, undefined);
      for (const action of actions.added) field(`${list} › ${action.name}`, undefined, action, actionNeedsReview(undefined, action));
      const order = (playbook: CompiledPlaybook) => actionsOf(playbook, list).map((action) => action.name);
      const common = actions.pairs.map(([, to]) => to.name);
      if (
        !sameValue(
          order(was).filter((name) => common.includes(name)),
          order(is).filter((name) => common.includes(name)),
        )
      )
        field(`${list} order`, order(was), order(is));
    }
    field('verify', was.verify, is.verify);
    field('onFailure.escalate', was.onFailure.escalate, is.onFailure.escalate);
  }
  return changes;
}
