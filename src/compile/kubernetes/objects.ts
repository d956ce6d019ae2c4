import type { DefinitionError } from '../../load/errors.ts';
import { dns1123Subdomain, dns1123SubdomainMax, kib } from '../../model/kubernetes.ts';
import { generatedHeader, toYaml } from '../../output/serialize.ts';

// What every generated Kubernetes object shares: metadata, its name, its file, its size limit.

/** On every object, so `kubectl apply --prune -l app.kubernetes.io/managed-by=monforge` finds exactly ours. */
export const managedByLabel = { 'app.kubernetes.io/managed-by': 'monforge' } as const;

export interface Metadata {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A rendered object: its file under generated/, the definitions it comes from, and who answers for its size. */
export interface KubernetesFile {
  readonly path: string;
  readonly content: string;
  readonly kind: string;
  readonly name: string;
  /** Where an error about this object points: the service's file and name, or the config. */
  readonly owner: Pick<DefinitionError, 'file' | 'path'>;
  readonly limit: { readonly bytes: number; readonly why: string };
}

/** `monforge-<part>-…` with `_` (allowed in monforge names, not in Kubernetes ones) turned into `-`. */
export function objectName(...parts: string[]): string {
  return ['monforge', ...parts].join('-').replaceAll('_', '-');
}

export function renderObject(
  object: { readonly metadata: Metadata } & Record<string, unknown>,
  file: Omit<KubernetesFile, 'content' | 'name'>,
  sources: readonly string[],
): KubernetesFile {
  return { ...file, name: object.metadata.name, content: toYaml(object, generatedHeader([...sources])) };
}

/** Everything wrong with the rendered objects: names Kubernetes refuses, two objects of one name, objects over their limit. */
export function objectProblems(files: readonly KubernetesFile[]): DefinitionError[] {
  const problems: DefinitionError[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const key = `${file.kind}/${file.name}`;
    const other = seen.get(key);
    if (other) problems.push({ ...file.owner, message: `${key} is also the name of the object in ${other}: rename one of them` });
    seen.set(key, file.path);
    if (!dns1123Subdomain.test(file.name) || file.name.length > dns1123SubdomainMax)
      problems.push({
        ...file.owner,
        message: `${key} is not a valid Kubernetes object name (lower-case letters, digits and "-", at most 253)`,
      });
    const bytes = Buffer.byteLength(file.content);
    if (bytes > file.limit.bytes) problems.push({ ...file.owner, message: `${key} is ${kib(bytes)}, over ${file.limit.why}` });
  }
  return problems;
}
