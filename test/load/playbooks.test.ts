import { describe, expect, it } from 'vitest';
import { formatError, type DefinitionError } from '../../src/load/errors.ts';
import { buildPlatform } from '../../src/load/load.ts';
import { alert, defineRuleGroup } from '../../src/index.ts';
import { api } from '../fixtures/platform/definitions/api.ts';
import * as platform from '../fixtures/platform/definitions/platform.ts';

/** The loader's messages for these playbooks next to the fixture platform (service "api"), and `others` (rule groups). */
function errorsFor(playbooks: Record<string, unknown>, others: Record<string, unknown> = {}): string[] {
  const errors: DefinitionError[] = [];
  const exported = [
    ...Object.entries({ ...platform, config: { ...platform.config, remediation } }).map(([exportName, value]) => ({
      source: 'definitions/platform.ts',
      exportName,
      value,
    })),
    { source: 'definitions/api.ts', exportName: 'api', value: api },
    ...Object.entries(others).map(([exportName, value]) => ({ source: 'definitions/imported/storage.ts', exportName, value })),
    ...Object.entries(playbooks).map(([exportName, value]) => ({ source: 'definitions/playbooks.ts', exportName, value })),
  ];
  buildPlatform(exported, (error) => errors.push(error));
  return errors.map(formatError);
}

const remediation = { url: 'http://127.0.0.1:9095/alerts', credentialsFile: '/etc/alertmanager/secrets/remediation-token' };
const log = { kind: 'log', name: 'say', message: 'hi' };
const playbook = (fields: Record<string, unknown>) => ({
  kind: 'playbook',
  name: 'fix',
  match: { alertname: 'ApiDown' },
  actions: [log],
  ...fields,
});

describe('playbook definitions', () => {
  it('accept a playbook that matches an emitted alert', () => {
    expect(errorsFor({ ok: playbook({ match: { alertname: 'HighErrorRate', severity: 'critical' } }) })).toEqual([]);
  });

  it("accept a playbook that matches a rule group's alert (imported rules among them) by the labels its rule sets", () => {
    const storage = defineRuleGroup({
      name: 'storage',
      service: 'storage',
      team: 'platform',
      rules: [
        alert({ name: 'DiskFull', expr: 'vector(1)', labels: { severity: 'warning' }, untested: 'a fixture' }),
        alert({ name: 'DiskGone', expr: 'vector(1)', labels: { severity: 'critical', service: 'disks' }, untested: 'a fixture' }),
      ],
    });
    const errors = (match: Record<string, string>): string[] => errorsFor({ clean: playbook({ match }) }, { storage });
    expect(errors({ alertname: 'DiskFull', severity: 'warning' })).toEqual([]);
    expect(errors({ service: 'disks' })).toEqual([]);
    expect(errors({ alertname: 'DiskFul' })).toEqual([
      'definitions/playbooks.ts: playbook "fix" › match › alertname: no alert named "DiskFul" is defined (did you mean "DiskFull"?) [references/unknown-alert]',
    ]);
    // The group's service is where its rules are written, not a label of their alerts.
    expect(errors({ alertname: 'DiskFull', service: 'storage' })).toEqual([
      expect.stringMatching(
        /^definitions\/playbooks\.ts: playbook "fix" › match › service: .*"storage".* \[references\/unknown-service\]$/,
      ),
    ]);
  });

  it('report every mistake with file › playbook › action › field', () => {
    const errors = errorsFor({
      shape: playbook({
        name: 'shape',
        cooldown: '15 minutes',
        actions: [{ kind: 'exec', name: 'restart', argv: ['systemctl', 'restart'] }],
      }),
      refs: playbook({
        name: 'refs',
        allowExec: ['/usr/bin/systemctl'],
        actions: [
          { kind: 'exec', name: 'rm', argv: ['/bin/rm', '-rf', '/'] },
          { kind: 'http', name: 'call', url: '{{ $labels.instance }}/admin', body: { who: '{{ .Labels.service }}' } },
          { kind: 'log', name: 'rm', message: 'again' },
        ],
        verify: { query: 'up{job={{ $labels.job }}} == 1', within: '1m', interval: '2m' },
      }),
      typo: playbook({ name: 'typo', match: { alertname: 'ApiDwn' } }),
      never: playbook({ name: 'never', match: { alertname: 'HighErrorRate', severity: 'info' } }),
      nobody: playbook({ name: 'nobody', match: { service: 'billing' } }),
      loop: playbook({ name: 'loop', match: { alertname: 'RemediationFailed' } }),
    });
    expect(errors).toEqual([
      'definitions/playbooks.ts: playbook "shape" › action "restart" › argv.0: must be an absolute path [schema/invalid-value]',
      'definitions/playbooks.ts: playbook "shape" › cooldown: "15 minutes" is not a duration like "10s" or "5m" [schema/invalid-value]',
      `definitions/playbooks.ts: playbook "refs" › action "rm" › argv: /bin/rm is not in the playbook's allowExec (/usr/bin/systemctl) [playbooks/exec-not-allowed]`,
      'definitions/playbooks.ts: playbook "refs" › action "call" › body: unsupported template {{ .Labels.service }}: only {{ $labels.<name> }} is allowed [playbooks/unsupported-template]',
      'definitions/playbooks.ts: playbook "refs" › action "call" › url: "{{ $labels.instance }}/admin" is not an absolute http(s) URL [playbooks/invalid-url]',
      'definitions/playbooks.ts: playbook "refs" › action "rm": duplicate action name "rm" [definitions/duplicate-name]',
      'definitions/playbooks.ts: playbook "refs" › verify › query: invalid PromQL (label placeholders belong inside double-quoted strings): unexpected "x" at 7 [playbooks/verify-promql]',
      'definitions/playbooks.ts: playbook "refs" › verify › interval: must not exceed verify.within (1m) [playbooks/verify-interval]',
      'definitions/playbooks.ts: playbook "typo" › match › alertname: no alert named "ApiDwn" is defined (did you mean "ApiDown"?) [references/unknown-alert]',
      'definitions/playbooks.ts: playbook "never" › match: no alert has alertname="HighErrorRate", severity="info": the playbook could never run [playbooks/never-runs]',
      'definitions/playbooks.ts: playbook "nobody" › match › service: unknown service "billing" (known: api) [references/unknown-service]',
      `definitions/playbooks.ts: playbook "loop" › match › alertname: RemediationFailed is the receiver's own escalation alert; a playbook for it could loop [playbooks/escalation-loop]`,
    ]);
  });
});
