import { equal } from '../../reader/equal.ts';
import { type Code, construct, json, raw } from './code.ts';
import { type BuilderDeclaration, type Field, type SdkType, sdkDeclarations } from './sdk-declarations.ts';
import { type BuilderEffects, builderEffects, fieldAt, type MethodEffects, resolved, type Template } from './sdk-effects.ts';

// JSON → builder calls: for each field of the object, the method whose effect writes it (sdk-effects.ts),
// its argument written as the parameter's type wants it — an enum member, a nested builder, an
// object literal of the interface. A field no method writes is reported by path; the caller
// decides whether a plainer builder can write it or the panel is refused.

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A field the builder cannot write as it is. */
export class Unwritable extends Error {
  constructor(
    readonly path: readonly string[],
    readonly reason: string,
  ) {
    super(`${path.join('.') || '(whole)'}: ${reason}`);
    this.name = 'Unwritable';
  }
}

export interface ConvertContext {
  /** The builder for a `cog.Builder<T>` argument that must build `value`. */
  builderFor(type: SdkType, value: Json, path: readonly string[]): BuilderDeclaration;
  /**
   * What Grafana assumes for the fields of what this builder builds when the JSON leaves them
   * out (src/reader/dashboard-defaults.ts); undefined where nothing is known beyond the builder's start.
   */
  standard(builder: BuilderDeclaration, value: Json): Json | undefined;
}

const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((key, index) => key === b[index]);
const within = (path: readonly string[], prefix: readonly string[]): boolean =>
  prefix.length <= path.length && prefix.every((key, index) => path[index] === key);

/** `module.Name` of a declaration. */
const qualified = (module: string, name: string): string => `${module}.${name}`;

/** `value` as a literal of `type`; throws Unwritable when it is not one. */
export function literal(value: unknown, type: SdkType, context: ConvertContext, path: readonly string[]): Code {
  const t = resolved(type);
  const fail = (reason: string): never => {
    throw new Unwritable(path, reason);
  };
  switch (t.kind) {
    case 'primitive':
      if (t.name === 'any' || t.name === 'unknown') return json(value);
      if (t.name === 'null' || t.name === 'void') return value === null ? raw('null') : fail('is not null');
      return typeof value === t.name ? json(value) : fail(`is not a ${t.name}`);
    case 'literal':
      return value === t.value ? json(value) : fail(`is not ${JSON.stringify(t.value)}`);
    case 'member': {
      const declaration = sdkDeclarations.declaration(t.module, t.enum);
      const member = declaration?.kind === 'enum' ? declaration.members.find(([name]) => name === t.member) : undefined;
      return member && member[1] === value ? raw(`${qualified(t.module, t.enum)}.${t.member}`) : fail(`is not ${t.enum}.${t.member}`);
    }
    case 'ref': {
      const declaration = sdkDeclarations.declaration(t.module, t.name);
      if (declaration?.kind === 'enum') {
        const member = declaration.members.find(([, each]) => each === value);
        return member ? raw(`${qualified(t.module, t.name)}.${member[0]}`) : fail(`${JSON.stringify(value)} is not a value of ${t.name}`);
      }
      if (declaration?.kind === 'interface') return objectLiteral(value, declaration.fields, context, path);
      return json(value);
    }
    case 'array':
      return Array.isArray(value)
        ? { kind: 'array', items: value.map((item, index) => literal(item, t.of, context, [...path, String(index)])) }
        : fail('is not a list');
    case 'union': {
      const reasons: string[] = [];
      for (const alternative of t.of) {
        try {
          return literal(value, alternative, context, path);
        } catch (error) {
          if (!(error instanceof Unwritable)) throw error;
          reasons.push(error.reason);
        }
      }
      return fail(reasons.at(-1) ?? 'matches none of its types');
    }
    case 'object':
      return objectLiteral(value, t.fields, context, path);
    case 'record':
      return isObject(value)
        ? {
            kind: 'object',
            entries: Object.entries(value).map(([key, field]) => [key, literal(field, t.value, context, [...path, key])] as const),
          }
        : fail('is not an object');
    case 'builder':
    case 'dataquery':
      return fail('needs a builder');
  }
}

function objectLiteral(value: unknown, fields: readonly Field[], context: ConvertContext, path: readonly string[]): Code {
  if (!isObject(value)) throw new Unwritable(path, 'is not an object');
  const entries: [string, Code][] = [];
  for (const [key, field] of Object.entries(value)) {
    const declared = fields.find((each) => each.name === key);
    if (!declared) throw new Unwritable([...path, key], 'is not a field of the SDK type');
    entries.push([key, literal(field, declared.type, context, [...path, key])]);
  }
  for (const field of fields) {
    if (field.optional || key(field.name, value)) continue;
    // A required field left out: null where the type allows it (Grafana reads null as left out).
    entries.push([field.name, literal(null, field.type, context, [...path, field.name])]);
  }
  return { kind: 'object', entries };
}

const key = (name: string, value: Json): boolean => name in value;

