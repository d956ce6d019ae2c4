import type { Importer } from './importer.ts';
import { alertmanagerImporter } from './alertmanager/index.ts';
import { dashboardsImporter } from './grafana/index.ts';
import { rulesImporter } from './rules/index.ts';
import { sloImporter } from './slo/index.ts';

/**
 * The importers `monforge import` asks, in order: the first whose `recognise` answers claims a
 * document, so an importer of a more specific shape comes before a more general one. Each is a
 * folder under src/import/ (see importer.ts).
 */
export const importers: readonly Importer[] = [rulesImporter, alertmanagerImporter, sloImporter, dashboardsImporter];
