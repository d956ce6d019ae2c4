import { invalidObjectName, objectNameTaken, objectTooLarge } from '../../findings/catalog/targets.ts';
import { definitionError, type DefinitionError } from '../../load/errors.ts';
import { dns1123Subdomain, dns1123SubdomainMax, objectSizeProblem } from '../../model/kubernetes.ts';
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

/** A rendered object: its file under generated/ and who answers for it. */
export interface KubernetesFile {
  readonly path: string;
  readonly content: string;
  readonly kind: string;
  readonly name: string;
  /** Where an error about this object points: the service's file and name, or the config. */
  readonly owner: Pick<DefinitionError, 'file' | 'path'>;
  /** Why it is too large to apply, if it is. */
  readonly tooLarge: string | undefined;
}

/** `monforge-<part>-…` with `_` (allowed in monforge names, not in Kubernetes ones) turned into `-`. */
export function objectName(...parts: string[]): string {
  return ['monforge', ...parts].join('-').replaceAll('_', '-');
}

export function renderObject(
  object: { readonly kind: string; readonly metadata: Metadata } & Record<string, unknown>,
  file: Pick<KubernetesFile, 'path' | 'owner'>,
  sources: readonly string[],
): KubernetesFile {
  return {
    ...file,
    kind: object.kind,
    name: object.metadata.name,
    content: toYaml(object, generatedHeader([...sources])),
    tooLarge: objectSizeProblem(object.kind, object),
  };
}

/** Everything wrong with the rendered objects: names Kubernetes refuses, two objects of one name, objects over their limit. */
export function objectProblems(files: readonly KubernetesFile[]): DefinitionError[] {
  const problems: DefinitionError[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const key = `${file.kind}/${file.name}`;
    const other = seen.get(key);
    if (other) problems.push(definitionError(file.owner.file, file.owner.path, objectNameTaken(key, other)));
    seen.set(key, file.path);
    if (!dns1123Subdomain.test(file.name) || file.name.length > dns1123SubdomainMax)
      problems.push(definitionError(file.owner.file, file.owner.path, invalidObjectName(key)));
    if (file.tooLarge) problems.push(definitionError(file.owner.file, file.owner.path, objectTooLarge(file.name, file.tooLarge)));
  }
  return problems;
}
