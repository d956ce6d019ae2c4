import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { promtoolFindings } from '../../../src/check/promtool.ts';
import { compileGrafana } from '../../../src/compile/grafana/index.ts';
import { compilePrometheus } from '../../../src/compile/prometheus/index.ts';
import { webhookDurationMetric, webhookRunsMetric } from '../../../src/compile/prometheus/remediation-outcomes.ts';
import { loadPlatform } from '../../../src/load/load.ts';
import type { Platform } from '../../../src/model/platform.ts';
import { webhookMetrics } from '../../../src/webhook/metrics.ts';
import { repoRoot, withGenerated } from '../../helpers/index.ts';

// docs/design.md: "> 80 % of issues resolved without a human", from the remediation receiver's own metrics.
let platform: Platform;

const rulesPath = 'prometheus/rules/remediation-outcomes.rules.yml';
const testsPath = 'prometheus/tests/remediation-outcomes.test.yml';
/** The remediation outcome rules and their tests, as compilePrometheus writes them. */
const remediationOutcomeFiles = (of: Platform): Map<string, string> =>
  new Map([...compilePrometheus(of)].filter(([file]) => file === rulesPath || file === testsPath));

beforeAll(async () => {
  platform = await loadPlatform(repoRoot);
});

describe('remediation outcomes', () => {
  it('read the metrics the receiver exports, with the labels they group by', async () => {
    const exported = await webhookMetrics().registry.getMetricsAsJSON();
    const named = (name: string) => exported.find((metric) => metric.name === name);
    expect(named(webhookRunsMetric)).toMatchObject({ type: 'counter' });
    expect(named(webhookDurationMetric)).toMatchObject({ type: 'histogram' });
    const runs = webhookMetrics();
    runs.runs.inc({ playbook: 'api-down', outcome: 'remediated' });
    runs.actionDuration.observe({ playbook: 'api-down', kind: 'http' }, 1);
    const text = await runs.registry.metrics();
    expect(text).toContain(`${webhookRunsMetric}{playbook="api-down",outcome="remediated"} 1`);
    expect(text).toContain(`${webhookDurationMetric}_sum{playbook="api-down",kind="http"} 1`);
  });

  it('alert the team of each service a playbook remediates when it resolves under 80 %', () => {
    const rules = parse(remediationOutcomeFiles(platform).get(rulesPath)!) as {
      groups: { rules: { alert?: string; labels?: Record<string, string> }[] }[];
    };
    const alerts = rules.groups[0]!.rules.filter((rule) => rule.alert).map((rule) => rule.labels);
    expect(alerts).toEqual(
      platform.playbooks
        .map((playbook) => playbook.name)
        .sort()
        .map((playbook) => expect.objectContaining({ playbook, severity: 'warning' })),
    );
  });

  it('pass their promtool tests', async () => {
    const files = remediationOutcomeFiles(platform);
    expect(await withGenerated(files, (dir) => promtoolFindings(dir, files))).toEqual([]);
  });

  it('are drawn on the overview dashboard, only where playbooks exist', () => {
    const titles = (playbooks: Platform['playbooks']) =>
      (
        JSON.parse(compileGrafana({ ...platform, playbooks }).get('grafana/dashboards/overview.json')!) as { panels: { title: string }[] }
      ).panels.map((panel) => panel.title);
    expect(titles(platform.playbooks).slice(-4)).toEqual([
      'Remediation',
      'Resolved without a human (1d)',
      'Mean time to remediate (1d)',
      'Resolved without a human by playbook (1d)',
    ]);
    expect(titles([])).not.toContain('Remediation');
    expect(remediationOutcomeFiles({ ...platform, playbooks: [] }).size).toBe(0);
  });
});
