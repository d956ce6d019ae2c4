import {
  annotationDefaults,
  dashboardDefaults,
  linkDefaults,
  panelDefaults,
  rowDefaults,
  variableDefaults,
} from '../../reader/dashboard-defaults.ts';
import { migrateDashboard, oldestSchemaVersion, schemaVersionOf } from '../../reader/dashboard-migrate.ts';
import { isBuiltIn, withDatasourceReferences, withoutManaged } from '../../reader/dashboard-normal.ts';
import { datasourcePlugins } from '../../reader/dashboard-datasources.ts';
import { matchingBuilder, panelModule, queryBuilder, startOf } from '../../reader/grafana-sdk.ts';
import { camelCase, type Identifiers } from '../typescript.ts';
import { type Code, print, raw } from './code.ts';
import { type ConvertContext, convertBuilder, Unwritable } from './convert-builder.ts';
import { type BuilderDeclaration, type SdkType, sdkDeclarations } from './sdk-declarations.ts';
import { builderClass, resolved } from './sdk-effects.ts';

// One Grafana dashboard → the foundation SDK's builder calls that build it: the dashboard's
// settings, variables, annotations and links through `DashboardBuilder`, then its rows and
// panels in order, each panel through its type's own builder and each query through its data
// source's. Positions are left to the builder's layout where it puts a panel where it was.

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const objects = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isObject) : []);

/** A dashboard import refuses, with where and why: `panel 3 "Uptime"`, `is a graph panel, which …`. */
export class DashboardRefusal extends Error {
  constructor(
    readonly where: string,
    readonly reason: string,
  ) {
    super(`${where}: ${reason}`);
    this.name = 'DashboardRefusal';
  }
}

export interface ConvertedDashboard {
  /** `new dashboard.DashboardBuilder(…)…`. */
  readonly builder: Code;
  /** What a reader of the import should know: panels written with the generic builder, fields left to Grafana. */
  readonly notes: readonly string[];
}

const declaration = (module: string, name: string): BuilderDeclaration => {
  const found = sdkDeclarations.builders(module).find((each) => each.name === name);
  if (!found) throw new Error(`the foundation SDK has no ${module}.${name}`);
  return found;
};

const sameType = (a: SdkType, b: SdkType): boolean => JSON.stringify(resolved(a)) === JSON.stringify(resolved(b));

/** Builders of `type` in its module, the one whose start agrees with `value` on `type`/`kind` first. */
/** The builder of `type` in its module for `value`. */
function builderOf(type: SdkType, value: Json): BuilderDeclaration | undefined {
  const target = resolved(type);
  if (target.kind !== 'ref') return undefined;
  const candidates = sdkDeclarations
    .builders(target.module)
    .filter((each) => sameType(each.builds, target))
    .map((declaration) => ({ declaration, start: startOf(builderClass(declaration)) }));
  return matchingBuilder(candidates, value)?.declaration;
}

/** Grafana's defaults by the dashboard module's builder that builds them. */
const standards: Record<string, (value: Json) => Json> = {
  DashboardBuilder: dashboardDefaults,
  PanelBuilder: (value) => panelDefaults(String(value.type ?? '')),
  RowBuilder: rowDefaults,
  DashboardLinkBuilder: linkDefaults,
  AnnotationQueryBuilder: annotationDefaults,
};

const describePanel = (panel: Json): string => `panel ${typeof panel.id === 'number' ? panel.id : '?'} "${String(panel.title ?? '')}"`;

interface Layout {
  x: number;
  y: number;
  lastHeight: number;
}

const defaultGridPos = { h: 9, w: 12, x: 0, y: 0 };

/**
 * The DashboardBuilder's own layout (withPanel / withRow): a panel without a position, or at
 * 0,0, goes where the previous one ended; a row starts a line. Returns where it puts `grid`.
 */
