import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typeErrors } from '../../src/check/typecheck.ts';
import { runImport } from '../../src/import/index.ts';
import { formatReport, type ImportReport, importSucceeded } from '../../src/import/report.ts';
import { loadPlatform } from '../../src/load/load.ts';
import { build } from '../../src/run/generate.ts';
import { routes } from '../../src/run/routes.ts';
import { fixtureRoot, initProject, linkMonforge, repoRoot } from '../helpers/index.ts';

// Import of each input format into a project made by init: what it writes (golden files,
// reviewed), what it infers and reports, and the proof in its own output. The corpus of real
// configurations runs end to end in test/e2e/import.test.ts.

const goldenDir = path.join(repoRoot, 'test/golden/import');

/** Golden files are written only on request (MONFORGE_UPDATE_GOLDEN=1) and reviewed by hand before committing. */
async function expectGolden(file: string, actual: string): Promise<void> {
  const golden = path.join(goldenDir, `${file}.txt`);
  if (process.env.MONFORGE_UPDATE_GOLDEN) {
    await mkdir(path.dirname(golden), { recursive: true });
    await writeFile(golden, actual);
  }
  expect(actual).toBe(await readFile(golden, 'utf8'));
}

const project = await initProject('import-formats');
afterAll(project.cleanup);
const fixture = (file: string): string => path.relative(project.root, path.join(fixtureRoot('import'), file));

describe('import of rule files, ruler namespaces, Lists and test files', () => {
  let report: ImportReport;
  beforeAll(async () => {
    report = await runImport({
      root: project.root,
      files: [
        fixture('formats/payments.rules.yml'),
        fixture('formats/mimir-namespace.yml'),
        fixture('formats/mimirtool-print.yml'),
        fixture('formats/list.yaml'),
        fixture('formats/billing.test.yml'),
      ],
    });
  }, 600_000);

  it('proves every rule equivalent and every alert fired by a case promtool verified', () => {
    expect(formatReport(report).trimEnd().split('\n').at(-1)).toBe(
      '7/7 rules equivalent · 6 alerts with a firing case, 0 untested (listed)',
    );
    expect(importSucceeded(report)).toBe(true);
  });

  it('writes one file per source object, its cases beside it, metrics declared once, severities it did not know', async () => {
    expect(report.written).toEqual(
      [
        'metrics.ts',
        'severities.ts',
        'payments-rules.ts',
        'payments-rules-tests.ts',
        'checkout-ruler.ts',
        'checkout-ruler-tests.ts',
        'inventory.ts',
        'inventory-tests.ts',
        'search.ts',
        'search-tests.ts',
        'billing-rules.ts',
        'billing-rules-tests.ts',
        'queue-rules.ts',
        'queue-rules-tests.ts',
      ].map((file) => `definitions/imported/${file}`),
    );
    for (const file of ['metrics.ts', 'severities.ts', 'payments-rules.ts', 'billing-rules.ts', 'billing-rules-tests.ts', 'search.ts'])
      await expectGolden(`formats/${file}`, await readFile(path.join(project.root, 'definitions/imported', file), 'utf8'));
  });

  it('says what it inferred and what it did not carry over', () => {
    expect(report.inferred).toEqual([
      'severity "page" (PaymentsFailing) is treated as critical',
      'rule file payments.rules › group "payments": service "payments" (the service label of its rules), team "shop" (the team label of its rules)',
      'ruler namespace checkout-ruler › group "checkout-latency": service "checkout" (the job its selectors name), team "shop" (the project\'s only team)',
      'ruler namespace inventory › group "inventory-stock": service "inventory" (the job its selectors name), team "shop" (the project\'s only team)',
      'ruler namespace search › group "search-errors": service "search" (the name of the ruler namespace it is in), team "shop" (the project\'s only team)',
      'PrometheusRule billing/billing-rules › group "billing": service "billing" (the job its selectors name), team "shop" (the project\'s only team)',
      'PrometheusRule billing/queue-rules › group "queue": service "queue" (the job its selectors name), team "shop" (the project\'s only team)',
    ]);
    expect(Object.fromEntries(report.notes)).toEqual({
      'not carried over': [`${fixture('formats/billing.test.yml')}: 1 promql_expr_test cases (import carries the alert cases)`],
    });
  });

  it('loads and compiles with the project: the rule files keep each group with its interval and limit', async () => {
    const files = await build(project.root);
    expect(files.get('prometheus/rules/payments.rules.yml')).toContain('  - name: payments\n    interval: 30s\n    limit: 10\n');
    // A service of the project with imported groups gets a file of its own beside its generated one.
    expect([...files.keys()].filter((file) => file.startsWith('prometheus/rules/checkout')).sort()).toEqual([
      'prometheus/rules/checkout.groups.rules.yml',
      'prometheus/rules/checkout.rules.yml',
    ]);
    const platform = await loadPlatform(project.root);
    expect(platform.severities?.map).toEqual({ page: 'critical' });
    expect(platform.metrics.get('checkout_duration_seconds_bucket')).toMatchObject({ kind: 'counter', labels: ['job'] });
  });

  it('writes TypeScript that type-checks: metrics declare every label their selectors and helpers use', async () => {
    await linkMonforge(project.root);
    expect(await typeErrors(project.root)).toEqual([]);
  }, 300_000);

  it('refuses to write over what it wrote before (and reads the metrics it declared then)', async () => {
    const again = await runImport({ root: project.root, files: [fixture('formats/mimir-namespace.yml')] });
    expect(formatReport(again)).toBe(
      [
        'definitions/imported/checkout-ruler.ts: file: exists already: import into another --out, or remove it first',
        'definitions/imported/checkout-ruler-tests.ts: file: exists already: import into another --out, or remove it first',
        '2 refusals: nothing written',
        '',
      ].join('\n'),
    );
  }, 120_000);
});

