import type { FixtureCase } from './repository.ts';

/** The cases of issue #10, one commit each, in this order on top of test/fixtures/diff. */
export const cases: readonly FixtureCase[] = [
  {
    name: '01-threshold',
    message: 'ApiErrorRateHigh pages at 10 % errors',
    edit: (d) => d.replace('services.ts', 'levels: { critical: 5, warning: 1 }', 'levels: { critical: 10, warning: 1 }'),
  },
  {
    name: '02-severity',
    message: 'ApiLatencySpike is critical',
    edit: (d) => d.replace('services.ts', 'levels: { warning: 2 }', 'levels: { critical: 2 }'),
  },
  {
    name: '03-rename',
    message: 'ApiRouteSlow is ApiRouteLatencyHigh',
    edit: (d) => d.replace('services.ts', "name: 'ApiRouteSlow'", "name: 'ApiRouteLatencyHigh'"),
  },
  {
    name: '04-for',
    message: 'ApiErrorRateHigh waits 5m',
    edit: (d) => d.replace('services.ts', "for: '2m',\n      summary: 'api error rate", "for: '5m',\n      summary: 'api error rate"),
  },
  {
    name: '05-slo-objective',
    message: 'availability objective 99.5 %',
    edit: (d) => d.replace('services.ts', 'objective: 99.9', 'objective: 99.5'),
  },
  {
    name: '06-removed-recording-rule',
    message: 'drop the latency SLO (ApiLatencyBudgetLow still reads its budget)',
    edit: (d) =>
      d.replace('services.ts', "    latencySlo({ name: 'latency', objective: 95, histogram: select(latency), threshold: 0.25 }),\n", ''),
  },
  {
    name: '07-warnings-to-pager',
    message: 'platform warnings page through PagerDuty',
    edit: (d) =>
      d.replace(
        'platform.ts',
        "warning: ['slack'] },\n});\n\nexport const data",
        "warning: ['slack', 'pagerduty'] },\n});\n\nexport const data",
      ),
  },
  {
    name: '08-playbook-exec',
    message: 'restart-api reloads first',
    edit: (d) => d.replace('playbooks.ts', "'restart', 'api.service'", "'reload-or-restart', 'api.service'"),
  },
  {
    name: '09-reorder',
    message: 'list ApiErrorRateHigh after ApiLatencySpike',
    edit: (d) =>
      d.move(
        'services.ts',
        "    {\n      name: 'ApiErrorRateHigh'",
        "    {\n      name: 'ApiRouteLatencyHigh'",
        '    {\n      // Reads a recording rule',
      ),
  },
  {
    name: '10-comment',
    message: 'a comment',
    edit: (d) =>
      d.replace(
        'services.ts',
        'export const api = defineService({',
        '// The public API: every client request goes through it.\nexport const api = defineService({',
      ),
  },
];
