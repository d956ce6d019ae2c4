// How init extends files a project already has, instead of skipping or overwriting them:
// it only adds, so nothing of the project's is lost.

/** The result of a merge: the new text and what was added (empty: nothing to do). */
export interface Merged {
  readonly text: string;
  readonly added: readonly string[];
}

type Json = Record<string, unknown>;

// npm init's placeholder test script counts as no test script.
const npmInitTest = 'echo "Error: no test specified" && exit 1';

const dependencyFields = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'];

/**
 * package.json: the template's scripts where the project has none of that name, and the
 * monforge dependency unless it already depends on monforge (any spec, e.g. a tarball).
 * "type" stays as it is: definitions load as ES modules whatever it says, and changing it
 * would change how the project's own .js files load. Throws on invalid JSON.
 */
export function mergePackageJson(existing: string, template: string): Merged {
  let project: Json;
  try {
    project = JSON.parse(existing) as Json;
  } catch (error) {
    throw new Error(`not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof project !== 'object' || project === null || Array.isArray(project)) throw new Error('not a JSON object');
  const wanted = JSON.parse(template) as { scripts: Record<string, string>; dependencies: Record<string, string> };
  const added: string[] = [];
  const scripts = { ...((project.scripts as Record<string, string> | undefined) ?? {}) };
  for (const [name, command] of Object.entries(wanted.scripts)) {
    if (scripts[name] !== undefined && scripts[name] !== npmInitTest) continue;
    scripts[name] = command;
    added.push(`script ${name}`);
  }
  const dependencies = { ...((project.dependencies as Record<string, string> | undefined) ?? {}) };
  for (const [name, spec] of Object.entries(wanted.dependencies)) {
    if (dependencyFields.some((field) => (project[field] as Record<string, string> | undefined)?.[name] !== undefined)) continue;
    dependencies[name] = spec;
    added.push(`dependency ${name}@${spec}`);
  }
  if (added.length === 0) return { text: existing, added };
  const merged = { ...project, scripts, ...(Object.keys(dependencies).length > 0 && { dependencies }) };
  return { text: `${JSON.stringify(merged, null, 2)}\n`, added };
}

/** README.md, .gitignore: the template is appended unless the file already holds its first line. */
export function appendSection(existing: string, template: string): Merged {
  const first = template.split('\n', 1)[0]!;
  if (existing.split('\n').includes(first)) return { text: existing, added: [] };
  const separator = existing === '' || existing.endsWith('\n\n') ? '' : existing.endsWith('\n') ? '\n' : '\n\n';
  return { text: `${existing}${separator}${template}`, added: [`"${first.replace(/^#+\s*/, '')}"`] };
}