describe('import of an Alertmanager configuration', () => {
  let report: ImportReport;
  const out = 'definitions/routing';
  beforeAll(async () => {
    report = await runImport({ root: project.root, out, files: [fixture('alertmanager/secret-data.yaml')] });
  }, 300_000);

  it('proves every label set the tree implies reaches the same receivers, amtool agreeing', () => {
    expect(report.proof.map((part) => part.summary)).toEqual(['routing 24/24 label sets']);
    expect(importSucceeded(report)).toBe(true);
  });

  it('moves every inline secret to a file, says which to create and where the value was, and never writes a value', async () => {
    const where = `${fixture('alertmanager/secret-data.yaml')}:9`;
    expect(report.secrets).toEqual([
      { path: '/etc/alertmanager/secrets/global-slack-api-url', from: `${where} global.slack_api_url` },
      { path: '/etc/alertmanager/secrets/global-smtp-auth-password', from: `${where} global.smtp_auth_password` },
      { path: '/etc/alertmanager/secrets/oncall-pagerduty-routing-key', from: `${where} receivers[1].pagerduty_configs[0].routing_key` },
      { path: '/etc/alertmanager/secrets/shop-chat-slack-api-url', from: `${where} receivers[2].slack_configs[0].api_url` },
      {
        path: '/etc/alertmanager/secrets/data-hook-webhook-credentials',
        from: `${where} receivers[4].webhook_configs[0].http_config.authorization.credentials`,
      },
    ]);
    const written = await readFile(path.join(project.root, out, 'alertmanager-shop.ts'), 'utf8');
    expect(written).not.toMatch(/SECRET/);
    expect(formatReport(report)).not.toMatch(/SECRET/);
    await expectGolden('alertmanager/alertmanager-shop.ts', written);
  });

  it('routes with the teams: the project keeps its own alerts, the tree takes the rest', async () => {
    expect(
      await routes(project.root, { alertname: 'CheckoutLatencyHigh', service: 'checkout', team: 'shop', severity: 'critical' }),
    ).toContain('receivers: shop-critical');
    expect(await routes(project.root, { alertname: 'PaymentsFailing', service: 'payments', team: 'shop', severity: 'page' })).toContain(
      'receivers: oncall, shop-chat',
    );
  });
});
