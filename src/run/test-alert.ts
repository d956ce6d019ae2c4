import { setTimeout as sleep } from 'node:timers/promises';
import { getAlerts, postAlerts, type GettableAlert } from '../route-evaluator/api.ts';
import { matcherSet } from '../route-evaluator/describe.ts';
import { matchRoutes } from '../route-evaluator/evaluate.ts';
import { alertmanagerConfig } from '../compile/alertmanager/index.ts';
import { equals } from '../compile/alertmanager/matchers.ts';
import { testLabel } from '../compile/alertmanager/names.ts';
import { emittedAlertLabels } from '../compile/prometheus/alert-labels.ts';
import { ruleGroupAlertLabels } from '../compile/prometheus/rule-groups.ts';
import { isDuration, seconds, type Duration } from '../model/duration.ts';
import { sortedLabels } from '../model/emitted.ts';
import { loadPlatform } from '../load/load.ts';
import { defineCommand, UsageError } from './command.ts';

export interface TestAlertOptions {
  readonly alertmanager: string;
  /** The alert name whose labels the test alert copies. */
  readonly like: string;
  readonly service?: string;
  readonly severity?: string;
  /** How long the test alert fires before it is resolved. */
  readonly duration: Duration;
}

/**
 * `test-alert` (docs/design.md: a test alert through the whole notification path): posts an alert
 * labelled like a real one plus `test="true"`, shows where Alertmanager routes it, and
 * resolves it after `duration`. It also carries that end time, so it resolves by itself
 * should this process die. Returns the exit code.
 */
export async function testAlert(root: string, options: TestAlertOptions, log: (line: string) => void): Promise<number> {
  const platform = await loadPlatform(root);
  const named = [...emittedAlertLabels(platform), ...ruleGroupAlertLabels(platform)].filter((labels) => labels.alertname === options.like);
  const candidates = named.filter(
    (labels) => (options.service ?? labels.service) === labels.service && (options.severity ?? labels.severity) === labels.severity,
  );
  if (candidates.length !== 1) {
    const choices = named
      .map((labels) =>
        [labels.service && `--service ${labels.service}`, labels.severity && `--severity ${labels.severity}`].filter(Boolean).join(' '),
      )
      .join('; ');
    // Which alert is meant is the invocation's to say: a usage error, like a missing option.
    throw new UsageError(
      named.length === 0
        ? `no alert named "${options.like}" in the definitions`
        : `${candidates.length === 0 ? 'no' : 'several'} "${options.like}" alerts match; choose with: ${choices}`,
    );
  }
  const labels = sortedLabels({ ...candidates[0]!, [testLabel]: 'true' });
  const expected = matchRoutes(alertmanagerConfig(platform).route, labels).map((match) => match.route.receiver);
  try {
    return await sendAndResolve(labels, expected, options, log);
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    log(
      `cannot reach Alertmanager at ${options.alertmanager}: ${error instanceof Error ? error.message : String(error)}${cause instanceof Error ? ` (${cause.message})` : ''}`,
    );
    return 1;
  }
}

async function sendAndResolve(
  labels: Readonly<Record<string, string>>,
  expected: readonly string[],
  options: TestAlertOptions,
  log: (line: string) => void,
): Promise<number> {
  const startsAt = new Date();
  const alert = (endsAt: Date) => ({
    labels,
    annotations: {
      summary: `Test alert like ${options.like}, sent by monforge test-alert`,
      description: `A test of the notification path; nothing is wrong. It resolves at ${new Date(startsAt.getTime() + seconds(options.duration) * 1000).toISOString()}.`,
    },
    startsAt: startsAt.toISOString(),
    endsAt: endsAt.toISOString(),
  });
  await postAlerts(options.alertmanager, [alert(new Date(startsAt.getTime() + seconds(options.duration) * 1000))]);
  log(`sent ${matcherSet(Object.entries(labels).map(([label, value]) => equals(label, value)))} to ${options.alertmanager}`);
  const seen = await processed(options.alertmanager, labels);
  const receivers = seen?.receivers.map((receiver) => receiver.name) ?? [];
  log(`Alertmanager routes it to: ${receivers.join(', ') || 'nothing'} (${seen ? describeStatus(seen) : 'not seen'})`);
  const differs = receivers.join(',') !== expected.join(',');
  if (differs) log(`the definitions route it to ${expected.join(', ')}: is Alertmanager running generated/alertmanager/alertmanager.yml?`);
  log(`resolving in ${options.duration}`);
  await sleep(seconds(options.duration) * 1000);
  await postAlerts(options.alertmanager, [alert(new Date())]);
  log('resolved');
  return differs ? 1 : 0;
}

/** The alert once Alertmanager has routed it (it is `unprocessed` for a moment after the post). */
async function processed(base: string, labels: Readonly<Record<string, string>>): Promise<GettableAlert | undefined> {
  let last: GettableAlert | undefined;
  for (let attempt = 0; attempt < 50; attempt += 1) {
    last = (await getAlerts(base, labels))[0];
    if (last && last.status.state !== 'unprocessed') return last;
    await sleep(100);
  }
  return last;
}

function describeStatus(alert: GettableAlert): string {
  const { state, inhibitedBy, silencedBy } = alert.status;
  const why = [
    ...(inhibitedBy.length > 0 ? ['inhibited'] : []),
    ...(silencedBy.length > 0 ? [`silenced by ${silencedBy.join(', ')}`] : []),
  ];
  return why.length > 0 ? `${state}: ${why.join(', ')}` : state;
}

export const testAlertCommand = defineCommand({
  name: 'test-alert',
  summary: 'send a test alert labelled like a real one through Alertmanager, show where it goes, resolve it',
  synopsis: '--alertmanager URL --like ALERTNAME [--service S] [--severity S] [--duration 2m]',
  details:
    'The alert carries test="true", so it never reaches the remediation receiver; it also carries its end time and resolves by itself should this process die.',
  options: {
    alertmanager: { type: 'string', value: 'URL', description: 'the Alertmanager to send it to' },
    like: { type: 'string', value: 'ALERTNAME', description: 'the alert whose labels the test alert copies' },
    service: { type: 'string', value: 'S', description: "which service's alert, when several have that name" },
    severity: { type: 'string', value: 'S', description: 'which severity, when the alert has several' },
    duration: { type: 'string', default: '2m', value: 'DURATION', description: 'how long it fires before it is resolved' },
  },
  async run({ values }, { root, out }) {
    const { alertmanager, like, duration = '2m' } = values;
    if (!alertmanager || !like) throw new UsageError('test-alert needs --alertmanager URL and --like ALERTNAME');
    if (!isDuration(duration)) throw new UsageError(`--duration ${JSON.stringify(duration)} is not a duration like "2m"`);
    return await testAlert(root, { alertmanager, like, service: values.service, severity: values.severity, duration }, (line) =>
      out(`${line}\n`),
    );
  },
});
