import { describe, expect, it } from 'vitest';
import { compileRemediation } from '../../../src/compile/remediation/index.ts';
import { definePlaybook } from '../../../src/index.ts';

describe('compileRemediation', () => {
  it('writes every default out, playbooks sorted by name, and no file without playbooks', () => {
    const restart = definePlaybook({
      name: 'restart',
      match: { alertname: 'ApiDown' },
      allowExec: ['/usr/bin/systemctl'],
      actions: [
        { kind: 'exec', name: 'restart', argv: ['/usr/bin/systemctl', 'restart', 'api'] },
        { kind: 'http', name: 'tell', url: 'http://lb/admin', headers: { Authorization: { env: 'LB_TOKEN', prefix: 'Bearer ' } } },
      ],
      verify: { query: 'up == 1' },
    });
    const note = definePlaybook({
      name: 'note',
      match: { severity: 'info' },
      actions: [{ kind: 'log', name: 'say', message: 'hi' }],
      onFailure: { escalate: false },
    });
    const files = compileRemediation({
      playbooks: [
        { ...restart, source: 'definitions/b.ts' },
        { ...note, source: 'definitions/a.ts' },
      ],
    });
    expect([...files.keys()]).toEqual(['remediation/playbooks.json']);
    expect(JSON.parse(files.get('remediation/playbooks.json')!)).toEqual({
      version: 1,
      playbooks: [
        {
          name: 'note',
          source: 'definitions/a.ts',
          match: { severity: 'info' },
          target: ['service', 'instance'],
          cooldown: '15m',
          maxRunsPerHour: 6,
          allowExec: [],
          actions: [{ kind: 'log', name: 'say', message: 'hi' }],
          onFailure: { rollback: [], escalate: false },
          onResolved: [],
        },
        {
          name: 'restart',
          source: 'definitions/b.ts',
          match: { alertname: 'ApiDown' },
          target: ['service', 'instance'],
          cooldown: '15m',
          maxRunsPerHour: 6,
          allowExec: ['/usr/bin/systemctl'],
          actions: [
            { kind: 'exec', name: 'restart', argv: ['/usr/bin/systemctl', 'restart', 'api'], timeout: '30s', killAfter: '5s' },
            {
              kind: 'http',
              name: 'tell',
              method: 'POST',
              url: 'http://lb/admin',
              headers: { Authorization: { env: 'LB_TOKEN', prefix: 'Bearer ' } },
              timeout: '10s',
              retries: 2,
              backoff: '1s',
            },
          ],
          verify: { query: 'up == 1', within: '5m', interval: '15s' },
          onFailure: { rollback: [], escalate: true },
          onResolved: [],
        },
      ],
    });
    expect(compileRemediation({ playbooks: [] }).size).toBe(0);
  });
});
