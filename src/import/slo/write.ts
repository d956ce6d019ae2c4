import type { ServiceTier } from '../../model/service.ts';
import type { LabelMatcher } from '../../promql/parse.ts';
import { ownMatchers, type ImportPlan, type MetricPlan, type ServicePlan } from './plan.ts';
import type { SelectorSpec } from './sli.ts';
import type { ImportedSlo, ImportedTier } from './types.ts';

// The TypeScript a person would have typed for the imported SLOs: each metric declared once,
// one file per service (with the specs it came from), the helpers' own spelling of every
// matcher and bound, and what did not carry over as a comment above its SLO.

export interface WriteOptions {
  /** The team that owns the imported services (it must be defined). */
  readonly team: string;
  readonly tier?: ServiceTier;
  /** Where definitions import monforge from: `'monforge'` in a project. */
  readonly module?: string;
}

/** Identifiers TypeScript or the definitions' imports already use. */
const taken = new Set([
  'any',
  'string',
  'number',
  'default',
  'delete',
  'new',
  'class',
  'function',
  'const',
  'let',
  'var',
  'import',
  'export',
  'select',
  're',
  'not',
  'notRe',
  'counter',
  'gauge',
  'histogram',
  'defineService',
  'ratioSlo',
  'latencySlo',
  'gaugeSlo',
]);

/** `http_request_duration_seconds_count` → `httpRequestDurationSecondsCount`. */
export function camelCase(name: string): string {
  const words = name.split(/[^a-zA-Z0-9]+/).filter(Boolean);
  const joined = words
    .map((word, index) => (index === 0 ? word[0]!.toLowerCase() + word.slice(1) : word[0]!.toUpperCase() + word.slice(1)))
    .join('');
  return /^[0-9]/.test(joined) || joined === '' ? `m${joined}` : joined;
}

