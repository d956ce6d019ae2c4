import type { Command, OptionSpec, OptionSpecs } from './command.ts';

// The text of `monforge --help` and `monforge <command> --help`, from the command table.

/** Options every command takes, added by the CLI. */
export const commonOptions = {
  root: { type: 'string', value: 'DIR', description: 'the project directory (default: the current one); relative paths resolve from it' },
  help: { type: 'boolean', short: 'h', description: "print this command's usage and exit" },
} as const satisfies OptionSpecs;

const width = 100;

/** Words of `text`, a bracketed group counting as one, in lines of at most `width` characters, each starting with `indent`. */
export function wrap(text: string, indent: string, first = indent): string {
  const lines: string[] = [];
  let line = '';
  const lead = (): string => (lines.length === 0 ? first : indent);
  for (const word of words(text)) {
    if (line && lead().length + line.length + 1 + word.length > width) {
      lines.push(lead() + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(lead() + line);
  return lines.join('\n');
}

function words(text: string): string[] {
  const found: string[] = [];
  let depth = 0;
  for (const piece of text.split(/\s+/).filter(Boolean)) {
    if (depth > 0) found[found.length - 1] += ` ${piece}`;
    else found.push(piece);
    depth += (piece.match(/\[/g)?.length ?? 0) - (piece.match(/\]/g)?.length ?? 0);
  }
  return found;
}

/** `--name VALUE` as it reads in help. */
export const optionLabel = (name: string, option: OptionSpec): string =>
  `${option.short ? `-${option.short}, ` : ''}--${name}${option.type === 'boolean' ? '' : ` ${option.value ?? 'VALUE'}`}`;

/** `(default: x)` where a default is worth saying. */
export const optionDefault = (option: OptionSpec): string =>
  typeof option.default === 'string' && !option.description.includes('default') ? ` (default: ${option.default})` : '';

/** One command's usage: synopsis, summary, details and every option. */
export function commandUsage(command: Command): string {
  const options = { ...command.options, ...commonOptions };
  const labels = Object.entries(options).map(([name, option]) => [optionLabel(name, option), option] as const);
  const column = Math.min(32, Math.max(...labels.map(([label]) => label.length)) + 4);
  const rows = labels.map(([label, option]) => {
    const text = `${option.description}${optionDefault(option)}`;
    return label.length + 4 > column
      ? `  ${label}\n${wrap(text, ' '.repeat(column))}`
      : wrap(text, ' '.repeat(column), `  ${label.padEnd(column - 2)}`);
  });
  const prefix = `usage: monforge ${command.name} `;
  return [
    wrap(command.synopsis || '', ' '.repeat(prefix.length), prefix) || prefix.trimEnd(),
    '',
    wrap(`${command.summary[0]!.toUpperCase()}${command.summary.slice(1)}.`, ''),
    ...(command.details ? ['', wrap(command.details, '')] : []),
    '',
    'options:',
    ...rows,
    '',
  ].join('\n');
}

/** `monforge --help`: every command and its summary. */
export function overview(commands: readonly Command[]): string {
  const column = Math.max(...commands.map((command) => command.name.length)) + 4;
  return [
    'usage: monforge <command> [options]',
    '',
    'commands:',
    ...commands.map((command) => wrap(command.summary, ' '.repeat(column), `  ${command.name.padEnd(column - 2)}`)),
    '',
    'Every command takes --root DIR (the project directory, default: the current one) and --help.',
    '`monforge <command> --help` prints its options; `monforge --version` the version.',
    'Exit codes: 0 ok, 1 findings or invalid definitions, 2 usage error.',
    '',
  ].join('\n');
}