/** The arguments that make `template` produce `value`, or undefined when it cannot. */
function argumentsFor(
  template: Template,
  value: unknown,
  method: MethodEffects,
  context: ConvertContext,
  path: readonly string[],
  args: (Code | undefined)[],
): boolean {
  switch (template.kind) {
    case 'constant':
      return equal(template.value, value);
    case 'object': {
      if (!isObject(value)) return false;
      const names = template.fields.map(([name]) => name);
      if (Object.keys(value).some((name) => !names.includes(name))) return false;
      return template.fields.every(([name, field]) => argumentsFor(field, value[name], method, context, [...path, name], args));
    }
    case 'hole': {
      if (value === undefined) return false;
      const parameter = method.parameters[template.hole.index]!;
      const type = resolved(parameter.type);
      try {
        if (template.hole.via === 'value') args[template.hole.index] = literal(value, type, context, path);
        else if (template.hole.via === 'build') {
          if (!isObject(value) || type.kind !== 'builder') return false;
          args[template.hole.index] = convertBuilder(context.builderFor(type.of, value, path), value, context, path);
        } else {
          const of = type.kind === 'array' ? resolved(type.of) : undefined;
          if (!Array.isArray(value) || of?.kind !== 'builder') return false;
          args[template.hole.index] = {
            kind: 'array',
            items: value.map((item, index) => {
              if (!isObject(item)) throw new Unwritable([...path, String(index)], 'is not an object');
              return convertBuilder(context.builderFor(of.of, item, [...path, String(index)]), item, context, [...path, String(index)]);
            }),
          };
        }
        return true;
      } catch (error) {
        if (error instanceof Unwritable && template.hole.via === 'value') return false;
        throw error;
      }
    }
  }
}

interface Chosen {
  readonly method: MethodEffects;
  readonly args: Code[];
  /** Paths the call writes besides the one it was chosen for. */
  readonly also: readonly (readonly string[])[];
}

/** A method whose effect at `path` gives `value`, and whose other effects do not contradict the JSON. */
function setterFor(
  effects: BuilderEffects,
  path: readonly string[],
  value: unknown,
  whole: Json,
  context: ConvertContext,
): Chosen | undefined {
  const candidates = effects.methods
    .filter((method) => method.effects.some((effect) => !effect.push && same(effect.path, path)))
    // Typed arguments first (a nested builder reads better than an object), constants last.
    .sort((a, b) => rank(a, path) - rank(b, path));
  for (const method of candidates) {
    const primary = method.effects.find((effect) => !effect.push && same(effect.path, path))!;
    const others = method.effects.filter((effect) => effect !== primary);
    if (others.some((effect) => effect.push || (effect.template.kind !== 'constant' && fieldAt(whole, effect.path) === undefined)))
      continue;
    if (
      others.some(
        (effect) =>
          effect.template.kind === 'constant' &&
          fieldAt(whole, effect.path) !== undefined &&
          !equal(fieldAt(whole, effect.path), effect.template.value),
      )
    )
      continue;
    const args: (Code | undefined)[] = method.parameters.map(() => undefined);
    if (!argumentsFor(primary.template, value, method, context, path, args)) continue;
    if (
      !others.every(
        (effect) =>
          effect.template.kind === 'constant' ||
          argumentsFor(effect.template, fieldAt(whole, effect.path), method, context, [...effect.path], args),
      )
    )
      continue;
    if (args.some((arg, index) => arg === undefined && !method.parameters[index]!.optional)) continue;
    return { method, args: args.filter((arg): arg is Code => arg !== undefined), also: others.map((effect) => effect.path) };
  }
  return undefined;
}

function rank(method: MethodEffects, path: readonly string[]): number {
  const effect = method.effects.find((each) => !each.push && same(each.path, path))!;
  if (effect.template.kind === 'hole') return effect.template.hole.via === 'value' ? 1 : 0;
  return 2;
}

/** One call per item through the builder's appending methods, when each item is a convenience method's (`overrideByName`). */
function pushersFor(
  effects: BuilderEffects,
  path: readonly string[],
  items: readonly unknown[],
  context: ConvertContext,
): Chosen[] | undefined {
  const pushers = effects.methods.filter(
    (method) => method.effects.length === 1 && method.effects[0]!.push && same(method.effects[0]!.path, path),
  );
  const specific = pushers.filter((method) => method.effects[0]!.template.kind === 'object');
  if (specific.length === 0) return undefined;
  const chosen: Chosen[] = [];
  for (const item of items) {
    let found: Chosen | undefined;
    for (const method of [...specific, ...pushers.filter((each) => !specific.includes(each))]) {
      const args: (Code | undefined)[] = method.parameters.map(() => undefined);
      if (argumentsFor(method.effects[0]!.template, item, method, context, path, args) && args.every((arg) => arg !== undefined)) {
        found = { method, args: args as Code[], also: [] };
        break;
      }
    }
    if (!found) return undefined;
    chosen.push(found);
  }
  return chosen.some((each) => each.method.effects[0]!.template.kind === 'object') ? chosen : undefined;
}

