// A command is a unit: its name, a one-line summary, its synopsis and options (each with the
// line `--help` and docs/reference/cli.md print), and `run`. src/cli.ts is a table of them.

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  /** A one-letter alias, e.g. `h` for `-h`. */
  readonly short?: string;
  readonly default?: string | boolean;
  /** The value's placeholder in help, e.g. `URL`. */
  readonly value?: string;
  readonly description: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** What node:util parseArgs gives for options like these. */
export type OptionValues<O extends OptionSpecs> = {
  [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : O[K]['multiple'] extends true ? string[] : string;
};

/** Where a command runs and writes. */
export interface CommandContext {
  /** The project directory: `--root`, resolved against the working directory. */
  readonly root: string;
  readonly cwd: string;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stderr is a terminal (progress bars). */
  readonly tty: boolean;
}

export interface CommandArgs<O extends OptionSpecs> {
  readonly values: OptionValues<O>;
  readonly positionals: readonly string[];
}

export interface Command<O extends OptionSpecs = OptionSpecs> {
  readonly name: string;
  /** One line, for `monforge --help` and the CLI reference. */
  readonly summary: string;
  /** The arguments after the command's name, e.g. `[--check]`. */
  readonly synopsis: string;
  /** Paragraphs after the synopsis in `monforge <command> --help`. */
  readonly details?: string;
  readonly options: O;
  /** The positional arguments, e.g. `label=value …`; without, none are allowed. */
  readonly positionals?: string;
  /** Exit code: 0 ok, 1 findings; a `UsageError` exits 2 with this command's usage. */
  run(args: CommandArgs<O>, context: CommandContext): Promise<number>;
}

/** Arguments that do not fit the command: printed with its usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Keeps the option keys' literal types, so `run` sees its own values typed. */
export const defineCommand = <O extends OptionSpecs>(command: Command<O>): Command<O> => command;

/** A usage message (`parseOptions`'s string results) as a thrown `UsageError`. */
export function orUsage<T>(parsed: T | string): T {
  if (typeof parsed === 'string') throw new UsageError(parsed);
  return parsed;
}
