import { createRequire } from 'node:module';
import { type BuilderDeclaration, type Parameter, type SdkType, sdkDeclarations } from './sdk-declarations.ts';

// What each builder method does to the object it builds, learnt by calling it: each parameter
// gets a value that can be found again (an object of its own, a number no one writes), and the
// built object shows where it went. `lineWidth(x)` sets fieldConfig.defaults.custom.lineWidth
// to x; `legend(b)` sets options.legend to b.build(); `overrideByName(n, p)` appends
// `{ matcher: { id: 'byName', options: n }, properties: p }` to fieldConfig.overrides;
// `instant()` sets instant to true and range to false. Import reads these backwards: from a
// field of the dashboard JSON to the call that writes it.

type Json = Record<string, unknown>;

/** Where an argument lands: as given, as its builder's `build()`, or each item's. */
export interface Hole {
  readonly index: number;
  readonly via: 'value' | 'build' | 'buildEach';
}

export type Template =
  | { readonly kind: 'hole'; readonly hole: Hole }
  | { readonly kind: 'constant'; readonly value: unknown }
  | { readonly kind: 'object'; readonly fields: readonly (readonly [string, Template])[] };

export interface Effect {
  readonly path: readonly string[];
  /** Appends to the list at `path` instead of setting it. */
  readonly push: boolean;
  readonly template: Template;
}

export interface MethodEffects {
  readonly name: string;
  readonly parameters: readonly Parameter[];
  readonly effects: readonly Effect[];
  /** Its place among the builder's methods, the order calls are written in. */
  readonly order: number;
}

export interface BuilderEffects {
  readonly declaration: BuilderDeclaration;
  /** What the builder builds before any call (constructor arguments as `constructorArguments` give them). */
  readonly start: Json;
  readonly construction: MethodEffects;
  readonly methods: readonly MethodEffects[];
}

const require = createRequire(import.meta.url);

/** The class of a builder declaration. */
export function builderClass(declaration: BuilderDeclaration): new (...args: unknown[]) => { build(): unknown } {
  return (
    require(`@grafana/grafana-foundation-sdk/${declaration.module}`) as Record<string, new (...args: unknown[]) => { build(): unknown }>
  )[declaration.name]!;
}

/** The JSON of a built object: builders of queries add a method, which JSON leaves out. */
export const jsonOf = (value: unknown): Json => JSON.parse(JSON.stringify(value)) as Json;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Resolves aliases: the type as written after every `type X = …`. */
export function resolved(type: SdkType): SdkType {
  let current = type;
  for (let depth = 0; depth < 16 && current.kind === 'ref'; depth += 1) {
    const declaration = sdkDeclarations.declaration(current.module, current.name);
    if (declaration?.kind !== 'alias') return current;
    current = declaration.type;
  }
  return current;
}

const numeric = (type: SdkType): boolean => {
  const each = resolved(type);
  if (each.kind === 'primitive') return each.name === 'number';
  if (each.kind === 'union') return each.of.some(numeric);
  if (each.kind === 'ref') {
    const declaration = sdkDeclarations.declaration(each.module, each.name);
    return declaration?.kind === 'enum' && declaration.members.every(([, value]) => typeof value === 'number');
  }
  return false;
};
const textual = (type: SdkType): boolean => {
  const each = resolved(type);
  if (each.kind === 'primitive') return each.name === 'string';
  if (each.kind === 'literal') return typeof each.value === 'string';
  if (each.kind === 'union') return each.of.some(textual);
  if (each.kind === 'ref') return sdkDeclarations.declaration(each.module, each.name)?.kind === 'enum';
  return false;
};
const booleanOnly = (type: SdkType): boolean => {
  const each = resolved(type);
  return each.kind === 'primitive' && each.name === 'boolean';
};

/** A value for each parameter that the built object shows again, different for every `round`. */
function probes(parameters: readonly Parameter[], round: number, flip: boolean): { args: unknown[]; marks: unknown[] } {
  const marks = parameters.map((parameter, index) => {
    const type = resolved(parameter.type);
    if (booleanOnly(type)) return flip;
    if (numeric(type)) return 0.5 + round / 100 + index / 1000;
    // Strings are checked for length by some setters; objects are found by identity.
    if (textual(type)) return `probe-${round}.${index}`;
    return { probe: `${round}.${index}` };
  });
  const args = parameters.map((parameter, index) => {
    const type = resolved(parameter.type);
    const mark = marks[index];
    if (type.kind === 'builder') return { build: () => mark };
    if (type.kind === 'array' && resolved(type.of).kind === 'builder') return [{ build: () => mark }];
    return mark;
  });
  return { args, marks };
}

interface Found {
  readonly path: string[];
  readonly index: number;
}

/** Where each mark appears in the built object. */
function findMarks(value: unknown, marks: readonly unknown[], at: string[] = [], found: Found[] = []): Found[] {
  const index = marks.findIndex((mark) => typeof mark !== 'boolean' && mark === value);
  if (index >= 0) {
    found.push({ path: at, index });
    return found;
  }
  if (Array.isArray(value)) for (const [position, item] of value.entries()) findMarks(item, marks, [...at, String(position)], found);
  else if (isObject(value)) for (const [key, field] of Object.entries(value)) findMarks(field, marks, [...at, key], found);
  return found;
}

/** The field at `path` of a JSON value, or undefined. */
export const fieldAt = (value: unknown, path: readonly string[]): unknown =>
  path.reduce<unknown>((at, key) => (isObject(at) || Array.isArray(at) ? (at as Json)[key] : undefined), value);

