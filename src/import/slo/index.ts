import path from 'node:path';
import type { InputDocument } from '../document.ts';
import type { Conversion, ImportContext, Importer } from '../importer.ts';
import { loadProject } from '../project.ts';
import { openSloFormat, readOpenSlo } from './openslo.ts';
import { metricUses, planServices, type MetricUse, type ServicePlan } from './plan.ts';
import { proveSlos } from './prove.ts';
import { readSloth, slothFormat } from './sloth.ts';
import type { ImportedSlo, Place, Sink } from './types.ts';
import { sloModules, type ServiceOwner } from './write.ts';

// SLO specs → monforge SLOs: Sloth (`prometheus/v1`, `PrometheusServiceLevel`) and OpenSLO
// (`openslo/v1alpha`, `openslo/v1` SLO, SLI, DataSource). One service definition per service
// the specs name; the proof reads back what the project compiles to.

/** The heading of the report's list of what did not carry over. */
export const notCarried = 'not carried over (SLOs)';

function sinkOf(context: ImportContext, notes: Map<ImportedSlo | Place, string[]>): Sink {
  return {
    refuse: (place, reason, field = []) => context.refuseAt(place.document, [...place.path, ...field], place.object, reason),
    note: (place, message) => {
      context.note(notCarried, `${place.document.at(place.path)}: ${place.object}: ${message}`);
      notes.set(place, [...(notes.get(place) ?? []), message]);
    },
    infer: (place, message) => context.infer(`${place.document.at(place.path)}: ${place.object}: ${message}`),
  };
}

/** The team of a service: its SLOs' `team` label when it is a project team, else `--team`, else the project's only team. */
function ownerOf(service: ServicePlan, context: ImportContext): ServiceOwner | undefined {
  const teams = context.project.platform.teams.map((team) => team.name);
  const labelled = [...new Set(service.slos.map((slo) => slo.team).filter((team): team is string => team !== undefined))];
  const label = labelled.length === 1 && teams.includes(labelled[0]!) ? labelled[0] : undefined;
  const team = label ?? context.team ?? (teams.length === 1 ? teams[0] : undefined);
  const first = service.slos[0]!.origin;
  if (team === undefined || !teams.includes(team)) {
    context.refuseAt(
      first.document,
      first.path,
      `service "${service.name}"`,
      team === undefined
        ? 'no team owns it: pass --team NAME'
        : `team "${team}" is not defined in the project (known: ${teams.join(', ') || 'none'})`,
    );
    return undefined;
  }
  const why =
    team === label
      ? 'the team label of its SLOs'
      : `${team === context.team ? '--team' : "the project's only team"}${labelled.length > 0 ? ` (its team label ${labelled.map((each) => `"${each}"`).join(', ')} is not one team of the project)` : ''}`;
  context.infer(`service "${service.name}": team "${team}" (${why}), tier "medium" (the default)`);
  return { team, tier: 'medium' };
}

export const sloImporter: Importer = {
  name: 'slo',
  reads: 'Sloth specs (prometheus/v1, PrometheusServiceLevel), OpenSLO (openslo/v1alpha, openslo/v1 SLO, SLI, DataSource, Service)',
  recognise: (document: InputDocument) => slothFormat(document.value) ?? openSloFormat(document.value),
  async convert(claimed, context): Promise<Conversion> {
    const notes = new Map<ImportedSlo | Place, string[]>();
    const sink = sinkOf(context, notes);
    const slos = [
      ...claimed.filter((each) => each.kind.startsWith('Sloth')).flatMap((each) => readSloth(each.document, each.kind, sink)),
      ...readOpenSlo(
        claimed.filter((each) => each.kind.startsWith('OpenSLO')).map((each) => each.document),
        sink,
      ),
    ];
    const services = planServices(slos, sink);
    const owners = new Map<string, ServiceOwner>();
    for (const service of services) {
      const owner = ownerOf(service, context);
      if (owner) owners.set(service.name, owner);
    }
    const uses = metricUses(services, sink);
    const { declared } = await loadProject(context.project.root, context.project.out);
    const histograms: MetricUse[] = [];
    for (const use of uses.values()) {
      const readBy = path.basename(use.readBy[0]!.origin.document.file);
      if (use.kind !== 'histogram') {
        context.metrics.use(use.name, use.labels, { counter: use.kind === 'counter', readBy });
        continue;
      }
      const known = declared.get(use.name)?.metric;
      if (!known) {
        histograms.push(use);
        continue;
      }
      const first = use.readBy[0]!.origin;
      if (known.kind !== 'histogram')
        sink.refuse(first, `${use.name} is declared in ${declared.get(use.name)!.file} as a ${known.kind}, not a histogram`);
      const missing = use.labels.filter((label) => !known.labels.includes(label));
      if (missing.length > 0)
        sink.refuse(
          first,
          `histogram ${use.name} is declared in ${declared.get(use.name)!.file} without the labels ${missing.join(', ')}: add them there and import again`,
        );
      const buckets = known.kind === 'histogram' ? known.buckets : [];
      const absent = use.buckets.filter((bucket) => !buckets.includes(bucket));
      if (absent.length > 0)
        sink.refuse(
          first,
          `histogram ${use.name} is declared in ${declared.get(use.name)!.file} without the buckets ${absent.join(', ')} its latency SLOs need`,
        );
    }
    const sloNotes = new Map(slos.map((slo) => [slo, notes.get(slo.origin) ?? []]));
    return {
      modules: (writeContext) =>
        sloModules({ services: services.filter((service) => owners.has(service.name)), owners, histograms, notes: sloNotes }, writeContext),
      prove: async (project) => [
        proveSlos(
          services.flatMap((service) => service.slos),
          project,
        ),
      ],
    };
  },
};
