import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/index.ts';

// The import graph follows the pipeline (definitions → load → model → compile): what load
// checks and several compilers share lives in src/model/ or src/derive/, below them all; each
// compiler reads the model, never another compiler (compile/index.ts joins them). These rules
// keep it that way; the last test shows each of them firing.

/** Source text by path relative to the repository, with `/` separators. */
type Sources = ReadonlyMap<string, string>;

// `import … from '…'` and `export … from '…'` (one line or several; a clause holds no `;`,
// `(` or `=`, so a statement cannot run on into later code), `import '…'` and `import('…')`.
const importPatterns = [
  /^\s*(?:import|export)\s[^;()=]*?\bfrom\s*['"]([^'"\n]+)['"]/gm,
  /^\s*import\s*['"]([^'"\n]+)['"]/gm,
  /\bimport\(\s*['"]([^'"\n]+)['"]\s*\)/g,
];

/** The files a module imports, relative to the repository; packages and node: builtins left out. */
function importedFiles(file: string, source: string, patterns = importPatterns): string[] {
  const specifiers = patterns.flatMap((pattern) => Array.from(source.matchAll(pattern), (match) => match[1]!));
  return specifiers
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => path.posix.join(path.posix.dirname(file), specifier));
}

const under = (file: string, folder: string): boolean => file.startsWith(`${folder}/`);

/** `src/compile/grafana/x.ts` → `grafana`; undefined outside a target folder (compile/index.ts). */
const compileTarget = (file: string): string | undefined => /^src\/compile\/([^/]+)\//.exec(file)?.[1];

/** Every import that runs against the layers, as `from → to: rule`. */
function layerViolations(sources: Sources): string[] {
  const found: string[] = [];
  for (const [file, source] of sources) {
    for (const target of importedFiles(file, source)) {
      const report = (rule: string): void => void found.push(`${file} → ${target}: ${rule}`);
      if (under(file, 'src/model') && under(target, 'src') && !under(target, 'src/model')) report('the model imports only the model');
      for (const folder of ['src/load', 'src/derive', 'src/promql']) {
        if (under(file, folder) && under(target, 'src/compile')) report(`${folder}/ is below the compilers`);
      }
      if (under(file, 'src/derive') && under(target, 'src/load')) report('src/derive/ is below loading');
      const [from, to] = [compileTarget(file), compileTarget(target)];
      if (from !== undefined && to !== undefined && from !== to)
        report('a compiler imports no other compiler (compile/index.ts joins them)');
    }
  }
  return found;
}

/** Import circles among the files of a folder, each as the files around it. */
function importCircles(sources: Sources, folder: string): string[][] {
  const inFolder = [...sources.keys()].filter((file) => under(file, folder)).sort();
  const edges = new Map(inFolder.map((file) => [file, importedFiles(file, sources.get(file)!).filter((target) => under(target, folder))]));
  const circles: string[][] = [];
  const done = new Set<string>();
  const visit = (file: string, trail: string[]): void => {
    const at = trail.indexOf(file);
    if (at >= 0) return void circles.push(trail.slice(at));
    if (done.has(file)) return;
    for (const next of edges.get(file) ?? []) visit(next, [...trail, file]);
    done.add(file);
  };
  for (const file of inFolder) visit(file, []);
  return circles;
}

/**
 * How src/cli.ts reaches the modules of src/run/ that define a command: each must load only
 * when its command runs (`import()`), so that a command starts without the others' code.
 */