/** A single-quoted TypeScript string. */
export const tsString = (value: string): string =>
  `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;

const tsKey = (key: string): string => (/^[a-zA-Z_$][a-zA-Z0-9_$]*$/.test(key) ? key : tsString(key));

const tsRecord = (record: Readonly<Record<string, string>>): string =>
  `{ ${Object.entries(record)
    .map(([key, value]) => `${tsKey(key)}: ${tsString(value)}`)
    .join(', ')} }`;

const helpers: Record<LabelMatcher['op'], string | undefined> = { '=': undefined, '!=': 'not', '=~': 're', '!~': 'notRe' };

/** Variable names for the metrics and services, unique across the files written. */
function variables(plan: ImportPlan): { metric: (name: string) => string; service: (name: string) => string } {
  const used = new Set(taken);
  const claim = (wanted: string, suffix: string): string => {
    let name = used.has(wanted) ? `${wanted}${suffix}` : wanted;
    for (let n = 2; used.has(name); n += 1) name = `${wanted}${suffix}${n}`;
    used.add(name);
    return name;
  };
  const services = new Map(plan.services.map((service) => [service.name, claim(camelCase(service.name), 'Service')]));
  const metrics = new Map([...plan.metrics.keys()].sort().map((name) => [name, claim(camelCase(name), 'Metric')]));
  return { metric: (name) => metrics.get(name)!, service: (name) => services.get(name)! };
}

function metricDeclaration(metric: MetricPlan, variable: string, sources: readonly string[]): string {
  const fields = [`name: ${tsString(metric.name)}`, `help: ${tsString(`Imported from ${sources.join(', ')}.`)}`];
  if (metric.labels.length > 0) fields.push(`labels: [${metric.labels.map(tsString).join(', ')}]`);
  // The specs show a histogram's latency thresholds only; its other buckets are the exporter's.
  if (metric.kind === 'histogram') fields.push(`buckets: [${metric.buckets.join(', ')}]`);
  return `export const ${variable} = ${metric.kind}({ ${fields.join(', ')} });`;
}

function selectorText(selector: SelectorSpec, service: ServicePlan, variable: string, used: Set<string>): string {
  const matchers = ownMatchers(selector, service.selector).filter((m) => m.label !== 'le');
  if (matchers.length === 0) return `select(${variable})`;
  const fields = matchers.map((m) => {
    const helper = helpers[m.op];
    if (helper) used.add(helper);
    return `${tsKey(m.label)}: ${helper ? `${helper}(${tsString(m.value)})` : tsString(m.value)}`;
  });
  return `select(${variable}, { ${fields.join(', ')} })`;
}

function tierText(tier: ImportedTier): string {
  const fields: string[] = [];
  if (tier.disabled) fields.push('disabled: true');
  if (tier.for) fields.push(`for: ${tsString(tier.for)}`);
  if (tier.labels) fields.push(`labels: ${tsRecord(tier.labels)}`);
  if (tier.annotations) fields.push(`annotations: ${tsRecord(tier.annotations)}`);
  return `{ ${fields.join(', ')} }`;
}

function sloText(slo: ImportedSlo, service: ServicePlan, metric: (name: string) => string, used: Set<string>): string {
  const select = (selector: SelectorSpec): string => selectorText(selector, service, metric(selector.metric), used);
  used.add('select');
  const fields = [`name: ${tsString(slo.name)}`];
  if (slo.description !== undefined) fields.push(`description: ${tsString(slo.description)}`);
  fields.push(`objective: ${slo.objective}`);
  if (slo.window !== undefined) fields.push(`window: ${tsString(slo.window)}`);
  const { sli } = slo;
  let helper: string;
  if (sli.kind === 'latency') {
    helper = 'latencySlo';
    fields.push(`histogram: ${select(sli.histogram)}`, `threshold: ${sli.threshold}`);
  } else if (sli.kind === 'gauge') {
    helper = 'gaugeSlo';
    fields.push(`gauge: ${select(sli.gauge)}`, `good: { ${sli.good.kind}: ${sli.good.value} }`);
  } else {
    helper = 'ratioSlo';
    fields.push('errors' in sli ? `errors: ${select(sli.errors)}` : `good: ${select(sli.good)}`, `total: ${select(sli.total)}`);
  }
  used.add(helper);
  if (slo.labels) fields.push(`labels: ${tsRecord(slo.labels)}`);
  if (slo.alertName !== undefined) fields.push(`alertName: ${tsString(slo.alertName)}`);
  if (slo.annotations) fields.push(`annotations: ${tsRecord(slo.annotations)}`);
  if (slo.tiers) {
    const tiers = (['page', 'ticket'] as const).flatMap((tier) => (slo.tiers![tier] ? [`${tier}: ${tierText(slo.tiers![tier]!)}`] : []));
    fields.push(`tiers: { ${tiers.join(', ')} }`);
  }
  return `    ${helper}({\n${fields.map((field) => `      ${field},\n`).join('')}    }),`;
}

/** `file: object: message` → `message`, for a comment beside the object it concerns. */
const noteText = (note: string, slo: ImportedSlo): string => note.slice(`${slo.origin.file}: ${slo.origin.object}: `.length);

/**
 * The definition files of an import plan, relative to the output folder: `<service>.ts` per
 * service, and `metrics.ts` for the metrics several services read.
 */
export function writeDefinitions(plan: ImportPlan, options: WriteOptions): Map<string, string> {
  const module = options.module ?? 'monforge';
  const names = variables(plan);
  const files = new Map<string, string>();
  const shared = [...plan.metrics.values()].filter((metric) => metric.services.length > 1).sort((a, b) => (a.name < b.name ? -1 : 1));
  const sourcesOf = (metric: MetricPlan): string[] => [
    ...new Set(plan.services.filter((service) => metric.services.includes(service.name)).flatMap((service) => service.sources)),
  ];
  // Metrics several services read: in a file of their own, named apart from every service's.
  const metricsFile = plan.services.some((service) => service.name === 'metrics') ? 'shared-metrics.ts' : 'metrics.ts';
  if (shared.length > 0) {
    const kinds = [...new Set(shared.map((metric) => metric.kind))].sort();
    files.set(
      metricsFile,
      `// Imported by monforge: metrics several imported services read.\nimport { ${kinds.join(', ')} } from ${tsString(module)};\n\n${shared
        .map((metric) => metricDeclaration(metric, names.metric(metric.name), sourcesOf(metric)))
        .join('\n')}\n`,
    );
  }
  for (const service of plan.services) {
    const used = new Set<string>(['defineService']);
    const slos = service.slos.map((slo) => {
      const comments = plan.notes
        .filter((note) => note.startsWith(`${slo.origin.file}: ${slo.origin.object}: `))
        .map((note) => `    // ${noteText(note, slo)}\n`);
      return `${comments.join('')}${sloText(slo, service, names.metric, used)}`;
    });
    const own = [...plan.metrics.values()]
      .filter((metric) => metric.services.length === 1 && metric.services[0] === service.name)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const metric of own) used.add(metric.kind);
    const sharedHere = shared.filter((metric) => metric.services.includes(service.name));
    const formats = [...new Set(service.slos.map((slo) => `${slo.origin.file} (${slo.origin.format})`))];
    const pinned = Object.keys(service.selector).length > 0;
    const fields = [
      `  name: ${tsString(service.name)},`,
      `  team: ${tsString(options.team)},`,
      `  tier: ${tsString(options.tier ?? 'medium')},`,
      `  selector: ${pinned ? tsRecord(service.selector) : '{}'},`,
      '  scrape: false, // scraped by a job defined elsewhere',
      ...(pinned ? [] : [`  optOut: { absent: ${tsString('its SLIs select no job: there are no targets to watch')} },`]),
    ];
    const text = [
      `// Imported by monforge from ${formats.join(', ')}.`,
      `import { ${[...used].sort().join(', ')} } from ${tsString(module)};`,
      ...(sharedHere.length > 0
        ? [`import { ${sharedHere.map((metric) => names.metric(metric.name)).join(', ')} } from './${metricsFile}';`]
        : []),
      '',
      ...(own.length > 0 ? [...own.map((metric) => metricDeclaration(metric, names.metric(metric.name), service.sources)), ''] : []),
      `export const ${names.service(service.name)} = defineService({`,
      ...fields,
      '  slos: [',
      ...slos,
      '  ],',
      '});',
      '',
    ].join('\n');
    files.set(`${service.name}.ts`, text);
  }
  return files;
}
