import { findingKind } from '../kind.ts';

// The output targets `defineConfig({ targets })` enables, checked when they are compiled.

export const objectNameTaken = findingKind(
  {
    id: 'targets/object-name-taken',
    title: 'Two Kubernetes objects of one name',
    cause: 'Object names derive from service and team names (`_` becomes `-`), so two names can collide.',
    fix: 'Rename one of the services or teams.',
  },
  (object: string, other: string) => `${object} is also the name of the object in ${other}: rename one of them`,
);

export const invalidObjectName = findingKind(
  {
    id: 'targets/invalid-object-name',
    title: 'A name Kubernetes refuses',
    cause: 'Kubernetes object names are DNS-1123 subdomains: lower-case letters, digits, "-" and ".", at most 253 characters.',
    fix: 'Shorten or rename the service, team or namespace the name comes from.',
  },
  (object: string) => `${object} is not a valid Kubernetes object name (lower-case letters, digits and "-", at most 253)`,
);

export const objectTooLarge = findingKind(
  {
    id: 'targets/object-too-large',
    title: 'An object over its size limit',
    cause: 'The Prometheus Operator refuses PrometheusRules over 512 KiB, and Kubernetes objects over 1 MiB.',
    fix: 'Split the service (its rules are one object), or move rules to another service.',
  },
  (name: string, problem: string) => `${name}: ${problem}`,
);
