import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { type FileProblems, headerSources } from './problems.ts';
import { readRuleGroups } from './rules.ts';
import type { KubernetesFile, KubernetesObject, MimirRulesFile, RuleGroup } from './types.ts';

// The folders of `defineConfig({ targets })`: Kubernetes manifests (any number of objects per
// file) and the Mimir/Cortex ruler file in mimirtool's format.

const objectShape = z
  .object({
    apiVersion: z.string().min(1),
    kind: z.string().min(1),
    metadata: z.object({ name: z.string().min(1), namespace: z.string().optional() }).catchall(z.unknown()),
  })
  .catchall(z.unknown());

export function parseKubernetesFile(path: string, content: string, problems: FileProblems): KubernetesFile {
  const objects: KubernetesObject[] = [];
  const parsed = parseAllDocuments(content);
  const documents = Array.isArray(parsed) ? parsed : [parsed];
  documents.forEach((document, index) => {
    const at = documents.length > 1 ? [`document ${index + 1}`] : [];
    const error = document.errors[0];
    if (error) {
      problems.add(at, `invalid YAML: ${error.message.split('\n')[0]}`);
      return;
    }
    const value: unknown = document.toJS();
    if (value === null || value === undefined) return; // an empty document between `---`
    const read = problems.parse(objectShape, value, at);
    if (read)
      objects.push({
        apiVersion: read.apiVersion,
        kind: read.kind,
        name: read.metadata.name,
        namespace: read.metadata.namespace,
        json: read,
      });
  });
  return { path, sources: headerSources(content), objects };
}

const mimirShape = z.object({ namespace: z.string().min(1), groups: z.array(z.unknown()).nullish() });

export function parseMimirFile(path: string, content: string, problems: FileProblems): MimirRulesFile | undefined {
  const read = problems.parse(mimirShape, problems.yaml(content));
  return read && { path, sources: headerSources(content), namespace: read.namespace, groups: readRuleGroups(read.groups ?? [], problems) };
}

/** A ruler's answer to `GET …/config/v1/rules/{namespace}`: `{ <namespace>: [groups] }`. */
export function parseRulerNamespace(namespace: string, content: string, problems: FileProblems): RuleGroup[] {
  const read = problems.parse(z.record(z.string(), z.array(z.unknown()).nullish()), problems.yaml(content));
  return read ? readRuleGroups(read[namespace] ?? [], problems, [namespace]) : [];
}
