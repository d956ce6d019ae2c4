import { findingKind } from '../kind.ts';

// The shape of a definition: fields, types and values as the types in src/model/ describe them.
// A definition that compiles with tsc rarely gets these; JavaScript or `as any` does.

export const unknownField = findingKind(
  {
    id: 'schema/unknown-field',
    title: 'A field the definition does not have',
    cause: 'A misspelt field, or one from a newer or older monforge: it would be ignored, so it is refused.',
    fix: 'Use one of the fields the message lists (the type in your editor shows them too).',
  },
  (fields: readonly string[], known: readonly string[]) =>
    `unknown field${fields.length > 1 ? 's' : ''} ${fields.map((field) => `"${field}"`).join(', ')}${known.length > 0 ? ` (fields: ${known.join(', ')})` : ''}`,
);

export const wrongType = findingKind(
  {
    id: 'schema/wrong-type',
    title: 'A field of the wrong type',
    cause: "A value whose type differs from the definition's type: a number as a string, a missing required field.",
    fix: 'Give the field a value of the type the message names.',
  },
  (expected: string, received: string) => (received === 'undefined' ? `is required (${expected})` : `must be ${expected}, not ${received}`),
);

export const invalidValue = findingKind(
  {
    id: 'schema/invalid-value',
    title: 'A value the field does not accept',
    cause:
      'The value has the right type but not an accepted form: a duration like "5 minutes", a name with capitals, a number out of range.',
    fix: 'Write the value in the form the message gives.',
  },
  (problem: string) => problem,
);

export const inlineSecret = findingKind(
  {
    id: 'secrets/inline',
    title: 'A secret written into a definition',
    cause:
      'A credential in a URL (user:password, a token query parameter) or an inline key would be committed to git and copied into generated files.',
    fix: "Put the secret in a file on the Alertmanager host and reference it with the field's `*File` form (credentialsFile, apiUrlFile, routingKeyFile).",
  },
  (problem: string) => `inline secrets are not allowed: ${problem}`,
);