function place(layout: Layout, grid: { h: number; w: number; x: number; y: number }, row: boolean): { x: number; y: number } {
  const auto = grid.x === 0 && grid.y === 0;
  if (row) {
    const y = auto ? layout.y + layout.lastHeight : grid.y;
    layout.x = 0;
    layout.y = y + 1;
    layout.lastHeight = 0;
    return { x: auto ? 0 : grid.x, y };
  }
  const at = auto ? { x: layout.x, y: layout.y } : { x: grid.x, y: grid.y };
  layout.x += grid.w;
  layout.lastHeight = Math.max(layout.lastHeight, grid.h);
  if (layout.x >= 24) {
    layout.x = 0;
    layout.y += layout.lastHeight;
    layout.lastHeight = 0;
  }
  return at;
}

const gridOf = (value: unknown): { h: number; w: number; x: number; y: number } => {
  const grid = isObject(value) ? value : {};
  const number = (key: string, fallback: number) => (typeof grid[key] === 'number' ? (grid[key] as number) : fallback);
  return { h: number('h', defaultGridPos.h), w: number('w', defaultGridPos.w), x: number('x', 0), y: number('y', 0) };
};

/**
 * A panel's JSON with its position written as the builder wants it: left to the layout when it
 * puts the panel where it is (height and width only where they are not the default), else stated.
 */
function positioned(panel: Json, layout: Layout, row: boolean): Json {
  const grid = gridOf(panel.gridPos);
  const { gridPos, ...rest } = panel;
  const probe = { ...layout };
  const auto = place(probe, { ...grid, x: 0, y: 0 }, row);
  if (auto.x === grid.x && auto.y === grid.y) {
    place(layout, { ...grid, x: 0, y: 0 }, row);
    if (row) return rest;
    const extra = isObject(gridPos)
      ? Object.fromEntries(Object.entries(gridPos).filter(([key]) => !['h', 'w', 'x', 'y'].includes(key)))
      : {};
    // Height and width where they are not the builder's default; the layout places it.
    const size = { ...(grid.h !== defaultGridPos.h && { h: grid.h }), ...(grid.w !== defaultGridPos.w && { w: grid.w }) };
    return { ...rest, ...(Object.keys({ ...extra, ...size }).length > 0 && { gridPos: { ...extra, ...size } }) };
  }
  if (grid.x === 0 && grid.y === 0)
    throw new DashboardRefusal(
      row ? `row "${String(panel.title ?? '')}"` : describePanel(panel),
      "sits at 0,0 after other panels: the SDK's DashboardBuilder would move it",
    );
  place(layout, grid, row);
  return { ...rest, gridPos };
}

/**
 * The builder calls of one dashboard (as exported by Grafana, uid set). Throws DashboardRefusal
 * for what the SDK cannot build: a schema older than Grafana 8.0, panel types without a
 * builder that the generic one cannot hold either, queries of data sources the SDK has no builder for.
 */
