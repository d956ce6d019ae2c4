// `{{ $labels.<name> }}`: the one template form playbooks accept. Everything else between
// braces is rejected, so no template language runs on values an alert controls.

const placeholder = /\{\{(.*?)\}\}/g;
const labelRef = /^\s*\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)\s*$/;

/** Label names a template uses, and the placeholders that are not `{{ $labels.<name> }}`. */
export function templateRefs(text: string): { labels: string[]; invalid: string[] } {
  const labels: string[] = [];
  const invalid: string[] = [];
  for (const [whole, inner] of text.matchAll(placeholder)) {
    const name = labelRef.exec(inner!)?.[1];
    if (name === undefined) invalid.push(whole);
    else labels.push(name);
  }
  return { labels, invalid };
}

/** Replaces each placeholder by `quote(value)`; throws when the alert lacks the label. */
export function renderTemplate(text: string, labels: Readonly<Record<string, string>>, quote: (value: string) => string): string {
  return text.replace(placeholder, (whole, inner: string) => {
    const name = labelRef.exec(inner)?.[1];
    if (name === undefined) throw new Error(`unsupported template ${whole}`);
    const value = labels[name];
    if (value === undefined) throw new Error(`the alert has no label "${name}" for ${whole}`);
    return quote(value);
  });
}

/** For values placed inside a double-quoted PromQL string. */
export function escapePromqlString(value: string): string {
  return value.replace(/[\\"\x00-\x1f\x7f]/g, (c) =>
    c === '\\' || c === '"' ? `\\${c}` : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
