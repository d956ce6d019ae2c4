// Which data source plugin a reference of a dashboard reads: `{ type: "loki", uid: "…" }` says
// so; `{ uid: "${datasource}" }` (or the string "$datasource") names a data source variable,
// which lists the sources of one plugin (its `query`).

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The plugin a reference reads, from its type or the data source variable it names; undefined when neither says. */
export function datasourcePlugins(dashboard: Json): (reference: unknown) => string | undefined {
  const variables =
    isObject(dashboard.templating) && Array.isArray(dashboard.templating.list) ? dashboard.templating.list.filter(isObject) : [];
  const listed = new Map(
    variables.filter((variable) => variable.type === 'datasource').map((variable) => [String(variable.name), String(variable.query)]),
  );
  return (reference) => {
    if (isObject(reference) && typeof reference.type === 'string') return reference.type;
    const uid = isObject(reference) ? reference.uid : reference;
    const named = typeof uid === 'string' ? /^\$\{?(\w+)(?::\w+)?\}?$/.exec(uid)?.[1] : undefined;
    return named === undefined ? undefined : listed.get(named);
  };
}

/**
 * Whether a reference reads Prometheus: it says so, or it says nothing (a dashboard's default
 * data source, in the dashboards this reads, is Prometheus).
 */
export function readsPrometheus(dashboard: Json): (reference: unknown) => boolean {
  const plugin = datasourcePlugins(dashboard);
  return (reference) => (plugin(reference) ?? 'prometheus') === 'prometheus';
}
