import { playbookFileSchema } from '../load/playbook-file.ts';
import type { FileProblems } from './problems.ts';
import type { PlaybooksFile } from './types.ts';

/** remediation/playbooks.json, validated with the schema the webhook receiver starts with. */
export function parsePlaybooks(path: string, content: string, problems: FileProblems): PlaybooksFile | undefined {
  const json = problems.json(content);
  const read = json === undefined ? undefined : problems.parse(playbookFileSchema, json);
  return read && { path, playbooks: read.playbooks };
}
