import { readFile } from 'node:fs/promises';
import { escalationAlertName, playbookProblems } from '../load/checks-playbook.ts';
import { namedPath } from '../load/zod-path.ts';
import { playbookFileSchema, type CompiledPlaybook } from '../load/playbook-file.ts';

/** Why the receiver refuses to start: every problem, one per line. */
export class StartupError extends Error {
  override name = 'StartupError';
}

/**
 * Reads and validates generated/remediation/playbooks.json with the compiler's own schema and
 * checks: a file edited by hand, truncated or from another version stops the receiver here
 * rather than misbehaving at the first alert.
 */
export async function loadPlaybooks(file: string): Promise<CompiledPlaybook[]> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new StartupError(`cannot read playbooks from ${file}: ${(error as Error).message}`);
  }
  const parsed = playbookFileSchema.safeParse(data);
  const problems = parsed.success
    ? parsed.data.playbooks.flatMap((playbook, index, all) => [
        ...playbookProblems(playbook).map((problem) => [`playbook "${playbook.name}"`, ...problem.path, problem.said.text]),
        ...(all.findIndex((other) => other.name === playbook.name) < index
          ? [[`playbook "${playbook.name}"`, 'duplicate playbook name']]
          : []),
      ])
    : parsed.error.issues.map((issue) => [...issuePath(data, issue.path), issue.message]);
  if (problems.length > 0) {
    const lines = problems.map((parts) => `${file}: ${parts.slice(0, -1).join(' › ')}${parts.length > 1 ? ': ' : ''}${parts.at(-1)}`);
    throw new StartupError(`invalid playbooks file (run \`npx monforge generate\`):\n${lines.join('\n')}`);
  }
  return parsed.data!.playbooks;
}

/** `playbook "restart" › action "x" › timeout` for an issue under `playbooks[n]`. */
function issuePath(data: unknown, path: readonly PropertyKey[]): string[] {
  const [top, index, ...rest] = path;
  if (top !== 'playbooks' || typeof index !== 'number') return namedPath(data, path);
  const playbook = (data as { playbooks: unknown[] }).playbooks[index] as { name?: unknown } | undefined;
  return [typeof playbook?.name === 'string' ? `playbook "${playbook.name}"` : `playbook #${index + 1}`, ...namedPath(playbook, rest)];
}

/**
 * The playbooks whose match selects an alert's labels, in file order; never for the receiver's
 * own escalation alert. The matchers are built once, not per alert.
 */
export function playbookMatcher(playbooks: readonly CompiledPlaybook[]): (labels: Readonly<Record<string, string>>) => CompiledPlaybook[] {
  const matchers = playbooks.map((playbook) => ({ playbook, match: Object.entries(playbook.match) }));
  return (labels) => {
    const found: CompiledPlaybook[] = [];
    if (labels.alertname === escalationAlertName) return found;
    for (const { playbook, match } of matchers) if (selects(match, labels)) found.push(playbook);
    return found;
  };
}

function selects(match: readonly [string, string][], labels: Readonly<Record<string, string>>): boolean {
  for (const [label, value] of match) if (labels[label] !== value) return false;
  return true;
}
