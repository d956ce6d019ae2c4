import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DefinitionErrors } from './load/errors.ts';
import type { Command, CommandContext, OptionSpec, OptionValues } from './run/command.ts';
import { UsageError } from './run/command.ts';
import { commandUsage, commonOptions, overview } from './run/help.ts';

/**
 * Every command by name, in the order `monforge --help` lists them. A command's module (and
 * what it imports) loads only when it runs: a command starts without the code of the others,
 * half a second less at every start.
 */
const commandModules: readonly (readonly [string, () => Promise<Command>])[] = [
  ['init', async () => (await import('./run/init.ts')).initCommand as Command],
  ['import', async () => (await import('./run/import.ts')).importCommand as Command],
  ['generate', async () => (await import('./run/generate.ts')).generateCommand as Command],
  ['check', async () => (await import('./run/check.ts')).checkCommand as Command],
  ['diff', async () => (await import('./run/diff.ts')).diffCommand as Command],
  ['backtest', async () => (await import('./run/backtest.ts')).backtestCommand as Command],
  ['apply', async () => (await import('./run/apply.ts')).applyCommand as Command],
  ['coverage', async () => (await import('./run/coverage.ts')).coverageCommand as Command],
  ['routes', async () => (await import('./run/routes.ts')).routesCommand as Command],
  ['test-alert', async () => (await import('./run/test-alert.ts')).testAlertCommand as Command],
  ['webhook', async () => (await import('./run/webhook.ts')).webhookCommand as Command],
];

/** The command named `name`, loaded; undefined for a name that is none. */
function loadCommand(name: string | undefined): Promise<Command | undefined> {
  return commandModules.find(([each]) => each === name)?.[1]() ?? Promise.resolve(undefined);
}

/**
 * Loads the module of the command `argv` runs, so that bin/monforge.js can load it before the
 * TypeScript hooks are registered: every module loaded after them is a round trip to the hooks'
 * thread (a third of a second for generate's).
 */
export async function preload(argv: readonly string[]): Promise<void> {
  await loadCommand(argv[0]);
}

/** Every command, loaded, in the order `monforge --help` lists them. */
export async function allCommands(): Promise<Command[]> {
  return Promise.all(commandModules.map(([, load]) => load()));
}

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
    const topic = await loadCommand(rest[0]);
    out(topic ? commandUsage(topic) : overview(await allCommands()));
    return 0;
  }
  if (name === '--version' || name === '-v') {
    out(`monforge ${await version()}\n`);
    return 0;
  }
  const command = await loadCommand(name);
  if (!command) {
    err(`${name === undefined ? '' : `unknown command "${name}"\n`}${overview(await allCommands())}`);
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
