// The foundation SDK (0.0.21) stamps `placement: "inControlsMenu"` on every dashboard link and
// annotation it builds, and offers no way to leave it out (grafana-foundation-sdk#1202, #1272).
// Grafana 12.3 and newer then move them into the dashboard controls menu. It is removed here,
// once for every dashboard; until the SDK is fixed, a link cannot be placed in that menu.

const forced = 'inControlsMenu';

interface Placed {
  placement?: string;
}

const unplaced = <T extends Placed>(item: T): T => {
  if (item.placement !== forced) return item;
  const { placement: _placement, ...rest } = item;
  return rest as T;
};

interface WithLinks {
  links?: Placed[];
  panels?: WithLinks[];
  fieldConfig?: { defaults?: { links?: Placed[] } };
}

const panelWithout = (panel: WithLinks): WithLinks => ({
  ...panel,
  ...(panel.links && { links: panel.links.map(unplaced) }),
  ...(panel.panels && { panels: panel.panels.map(panelWithout) }),
});

/** The dashboard JSON without the placement the SDK forces on links (dashboard and panel) and annotations. */
export function withoutForcedPlacement<T extends object>(dashboard: T): T {
  const json = dashboard as T & WithLinks & { annotations?: { list?: Placed[] } };
  return {
    ...json,
    ...(json.links && { links: json.links.map(unplaced) }),
    ...(json.panels && { panels: json.panels.map(panelWithout) }),
    ...(json.annotations?.list && { annotations: { ...json.annotations, list: json.annotations.list.map(unplaced) } }),
  };
}
