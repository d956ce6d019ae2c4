import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DefinitionErrors } from './load/errors.ts';
import { applyCommand } from './run/apply.ts';
import { backtestCommand } from './run/backtest.ts';
import { checkCommand } from './run/check.ts';
import type { Command, CommandContext, OptionSpec, OptionValues } from './run/command.ts';
import { UsageError } from './run/command.ts';
import { coverageCommand } from './run/coverage.ts';
import { diffCommand } from './run/diff.ts';
import { generateCommand } from './run/generate.ts';
import { commandUsage, commonOptions, overview } from './run/help.ts';
import { importCommand } from './run/import.ts';
import { initCommand } from './run/init.ts';
import { routesCommand } from './run/routes.ts';
import { testAlertCommand } from './run/test-alert.ts';
import { webhookCommand } from './run/webhook.ts';

/** Every command, in the order `monforge --help` lists them. */
export const commands: readonly Command[] = [
  initCommand,
  importCommand,
  generateCommand,
  checkCommand,
  diffCommand,
  backtestCommand,
  applyCommand,
  coverageCommand,
  routesCommand,
  testAlertCommand,
  webhookCommand,
] as Command[];

async function version(): Promise<string> {
  // src/cli.ts and dist/cli.js both sit one folder below the package's root.
  const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

/** The parseArgs options of a command: its own plus `--root` and `--help`, without the help texts. */
function parseOptions(command: Command) {
  return Object.fromEntries(
    Object.entries<OptionSpec>({ ...command.options, ...commonOptions }).map(([name, option]) => [
      name,
      {
        type: option.type,
        ...(option.short && { short: option.short }),
        ...(option.multiple && { multiple: true }),
        ...(option.default !== undefined && { default: option.default }),
      },
    ]),
  );
}

function isParseError(error: unknown): error is TypeError {
  return error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true;
}

/** Exit codes: 0 ok, 1 findings or invalid definitions, 2 usage error. */
export async function main(argv: string[], cwd = process.cwd()): Promise<number> {
  const out = (text: string): void => void process.stdout.write(text);
  const err = (text: string): void => void process.stderr.write(text);
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = commands.find((command) => command.name === rest[0]);
    out(topic ? commandUsage(topic) : overview(commands));
    return 0;
  }
  if (name === '--version' || name === '-v') {
    out(`monforge ${await version()}\n`);
    return 0;
  }
  const command = commands.find((each) => each.name === name);
  if (!command) {
    err(`${name === undefined ? '' : `unknown command "${name}"\n`}${overview(commands)}`);
    return 2;
  }
  try {
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({ args: rest, options: parseOptions(command), allowPositionals: command.positionals !== undefined, strict: true });
    } catch (error) {
      if (isParseError(error)) throw new UsageError(error.message);
      throw error;
    }
    if (parsed.values.help === true) {
      out(commandUsage(command));
      return 0;
    }
    const root = path.resolve(cwd, (parsed.values.root as string | undefined) ?? '.');
    const context: CommandContext = { root, cwd, out, err, env: process.env, tty: process.stderr.isTTY === true };
    return await command.run({ values: parsed.values as OptionValues<typeof command.options>, positionals: parsed.positionals }, context);
  } catch (error) {
    if (error instanceof UsageError) {
      err(`${error.message}\n\n${commandUsage(command)}`);
      return 2;
    }
    if (error instanceof DefinitionErrors) {
      err(`${error.message}\n${error.errors.length} error${error.errors.length === 1 ? '' : 's'} in the definitions\n`);
      return 1;
    }
    // A file or folder that is missing or unreadable is the user's to fix: one line, no stack.
    if (error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string') {
      err(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
