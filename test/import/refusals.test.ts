import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runImport } from '../../src/import/index.ts';
import { formatReport, importSucceeded } from '../../src/import/report.ts';
import { fixtureRoot, initProject, repoRoot } from '../helpers/index.ts';

// An input the model cannot represent is refused whole and by name: one line per refusal
// (file:line, object, why), exit 1, and nothing written — not even what could be imported.

const project = await initProject('import-refusals');
afterAll(project.cleanup);
const fixture = (file: string): string => path.relative(project.root, path.join(fixtureRoot('import'), file));

async function refused(...files: string[]): Promise<string[]> {
  const report = await runImport({ root: project.root, files });
  expect(importSucceeded(report)).toBe(false);
  expect(report.written).toEqual([]);
  // Nothing written: the project's definitions are the ones init made.
  expect((await readdir(path.join(project.root, 'definitions'))).sort()).toEqual(
    (await readdir(path.join(repoRoot, 'templates/init/definitions'))).sort(),
  );
  const lines = formatReport(report).trimEnd().split('\n');
  expect(lines.at(-1)).toBe(`${lines.length - 1} refusal${lines.length === 2 ? '' : 's'}: nothing written`);
  return lines.slice(0, -1).map((line) => line.replace(`${fixture('')}/`, ''));
}

describe('import refuses', () => {
  it('a rule file promtool rejects, at the rules promtool names, even beside one it accepts', async () => {
    expect(await refused(fixture('refused/promtool-rejects.yml'), fixture('formats/mimir-namespace.yml'))).toEqual([
      'refused/promtool-rejects.yml:6: rule file promtool-rejects › group "broken": promtool check rules rejects it: group "broken", rule 1, "Unclosed": could not parse expression: 1:28: parse error: unclosed left parenthesis',
      'refused/promtool-rejects.yml:8: rule file promtool-rejects › group "broken": promtool check rules rejects it: group "broken", rule 2, "BadTemplate": annotation "summary": template: __alert_BadTemplate:1: unclosed action',
    ]);
  });

  it("fields Prometheus 2.42 does not read, naming whose they are, and fields that are nobody's", async () => {
    expect(await refused(fixture('refused/newer-fields.yml'))).toEqual([
      'refused/newer-fields.yml:4: rule file newer-fields › group "offset": query_offset is read by Prometheus 2.53, not by Prometheus 2.42, which monforge\'s rule files must load in; remove it to import the group',
      'refused/newer-fields.yml:9: rule file newer-fields › group "thanos": partial_response_strategy is read by Thanos, not by Prometheus 2.42, which monforge\'s rule files must load in; remove it to import the group',
      'refused/newer-fields.yml:13: rule file newer-fields › group "thanos" › record "x:up": owner is not a field of a recording rule',
    ]);
  });

  it('Alertmanager fields of newer releases, integrations 0.25 lacks, secrets it cannot read from a file; never printing a secret', async () => {
    const lines = await refused(fixture('alertmanager/refused.yml'));
    expect(lines).toEqual(
      [
        "alertmanager/refused.yml:3: alertmanager.yml: tracing: read by Alertmanager 0.28, not by 0.25, which monforge's configuration must load in: remove it to import, or keep it where it is",
        'alertmanager/refused.yml:10: alertmanager.yml: route.routes[0].priority: not a field of a route',
        "alertmanager/refused.yml:13: alertmanager.yml: receivers[0].msteams_configs: read by Alertmanager 0.26, not by 0.25, which monforge's configuration must load in: remove it to import, or keep it where it is",
        'alertmanager/refused.yml:17: alertmanager.yml: receivers[1].pushover_configs[0].user_key: an inline secret that Alertmanager 0.25 reads from no file, and definitions hold no secret',
        'alertmanager/refused.yml:18: alertmanager.yml: receivers[1].pushover_configs[0].token: an inline secret that Alertmanager 0.25 reads from no file, and definitions hold no secret',
      ].map((line) => line.replace('refused/alertmanager/', 'alertmanager/')),
    );
    expect(lines.join('\n')).not.toMatch(/SECRET/);
  });

  it('a document nobody reads, a file that is not there, one that is not YAML, one too large', async () => {
    const notYaml = path.join(project.root, 'broken.yml');
    await writeFile(notYaml, 'groups:\n  - name: a\n    rules: [\n');
    const big = path.join(project.root, 'big.yml');
    await writeFile(big, `# ${'x'.repeat(17 * 1024 * 1024)}\n`);
    await writeFile(path.join(project.root, 'unknown.yml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n---\ngroups: []\n');
    expect(await refused('unknown.yml', 'missing.yml', 'broken.yml', 'big.yml')).toEqual([
      'unknown.yml:1: document 1: not something import reads (Prometheus rule files (groups:), PrometheusRule objects, Mimir/Cortex ruler namespaces, promtool test files; alertmanager.yml, Alertmanager Secrets (alertmanager.yaml in data or stringData); Sloth specs (prometheus/v1, PrometheusServiceLevel), OpenSLO (openslo/v1alpha, openslo/v1 SLO, SLI, DataSource, Service); Grafana dashboard JSON (plain, or in the API envelope { "dashboard": … }), ConfigMaps and GrafanaDashboard objects carrying dashboards)',
      'missing.yml: file: no such file',
      'broken.yml:4: file: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
      'big.yml: file: is 17825795 bytes, more than the 16777216 an input may have',
    ]);
  });
});
