import { findingKind } from '../kind.ts';

// Loading the definition files themselves: importing them, finding their exports, names that
// must be unique, and the data files next to them.

export const importFailed = findingKind(
  {
    id: 'definitions/import-failed',
    title: 'A definition file cannot be imported',
    cause: 'Running the file threw: a syntax error, a missing module, or code that reads something absent (an environment variable).',
    fix: 'Run the file on its own (`npx tsx definitions/x.ts`) and fix what it throws; definitions should not depend on the environment.',
  },
  (reason: string) => `cannot be imported: ${reason}`,
);

export const notExported = findingKind(
  {
    id: 'definitions/not-exported',
    title: 'A definition is made but not exported',
    cause:
      'A define* call ran while loading, but no export reaches its result: it was made in a loop and dropped, or is held in a Map, a Set or a class instance. Without the check the service would silently have no monitoring.',
    fix: 'Export it, or an array or plain object holding it (`export const fleet = names.map(...)`); delete it if it is not wanted.',
  },
  (what: string, line: number | undefined) =>
    `${what}${line === undefined ? '' : ` made on line ${line}`} is not exported, so it is not loaded: export it, or an array or plain object that holds it (not a Map, a Set or a class instance)`,
);

export const noDefinitions = findingKind(
  {
    id: 'definitions/none',
    title: 'No definition files',
    cause: 'The definitions folder has no `.ts` or `.mts` file (or does not exist): the command runs in the wrong folder.',
    fix: 'Run `npx monforge init` to scaffold a project, or pass `--root DIR` pointing at the project.',
  },
  (folder: string) => `no definition files (*.ts, *.mts) in ${folder}: run \`npx monforge init\`, or pass --root DIR`,
);

export const noConfig = findingKind(
  {
    id: 'definitions/no-config',
    title: 'No defineConfig export',
    cause:
      'Every project has exactly one `defineConfig(...)`: it holds the settings every generated file shares (the runbook base URL first).',
    fix: 'Export `defineConfig({ runbookBaseUrl })` from one definitions file (`init` writes `definitions/platform.ts`).',
  },
  () => 'no defineConfig(...) export found (it sets the runbook base URL)',
);

export const secondSingleton = findingKind(
  {
    id: 'definitions/second-singleton',
    title: 'A definition that may exist once is defined twice',
    cause: '`defineConfig`, `defineRouting` and `defineResources` each describe the whole platform; two would contradict each other.',
    fix: 'Keep one and merge the other into it.',
  },
  (call: string, first: string) => `a second ${call}(...) (the first is in ${first})`,
);

export const duplicateName = findingKind(
  {
    id: 'definitions/duplicate-name',
    title: 'Two definitions of one name',
    cause:
      'Names become rule files, label values, receiver and alert names: two services, teams, playbooks, policies, SLOs of a service, alerts of a service or actions of a playbook with one name would overwrite each other.',
    fix: 'Rename one of them.',
  },
  (what: string, name: string, first?: string) =>
    `duplicate ${what} name "${name}"${first === undefined ? '' : ` (first defined in ${first})`}`,
);

export const reservedName = findingKind(
  {
    id: 'definitions/reserved-name',
    title: 'A service name monforge uses for its own files',
    cause: "Platform-wide rule files (the health score, the remediation outcomes) have names a service's files would collide with.",
    fix: 'Choose another service name.',
  },
  (name: string, owner: string) => `"${name}" is reserved for ${owner}; choose another name`,
);

export const dataFileInvalid = findingKind(
  {
    id: 'definitions/data-file-invalid',
    title: 'A data file of the definitions cannot be read',
    cause: '`definitions/events.json` is not valid JSON, is larger than 1 MiB, or cannot be read.',
    fix: "Fix the JSON at the line and column given (or the file's permissions); a generator writing the file should write JSON.",
  },
  (problem: string) => problem,
);