/**
 * The JSON with Grafana's value written out wherever it leaves a field out that the builder
 * starts with another value (the SDK's legend is hidden, Grafana's shown): the builder must write it.
 */
function withAssumed(value: Json, start: Json, standard: Json): Json {
  const out: Json = { ...value };
  for (const [name, field] of Object.entries(standard)) {
    if (!(name in out)) {
      if (name in start && !equal(start[name], field))
        out[name] = isObject(field) && isObject(start[name]) ? withAssumed({}, start[name], field) : field;
    } else if (isObject(field) && isObject(out[name]) && isObject(start[name]))
      out[name] = withAssumed(out[name] as Json, start[name], field);
  }
  return out;
}

/** Whether every field of `field` has the value `start` has there: nothing to write. */
function covered(start: unknown, field: unknown): boolean {
  if (isObject(field) && isObject(start)) return Object.entries(field).every(([name, inner]) => covered(start[name], inner));
  return equal(start, field);
}

/** Where a call goes in the chain: identity first, the builder's own order, queries last. */
function placement(method: MethodEffects): number {
  const first = ['id', 'uid', 'title', 'description'];
  if (first.includes(method.name)) return -100 + first.indexOf(method.name);
  if (method.name === 'targets' || method.name === 'withTarget') return 1000;
  return method.order;
}

/** `new module.Builder(…).method(…)…` building `value`; throws Unwritable naming the first field it cannot write. */
export function convertBuilder(declaration: BuilderDeclaration, value: Json, context: ConvertContext, at: readonly string[] = []): Code {
  const effects = builderEffects(declaration);
  const standard = context.standard(declaration, value) ?? effects.start;
  const whole = withAssumed(value, effects.start, standard);
  const written: (readonly string[])[] = [];
  const constructorArgs = effects.construction.parameters.map((parameter, index) => {
    const effect = effects.construction.effects.find((each) => each.template.kind === 'hole' && each.template.hole.index === index);
    const field = effect ? fieldAt(whole, effect.path) : undefined;
    if (effect) written.push(effect.path);
    return field === undefined ? json('') : literal(field, parameter.type, context, [...at, ...(effect?.path ?? [])]);
  });
  const calls: { method: MethodEffects; args: Code[]; sequence: number; place?: number }[] = [];
  const deeper = (path: readonly string[]) =>
    effects.methods.some((method) => method.effects.some((effect) => effect.path.length > path.length && within(effect.path, path)));
  const visit = (path: readonly string[], field: unknown): void => {
    if (written.some((done) => within(path, done))) return;
    // What the builder writes anyway, or Grafana's default where the builder writes nothing.
    const start = fieldAt(effects.start, path);
    if (covered(start, field) || (start === undefined && equal(fieldAt(standard, path), field))) return;
    // Null and an empty list read as left out.
    if ((field === null || (Array.isArray(field) && field.length === 0)) && fieldAt(effects.start, path) === undefined) return;
    // An object some methods write field by field: those methods, the whole-object one only if they cannot.
    if (isObject(field) && deeper(path)) {
      const [before, wrote] = [calls.length, written.length];
      try {
        for (const [name, inner] of Object.entries(field)) visit([...path, name], inner);
        return;
      } catch (error) {
        if (!(error instanceof Unwritable)) throw error;
        calls.length = before;
        written.length = wrote;
        const setter = setterFor(effects, path, field, whole, context);
        if (!setter) throw error;
        calls.push({ method: setter.method, args: setter.args, sequence: calls.length });
        written.push(path, ...setter.also);
        return;
      }
    }
    if (Array.isArray(field)) {
      const pushed = pushersFor(effects, path, field, context);
      if (pushed) {
        // The items keep their order, whichever method appends each.
        const place = Math.min(...pushed.map((each) => placement(each.method)));
        for (const each of pushed) calls.push({ method: each.method, args: each.args, sequence: calls.length, place });
        written.push(path);
        return;
      }
    }
    const setter = setterFor(effects, path, field, whole, context);
    if (setter) {
      calls.push({ method: setter.method, args: setter.args, sequence: calls.length });
      written.push(path, ...setter.also);
      return;
    }
    if (isObject(field)) {
      // Fields left out of an object read as Grafana's defaults.
      for (const [name, inner] of Object.entries(field)) visit([...path, name], inner);
      return;
    }
    if (field === undefined) return;
    throw new Unwritable([...at, ...path], `no method of ${declaration.module}.${declaration.name} writes it`);
  };
  for (const [name, field] of Object.entries(whole)) visit([name], field);
  calls.sort((a, b) => (a.place ?? placement(a.method)) - (b.place ?? placement(b.method)) || a.sequence - b.sequence);
  const head = construct(qualified(declaration.module, declaration.name), constructorArgs.length > 0 ? constructorArgs : []);
  return calls.length === 0 ? head : { kind: 'chain', head, calls: calls.map((each) => ({ method: each.method.name, args: each.args })) };
}
