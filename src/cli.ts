import { parseArgs } from 'node:util';
import { DefinitionErrors } from './load/errors.ts';
import { check } from './run/check.ts';
import { generate } from './run/generate.ts';

const usage = `usage: monforge <command> [options]

commands:
  generate [--check]   render generated/ from definitions/ (--check: exit 1 if generated/ is stale)
  check                type-check, compile and validate with promtool (exit 1 on findings)
`;

/** Exit codes: 0 ok, 1 findings or invalid definitions, 2 usage error. */
export async function main(argv: string[], root = process.cwd()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'generate': {
        const { values } = parseArgs({ args: rest, options: { check: { type: 'boolean', default: false } }, strict: true });
        const drift = await generate(root, { check: values.check });
        if (drift) {
          process.stderr.write(`${drift}\n`);
          return 1;
        }
        process.stdout.write(values.check ? 'generated/ is up to date\n' : 'generated/ written\n');
        return 0;
      }
      case 'check': {
        parseArgs({ args: rest, options: {}, strict: true });
        const findings = await check(root);
        for (const finding of findings) process.stderr.write(`${finding}\n`);
        if (findings.length === 0) process.stdout.write('check passed\n');
        return findings.length === 0 ? 0 : 1;
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
    throw error;
  }
}