function commandLoading(sources: Sources): { eager: string[]; unreachable: string[] } {
  const commands = [...sources]
    .filter(([file, source]) => under(file, 'src/run') && /\bdefineCommand\(/.test(source))
    .map(([file]) => file);
  const cli = sources.get('src/cli.ts') ?? '';
  const eager = importedFiles('src/cli.ts', cli, importPatterns.slice(0, 2));
  const lazy = importedFiles('src/cli.ts', cli, importPatterns.slice(2));
  return { eager: commands.filter((file) => eager.includes(file)), unreachable: commands.filter((file) => !lazy.includes(file)) };
}

async function repositorySources(): Promise<Sources> {
  const files = (await readdir(path.join(repoRoot, 'src'), { recursive: true })).filter((file) => file.endsWith('.ts')).sort();
  const sources = new Map<string, string>();
  for (const file of files) {
    const relative = path.posix.join('src', file.split(path.sep).join('/'));
    sources.set(relative, await readFile(path.join(repoRoot, relative), 'utf8'));
  }
  return sources;
}

describe('the import graph of src/', () => {
  it('runs down the layers: load and model import no compiler, compilers import no other compiler', async () => {
    const sources = await repositorySources();
    // The scan sees the edges it is meant to police, so an empty answer means something.
    expect(importedFiles('src/load/checks-routing.ts', sources.get('src/load/checks-routing.ts')!)).toContain('src/model/emitted.ts');
    expect(importedFiles('src/compile/index.ts', sources.get('src/compile/index.ts')!)).toContain('src/compile/grafana/index.ts');
    expect(layerViolations(sources)).toEqual([]);
  });

  it('has no import circle in the model', async () => {
    expect(importCircles(await repositorySources(), 'src/model')).toEqual([]);
  });

  it('loads a command of the CLI only when it runs, and reaches every command', async () => {
    const sources = await repositorySources();
    expect(commandLoading(sources)).toEqual({ eager: [], unreachable: [] });
    const commands = new Map([
      ['src/run/init.ts', 'export const initCommand = defineCommand({});\n'],
      ['src/run/routes.ts', 'export const routesCommand = defineCommand({});\n'],
      ['src/run/help.ts', 'export function overview() {}\n'],
    ]);
    const eager = "import { initCommand } from './run/init.ts';\nimport { overview } from './run/help.ts';\n";
    expect(commandLoading(new Map([...commands, ['src/cli.ts', eager]]))).toEqual({
      eager: ['src/run/init.ts'],
      unreachable: ['src/run/init.ts', 'src/run/routes.ts'],
    });
    expect(commandLoading(new Map([...commands, ['src/cli.ts', "const load = () => import('./run/init.ts');\n"]]))).toEqual({
      eager: [],
      unreachable: ['src/run/routes.ts'],
    });
  });

  it('reports every kind of violation, and not the imports the layers allow', () => {
    const sources: Sources = new Map([
      [
        'src/load/checks.ts',
        "import { emittedAlerts } from '../compile/prometheus/emitted.ts';\nimport type { Service } from '../model/service.ts';\n",
      ],
      [
        'src/model/service.ts',
        "import type {\n  Rule,\n  RuleGroup,\n} from '../compile/prometheus/rules.ts';\nimport { x } from './alert.ts';\n",
      ],
      [
        'src/model/alert.ts',
        "export { series } from '../derive/test-series.ts';\nimport { z } from 'zod';\nimport type { Service } from './service.ts';\n",
      ],
      ['src/derive/test-series.ts', "import '../load/load.ts';\nconst later = await import('../compile/grafana/layout.ts');\n"],
      [
        'src/compile/grafana/links.ts',
        "import { alertPanelId } from './layout.ts';\nimport { burnAlertName } from '../prometheus/names.ts';\n",
      ],
      [
        'src/compile/prometheus/index.ts',
        "import { renderSelector } from '../../promql/render.ts';\nimport { serviceLayout } from '../../derive/dashboard-layout.ts';\n",
      ],
      [
        'src/compile/index.ts',
        "import { compileGrafana } from './grafana/index.ts';\nimport { compilePrometheus } from './prometheus/index.ts';\n",
      ],
      [
        'src/run/generate.ts',
        "import { compile } from '../compile/index.ts';\nimport { serviceRuleGroups } from '../compile/prometheus/service-rules.ts';\n",
      ],
    ]);
    expect(layerViolations(sources)).toEqual([
      'src/load/checks.ts → src/compile/prometheus/emitted.ts: src/load/ is below the compilers',
      'src/model/service.ts → src/compile/prometheus/rules.ts: the model imports only the model',
      'src/model/alert.ts → src/derive/test-series.ts: the model imports only the model',
      'src/derive/test-series.ts → src/load/load.ts: src/derive/ is below loading',
      'src/derive/test-series.ts → src/compile/grafana/layout.ts: src/derive/ is below the compilers',
      'src/compile/grafana/links.ts → src/compile/prometheus/names.ts: a compiler imports no other compiler (compile/index.ts joins them)',
    ]);
    expect(importCircles(sources, 'src/model')).toEqual([['src/model/alert.ts', 'src/model/service.ts']]);
  });
});