export function convertDashboard(original: Json): ConvertedDashboard {
  const version = schemaVersionOf(original);
  if (Array.isArray(original.rows))
    throw new DashboardRefusal(
      'dashboard',
      `is a row-based dashboard (schemaVersion ${version}, before Grafana 5): open it in Grafana 10 or newer and export it again`,
    );
  if (version < oldestSchemaVersion)
    throw new DashboardRefusal(
      'dashboard',
      `has schemaVersion ${version}, older than ${oldestSchemaVersion} (Grafana 8.0): Grafana migrates its value mappings and panels on load; open it in Grafana 10 or newer and export it again`,
    );
  // An export "for sharing externally" lists inputs that Grafana's import page fills in;
  // provisioning does not, so a dashboard that uses one cannot be provisioned as it is.
  const { __inputs, __requires: _requires, __elements: _elements, ...body } = original;
  const used = objects(__inputs)
    .map((input) => `\${${String(input.name)}}`)
    .filter((placeholder) => JSON.stringify(body).includes(placeholder));
  if (used.length > 0)
    throw new DashboardRefusal(
      'dashboard',
      `was exported for sharing externally and reads its inputs ${used.join(', ')}: Grafana fills these in when importing through its UI, provisioning does not; export it again without "Export for sharing externally"`,
    );
  const notes: string[] = [];
  const unread: string[] = [];
  const kept = withoutManaged(migrateDashboard(original), (field) => unread.push(field));
  if (unread.length > 0) notes.push(`left out what Grafana keeps for itself or no longer reads: ${unread.join(', ')}`);
  const { panels, ...settings } = withDatasourceReferences(kept, (where) =>
    notes.push(`${where}: its data source, named by a string, is written as the reference { uid: … } Grafana resolves it to`),
  );
  const plugin = datasourcePlugins(settings);
  let currentPanel: Json = {};
  const context: ConvertContext = {
    builderFor(type, value, path) {
      const target = resolved(type);
      if (target.kind === 'dataquery') {
        const name = plugin(value.datasource) ?? plugin(currentPanel.datasource) ?? 'prometheus';
        const found = queryBuilder(name, value);
        if (!found) throw new Unwritable(path, `reads data source plugin "${name}", which the SDK has no query builder for`);
        return declaration(found.module, found.name);
      }
      const builder = builderOf(target, value);
      if (!builder)
        throw new Unwritable(path, `has no builder in the SDK${typeof value.type === 'string' ? ` for type "${value.type}"` : ''}`);
      return builder;
    },
    standard(builder, value) {
      if (builder.module !== 'dashboard') return builder.name === 'PanelBuilder' ? panelDefaults(String(value.type ?? '')) : undefined;
      if (builder.name.endsWith('VariableBuilder')) return variableDefaults(String(value.type ?? ''));
      return standards[builder.name]?.(value);
    },
  };
  const dashboardBuilder = declaration('dashboard', 'DashboardBuilder');
  const annotations = isObject(settings.annotations) ? settings.annotations : undefined;
  const ownAnnotations = objects(annotations?.list).filter((annotation) => !isBuiltIn(annotation));
  const head = {
    ...settings,
    ...(annotations && { annotations: { ...annotations, list: ownAnnotations } }),
  };
  let code: Code;
  try {
    code = convertBuilder(dashboardBuilder, head, context);
  } catch (error) {
    if (error instanceof Unwritable) throw new DashboardRefusal('dashboard', `${error.path.join('.')}: ${error.reason}`);
    throw error;
  }
  const layout: Layout = { x: 0, y: 0, lastHeight: 0 };
  const calls: { method: string; args: Code[] }[] = [];
  const panel = (json: Json): Code => {
    currentPanel = json;
    return convertPanel(json, context, notes);
  };
  for (const top of objects(panels)) {
    if (top.type !== 'row') {
      calls.push({ method: 'withPanel', args: [panel(positioned(top, layout, false))] });
      continue;
    }
    const { panels: children, ...row } = positioned(top, layout, true);
    const inside = objects(children).map((child) => panel(positioned(child, layout, false)));
    let rowCode: Code;
    try {
      rowCode = convertBuilder(declaration('dashboard', 'RowBuilder'), { ...row, panels: [] }, context);
    } catch (error) {
      if (error instanceof Unwritable)
        throw new DashboardRefusal(`row "${String(row.title ?? '')}"`, `${error.path.join('.')}: ${error.reason}`);
      throw error;
    }
    const withChildren: Code =
      inside.length === 0
        ? rowCode
        : {
            kind: 'chain',
            head: rowCode.kind === 'chain' ? rowCode.head : rowCode,
            calls: [...(rowCode.kind === 'chain' ? rowCode.calls : []), ...inside.map((child) => ({ method: 'withPanel', args: [child] }))],
          };
    calls.push({ method: 'withRow', args: [withChildren] });
  }
  const builder: Code =
    calls.length === 0
      ? code
      : { kind: 'chain', head: code.kind === 'chain' ? code.head : code, calls: [...(code.kind === 'chain' ? code.calls : []), ...calls] };
  return { builder, notes };
}

/**
 * A data source reference's constant: after the variable it reads (`${datasource}` → `datasource`),
 * else after its plugin (`__expr__` → `exprSource`).
 */
function constantName(reference: string): string {
  const uid = /uid: '([^']*)'/.exec(reference)?.[1] ?? '';
  const variable = /^\$\{?(\w+)\}?$/.exec(uid)?.[1];
  if (variable) return camelCase(variable);
  const type = /type: '([^']*)'/.exec(reference)?.[1];
  return camelCase(`${type ?? uid} source`);
}

/**
 * A data source reference written more than once becomes a constant named after it
 * (`{ type: 'prometheus', uid: '${datasource}' }` → `datasource`): one place to change it. Its
 * name is claimed from `taken`, the names of the module it is written in.
 */
