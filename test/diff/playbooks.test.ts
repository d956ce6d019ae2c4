import { describe, expect, it } from 'vitest';
import { sentence } from '../../src/diff/format/describe.ts';
import { diffTrees } from '../../src/diff/index.ts';
import { parseGeneratedTree } from '../../src/reader/index.ts';
import type { CompiledAction, CompiledPlaybook } from '../../src/load/playbook-file.ts';

const scale: CompiledAction = {
  kind: 'http',
  name: 'scale',
  method: 'POST',
  url: 'http://api.internal/admin/scale',
  headers: { Authorization: { file: '/etc/secrets/token', prefix: 'Bearer ' } },
  timeout: '10s',
  retries: 2,
  backoff: '1s',
};
const announce: CompiledAction = { kind: 'log', name: 'announce', message: 'scaling up' };

const playbook = (actions: CompiledAction[], extra: Partial<CompiledPlaybook> = {}): CompiledPlaybook => ({
  name: 'scale-api',
  source: 'definitions/playbooks.ts',
  match: { alertname: 'ApiSlow' },
  target: ['service'],
  cooldown: '15m',
  maxRunsPerHour: 3,
  allowExec: [],
  actions,
  onFailure: { rollback: [], escalate: true },
  onResolved: [],
  ...extra,
});

const tree = (playbooks: CompiledPlaybook[], label: string) =>
  parseGeneratedTree(new Map([['remediation/playbooks.json', JSON.stringify({ version: 1, playbooks })]]), label);

const changes = (before: CompiledPlaybook[], after: CompiledPlaybook[]) =>
  diffTrees(tree(before, 'base'), tree(after, 'head')).changes.map((change) => [sentence(change), change.securityReview === true]);

describe('playbook changes', () => {
  it('mark what a playbook calls or runs for security review, and nothing else', () => {
    expect(
      changes(
        [playbook([announce, scale])],
        [
          playbook(
            [
              { ...scale, url: 'http://api.internal/admin/scale?force=1', retries: 3 },
              { ...announce, message: 'scaling' },
            ],
            { allowExec: ['/usr/bin/systemctl'], cooldown: '30m' },
          ),
        ],
      ),
    ).toEqual([
      ['playbook scale-api: cooldown 15m → 30m', false],
      ['playbook scale-api: allowExec none → /usr/bin/systemctl — security review', true],
      ['playbook scale-api: actions › announce: message scaling up → scaling', false],
      [
        'playbook scale-api: actions › scale: url http://api.internal/admin/scale → http://api.internal/admin/scale?force=1; retries 2 → 3 — security review',
        true,
      ],
      ['playbook scale-api: actions order announce, scale → scale, announce', false],
    ]);
  });

  it('shows added actions and playbooks that run or call something for review', () => {
    const restart: CompiledAction = {
      kind: 'exec',
      name: 'restart',
      argv: ['/usr/bin/systemctl', 'restart', 'api'],
      timeout: '30s',
      killAfter: '5s',
    };
    expect(changes([playbook([announce])], [playbook([announce], { onFailure: { rollback: [restart], escalate: true } })])).toEqual([
      ['playbook scale-api: onFailure.rollback › restart added — security review', true],
    ]);
    expect(changes([], [playbook([announce])])).toEqual([['playbook scale-api: added', false]]);
    expect(changes([], [playbook([scale])])).toEqual([['playbook scale-api: added — security review', true]]);
  });
});
