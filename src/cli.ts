import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DefinitionErrors } from './load/errors.ts';
import { coverageFormats, type CoverageFormat } from './coverage/format.ts';
import { apply, applyArgs, applyRequest, applyUsage } from './run/apply.ts';
import { backtestArgs, backtestOptions, backtestUsage, runBacktest } from './run/backtest.ts';
import { check } from './run/check.ts';
import { coverage } from './run/coverage.ts';
import { diff, diffOptions, diffUsage } from './run/diff.ts';
import { generate } from './run/generate.ts';
import { init } from './run/init.ts';
import { isDuration } from './model/duration.ts';
import { parseLabelArgs, routes } from './run/routes.ts';
import { testAlert } from './run/test-alert.ts';
import { webhookArgs, webhookOptions, webhookUsage } from './run/webhook.ts';
import { runWebhook } from './webhook/main.ts';

const usage = `usage: monforge <command> [options]

commands:
  init [--dir DIR] [--force]
                       scaffold a project: package.json, tsconfig.json, definitions/, README section,
                       GitHub Actions and GitLab CI files (existing files are kept unless --force)
  generate [--check]   render generated/ from definitions/ (--check: exit 1 if generated/ is stale)
  check                type-check, compile and validate with promtool and amtool (exit 1 on findings)
${diffUsage}
${backtestUsage}
  coverage [--format markdown|json] [--fail-on missing]
                       every service × signal (SLOs, error ratio, latency, liveness, absent,
                       saturation, playbook, dashboard): covered, opted out (reason) or missing
  routes [label=value …]
                       print the Alertmanager routing tree; with labels, the receivers and routes
                       an alert with those labels reaches, and the inhibit rules that could mute it
  test-alert --alertmanager URL --like ALERTNAME [--service S] [--severity S] [--duration 2m]
                       send a test alert labelled like ALERTNAME (plus test="true") through
                       Alertmanager, show where it goes, and resolve it after the duration
${applyUsage}${webhookUsage}
every command takes --root DIR: the project directory (default: the current one); relative paths are resolved from it
`;

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * A command's arguments, parsed strictly with the options every command shares (`--root`).
 * `root` is absolute: `--root` resolved against `cwd`.
 */
function parseCommand<T extends Options>(args: string[], cwd: string, options: T, allowPositionals = false) {
  const parsed = parseArgs({ args, options: { ...options, root: { type: 'string' } } as T, allowPositionals, strict: true });
  return { ...parsed, root: path.resolve(cwd, (parsed.values as { root?: string }).root ?? '.') };
}

