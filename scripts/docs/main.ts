// `npm run docs`: writes the generated references under docs/reference/ (definitions, CLI,
// findings); `--check` only says which are stale (the test suite runs it, as for generated/).
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { allCommands } from '../../src/cli.ts';
import { findingKinds } from '../../src/findings/catalog/index.ts';
import { renderCli } from './cli.ts';
import { renderDefinitions } from './definitions.ts';
import { publicApi } from './exports.ts';
import { examplesById, renderFindings } from './findings.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');

/**
 * Lines monforge really printed, as its tests assert them: every line of the bad-definition
 * fixtures' expected.txt, then every string literal (single- or double-quoted) in test/ that ends with a finding id.
 */
async function printedLines(): Promise<string[]> {
  const bad = path.join(repoRoot, 'test/fixtures/bad');
  const fixtures = (await readdir(bad, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  const lines: string[] = [];
  for (const fixture of fixtures.sort()) {
    const text = await readFile(path.join(bad, fixture, 'expected.txt'), 'utf8').catch(() => '');
    lines.push(...text.split('\n').filter(Boolean));
  }
  const tests = (await readdir(path.join(repoRoot, 'test'), { recursive: true })).filter((file) => file.endsWith('.test.ts')).sort();
  for (const file of tests) {
    const source = await readFile(path.join(repoRoot, 'test', file), 'utf8');
    for (const match of source.matchAll(/(['"])((?:(?!\1)[^\\\n]|\\.)* \[[a-z-]+\/[a-z-]+\])\1/g))
      lines.push(match[2]!.replace(/\\(.)/g, '$1'));
  }
  return lines;
}

/** Each generated reference: its path and its text. */
export async function references(): Promise<Map<string, string>> {
  const api = [...(await publicApi(repoRoot, 'src/index.ts')), ...(await publicApi(repoRoot, 'src/instrument/index.ts'))];
  return new Map([
    ['docs/reference/definitions.md', renderDefinitions(api)],
    ['docs/reference/cli.md', renderCli(await allCommands())],
    ['docs/reference/findings.md', renderFindings(findingKinds, examplesById(await printedLines()))],
  ]);
}

/** The references whose file differs from what the code says. */
export async function staleReferences(): Promise<string[]> {
  const stale: string[] = [];
  for (const [file, text] of await references()) {
    const onDisk = await readFile(path.join(repoRoot, file), 'utf8').catch(() => undefined);
    if (onDisk !== text) stale.push(file);
  }
  return stale;
}

if (process.argv[1] === import.meta.filename) {
  if (process.argv.includes('--check')) {
    const stale = await staleReferences();
    for (const file of stale) process.stderr.write(`stale: ${file} (run \`npm run docs\`)\n`);
    process.exitCode = stale.length > 0 ? 1 : 0;
  } else {
    for (const [file, text] of await references()) await writeFile(path.join(repoRoot, file), text);
  }
}