function viaOf(parameter: Parameter): Hole['via'] {
  const type = resolved(parameter.type);
  if (type.kind === 'builder') return 'build';
  if (type.kind === 'array' && resolved(type.of).kind === 'builder') return 'buildEach';
  return 'value';
}

/** A built value with the marks replaced by holes; everything else a constant. */
function templateOf(value: unknown, marks: readonly unknown[], parameters: readonly Parameter[]): Template {
  const index = marks.findIndex((mark) => typeof mark !== 'boolean' && mark === value);
  if (index >= 0) return { kind: 'hole', hole: { index, via: viaOf(parameters[index]!) } };
  if (isObject(value) && findMarks(value, marks).length > 0)
    return { kind: 'object', fields: Object.entries(value).map(([key, field]) => [key, templateOf(field, marks, parameters)] as const) };
  return { kind: 'constant', value };
}

/** Leaf paths where `after` differs from `before`, left out of those under `skip`. */
function changedLeaves(before: unknown, after: unknown, skip: readonly string[][], at: string[] = []): string[][] {
  if (skip.some((prefix) => prefix.length <= at.length && prefix.every((key, index) => at[index] === key))) return [];
  if (isObject(after) && isObject(before)) {
    return Object.keys(after).flatMap((key) => changedLeaves(before[key], after[key], skip, [...at, key]));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [at];
}

function call(make: () => { build(): unknown }, method: string, args: unknown[][]): unknown {
  const builder = make() as unknown as Record<string, (...values: unknown[]) => unknown> & { build(): unknown };
  for (const each of args) builder[method]!(...each);
  return builder.build();
}

/** The effects of one method (or of the constructor when `method` is undefined). */
function effectsOf(
  declaration: BuilderDeclaration,
  start: () => { build(): unknown },
  method: string | undefined,
  parameters: readonly Parameter[],
): Effect[] {
  const Builder = builderClass(declaration);
  const baseline = jsonOf(start().build());
  const first = probes(parameters, 1, true);
  const second = probes(parameters, 2, false);
  const run = (calls: unknown[][]): unknown => (method ? call(start, method, calls) : new Builder(...calls[0]!).build());
  let once: unknown;
  let twice: unknown;
  let flipped: unknown;
  try {
    once = run([first.args]);
    twice = method ? run([first.args, second.args]) : undefined;
    flipped = run([second.args]);
  } catch {
    return [];
  }
  const effects: Effect[] = [];
  const known = (path: readonly string[]) => effects.some((effect) => effect.path.join('.') === path.join('.'));
  for (const { path, index } of findMarks(once, first.marks)) {
    // Called twice, a list one longer than after one call: the call appends to it.
    let list: string[] | undefined;
    for (let depth = path.length - 1; depth >= 0 && twice !== undefined; depth -= 1) {
      const [one, two] = [fieldAt(once, path.slice(0, depth)), fieldAt(twice, path.slice(0, depth))];
      if (Array.isArray(one) && Array.isArray(two) && two.length === one.length + 1) {
        list = path.slice(0, depth);
        break;
      }
    }
    if (list) {
      if (!known(list))
        effects.push({ path: list, push: true, template: templateOf((fieldAt(once, list) as unknown[]).at(-1), first.marks, parameters) });
      continue;
    }
    const via = viaOf(parameters[index]!);
    const at = via === 'buildEach' ? path.slice(0, -1) : path;
    if (!known(at)) effects.push({ path: at, push: false, template: { kind: 'hole', hole: { index, via } } });
  }
  // Booleans (given true, then false), and constants the call writes besides its arguments.
  const holes = effects.map((effect) => [...effect.path]);
  const leaves = [...changedLeaves(baseline, once, holes), ...changedLeaves(baseline, flipped, holes)];
  for (const leaf of leaves) {
    if (known(leaf)) continue;
    const value = fieldAt(once, leaf);
    const boolean = parameters.findIndex(
      (parameter, index) => booleanOnly(parameter.type) && value === first.marks[index] && fieldAt(flipped, leaf) === second.marks[index],
    );
    if (boolean >= 0) effects.push({ path: leaf, push: false, template: { kind: 'hole', hole: { index: boolean, via: 'value' } } });
    else if (value !== undefined && JSON.stringify(value) === JSON.stringify(fieldAt(flipped, leaf)))
      effects.push({ path: leaf, push: false, template: { kind: 'constant', value } });
  }
  return effects;
}

/** A constructor argument per parameter that is not a probe: empty strings. */
const constructorArguments = (declaration: BuilderDeclaration): unknown[] => declaration.constructorParameters.map(() => '');

const cache = new Map<string, BuilderEffects>();

/** The effects of every method of a builder, learnt once. */
export function builderEffects(declaration: BuilderDeclaration): BuilderEffects {
  const key = `${declaration.module}.${declaration.name}`;
  const known = cache.get(key);
  if (known) return known;
  const Builder = builderClass(declaration);
  const start = () => new Builder(...constructorArguments(declaration));
  const effects: BuilderEffects = {
    declaration,
    start: jsonOf(start().build()),
    construction: {
      name: 'constructor',
      parameters: declaration.constructorParameters,
      effects:
        declaration.constructorParameters.length > 0 ? effectsOf(declaration, start, undefined, declaration.constructorParameters) : [],
      order: -1,
    },
    methods: declaration.methods.map((method, order) => ({
      name: method.name,
      parameters: method.parameters,
      effects: effectsOf(declaration, start, method.name, method.parameters),
      order,
    })),
  };
  cache.set(key, effects);
  return effects;
}
