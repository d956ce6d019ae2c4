import { playbookFileSchema } from '../load/playbook-file.ts';
import type { FileProblems } from './problems.ts';
import type { PlaybooksFile } from './types.ts';

/** remediation/playbooks.json, validated with the schema the webhook receiver starts with. */
export function parsePlaybooks(path: string, content: string, problems: FileProblems): PlaybooksFile | undefined {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (error) {
    problems.add([], `invalid JSON: ${(error as Error).message}`);
    return undefined;
  }
  const read = problems.parse(playbookFileSchema, json);
  return read && { path, playbooks: read.playbooks };
}