export function namedDatasources(builder: Code, taken: Identifiers): { code: Code; constants: [string, Code][] } {
  const counts = new Map<string, number>();
  const walk = (code: Code, visit: (call: { method: string; args: readonly Code[] }) => void): void => {
    if (code.kind === 'chain') {
      walk(code.head, visit);
      for (const each of code.calls) {
        visit(each);
        for (const arg of each.args) walk(arg, visit);
      }
    } else if (code.kind === 'array') for (const item of code.items) walk(item, visit);
    else if (code.kind === 'call') for (const arg of code.args) walk(arg, visit);
  };
  const reference = (call: { method: string; args: readonly Code[] }) =>
    call.method === 'datasource' && call.args.length === 1 && call.args[0]!.kind === 'object' ? print(call.args[0]!) : undefined;
  walk(builder, (call) => {
    const text = reference(call);
    if (text !== undefined) counts.set(text, (counts.get(text) ?? 0) + 1);
  });
  const names = new Map<string, string>();
  const constants: [string, Code][] = [];
  for (const [text, count] of counts) if (count >= 2) names.set(text, taken.claim(constantName(text)));
  const rewrite = (code: Code): Code => {
    switch (code.kind) {
      case 'chain':
        return {
          kind: 'chain',
          head: rewrite(code.head),
          calls: code.calls.map((each) => {
            const text = reference(each);
            const name = text === undefined ? undefined : names.get(text);
            if (name !== undefined && !constants.some(([known]) => known === name)) constants.push([name, each.args[0]!]);
            return { method: each.method, args: name !== undefined ? [raw(name)] : each.args.map(rewrite) };
          }),
        };
      case 'array':
        return { kind: 'array', items: code.items.map(rewrite) };
      case 'call':
        return { ...code, args: code.args.map(rewrite) };
      default:
        return code;
    }
  };
  const code = rewrite(builder);
  return { code, constants: constants.sort(([a], [b]) => (a < b ? -1 : 1)) };
}

/** Panels of Grafana's Angular era, which Grafana 11 no longer draws and migrates when a dashboard is opened. */
const angular: Record<string, string> = {
  graph: 'Grafana 11 turns it into a time series panel; open the dashboard there, save it and export it again',
  singlestat: 'Grafana 11 turns it into a stat panel; open the dashboard there, save it and export it again',
  'table-old': 'Grafana 11 turns it into a table panel; open the dashboard there, save it and export it again',
};

/** A panel through its type's builder; through the generic one (options as an object) when the typed builder cannot write a field. */
function convertPanel(panel: Json, context: ConvertContext, notes: string[]): Code {
  const type = typeof panel.type === 'string' ? panel.type : '';
  const typed = panelModule(type);
  const where = describePanel(panel);
  let reason: string | undefined;
  if (typed) {
    try {
      return convertBuilder(declaration(typed.name, 'PanelBuilder'), panel, context);
    } catch (error) {
      if (!(error instanceof Unwritable)) throw error;
      // A query the SDK cannot build stays unbuildable through the generic builder.
      if (error.path[0] === 'targets') throw new DashboardRefusal(where, `${error.path.join('.')}: ${error.reason}`);
      reason = `${error.path.join('.')} ${error.reason}`;
    }
  }
  try {
    const code = convertBuilder(declaration('dashboard', 'PanelBuilder'), panel, context);
    notes.push(
      typed
        ? `${where}: written with the generic dashboard.PanelBuilder, options as an object: ${reason} in the SDK's ${typed.name} builder`
        : `${where}: type "${type}" has no builder of its own in the SDK: written with the generic dashboard.PanelBuilder, options as an object`,
    );
    return code;
  } catch (error) {
    if (!(error instanceof Unwritable)) throw error;
    if (typed) throw new DashboardRefusal(where, `${error.path.join('.')}: ${error.reason}`);
    throw new DashboardRefusal(
      where,
      `is a "${type}" panel, which the SDK has no builder for, and the generic panel builder cannot hold its ${error.path.join('.')}` +
        (angular[type] ? `: ${angular[type]}` : ''),
    );
  }
}