/** Exit codes: 0 ok, 1 findings or invalid definitions, 2 usage error. */
export async function main(argv: string[], cwd = process.cwd()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'init': {
        const { values, root } = parseCommand(rest, cwd, {
          dir: { type: 'string', default: '.' },
          force: { type: 'boolean', default: false },
        });
        const result = await init({ dir: path.resolve(root, values.dir), force: values.force }, cwd);
        if (!result.ok) {
          process.stderr.write(`${result.error}\n`);
          return 1;
        }
        process.stdout.write(`${result.report.join('\n')}\n`);
        return 0;
      }
      case 'generate': {
        const { values, root } = parseCommand(rest, cwd, { check: { type: 'boolean', default: false } });
        const drift = await generate(root, { check: values.check });
        if (drift) {
          process.stderr.write(`${drift}\n`);
          return 1;
        }
        process.stdout.write(values.check ? 'generated/ is up to date\n' : 'generated/ written\n');
        return 0;
      }
      case 'check': {
        const { root } = parseCommand(rest, cwd, {});
        const findings = await check(root);
        for (const finding of findings) process.stderr.write(`${finding}\n`);
        if (findings.length === 0) process.stdout.write('check passed\n');
        return findings.length === 0 ? 0 : 1;
      }
      case 'diff': {
        const { values, root } = parseCommand(rest, cwd, {
          base: { type: 'string' },
          head: { type: 'string' },
          'base-dir': { type: 'string' },
          'head-dir': { type: 'string' },
          format: { type: 'string' },
          output: { type: 'string' },
          'fail-on': { type: 'string' },
          prometheus: { type: 'string' },
          range: { type: 'string' },
        });
        const options = diffOptions(values, root);
        if (typeof options === 'string') {
          process.stderr.write(`${options}\n${usage}`);
          return 2;
        }
        return await diff(root, options, {
          out: (text) => process.stdout.write(text),
          err: (text) => process.stderr.write(text),
          env: process.env,
        });
      }
      case 'backtest': {
        const { values, root } = parseCommand(rest, cwd, backtestArgs);
        const options = backtestOptions(values, root);
        if (typeof options === 'string') {
          process.stderr.write(`${options}\n${usage}`);
          return 2;
        }
        return await runBacktest(root, options, {
          out: (text) => process.stdout.write(text),
          err: (text) => process.stderr.write(text),
          tty: process.stderr.isTTY === true,
        });
      }
      case 'coverage': {
        const { values, root } = parseCommand(rest, cwd, {
          format: { type: 'string', default: 'markdown' },
          'fail-on': { type: 'string' },
        });
        const format = values.format as CoverageFormat;
        const failOn = values['fail-on'];
        if (!coverageFormats.includes(format) || (failOn !== undefined && failOn !== 'missing')) {
          process.stderr.write(`coverage takes --format markdown|json and --fail-on missing\n${usage}`);
          return 2;
        }
        const report = await coverage(root, format);
        process.stdout.write(report.output);
        return failOn === 'missing' && report.missing > 0 ? 1 : 0;
      }
      case 'routes': {
        const { positionals, root } = parseCommand(rest, cwd, {}, true);
        const labels = parseLabelArgs(positionals);
        if (typeof labels === 'string') {
          process.stderr.write(`${labels}\n${usage}`);
          return 2;
        }
        process.stdout.write(await routes(root, labels));
        return 0;
      }
      case 'test-alert': {
        const { values, root } = parseCommand(rest, cwd, {
          alertmanager: { type: 'string' },
          like: { type: 'string' },
          service: { type: 'string' },
          severity: { type: 'string' },
          duration: { type: 'string', default: '2m' },
        });
        const { alertmanager, like, duration } = values;
        if (!alertmanager || !like || !isDuration(duration)) {
          process.stderr.write(`test-alert needs --alertmanager URL, --like ALERTNAME and a --duration like "2m"\n${usage}`);
          return 2;
        }
        return await testAlert(root, { alertmanager, like, service: values.service, severity: values.severity, duration }, (line) =>
          process.stdout.write(`${line}\n`),
        );
      }
      case 'apply': {
        const { values, root } = parseCommand(rest, cwd, applyArgs);
        const request = applyRequest(values, root);
        if (typeof request === 'string') {
          process.stderr.write(`${request}\n${usage}`);
          return 2;
        }
        return await apply(root, request, (line) => process.stdout.write(`${line}\n`));
      }
      case 'webhook': {
        const { values, root } = parseCommand(rest, cwd, webhookArgs);
        const options = webhookOptions(values, root);
        if (typeof options === 'string') {
          process.stderr.write(`${options}\n${usage}`);
          return 2;
        }
        return await runWebhook(options);
      }
      default:
        process.stderr.write(command ? `unknown command "${command}"\n${usage}` : usage);
        return 2;
    }
  } catch (error) {
    if (error instanceof DefinitionErrors) {
      process.stderr.write(`${error.message}\n${error.errors.length} error${error.errors.length === 1 ? '' : 's'} in the definitions\n`);
      return 1;
    }
    if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${error.message}\n${usage}`);
      return 2;
    }
    // A file or folder that is missing or unreadable is the user's to fix: one line, no stack.
    if (error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string') {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
