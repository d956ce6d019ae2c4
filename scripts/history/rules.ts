// Recording rules over backfilled history, in as many stages as they depend on each other:
// `promtool tsdb create-blocks-from rules` evaluates against a running server, so a rule that
// reads another recording rule can only run once that rule's blocks are loaded.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { adoptBlocks, backfillRules, type RuleBackfill } from './backfill.ts';
import { startPrometheus, type HistoryServer, type ServerOptions } from './server.ts';

export interface RuleLike {
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface GroupLike {
  readonly name: string;
  readonly interval?: string;
  readonly rules: readonly RuleLike[];
}

export interface Stage {
  /** Rules another rule reads through a range selector: backfilled over the whole span. */
  readonly full: GroupLike[];
  /** Rules only read at an instant, or not at all: backfilled over the tail of the span. */
  readonly tail: GroupLike[];
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Where `reader` reads `rule`'s series: through a range selector (`[…]`), at an instant, or not at all. */
function reads(reader: RuleLike, rule: RuleLike): 'range' | 'instant' | undefined {
  let found: 'range' | 'instant' | undefined;
  const pattern = new RegExp(`(?<![\\w:])${escapeRegExp(rule.record!)}(?![\\w:])(\\{[^}]*\\})?(\\s*\\[)?`, 'g');
  for (const match of reader.expr.matchAll(pattern)) {
    const matchers = [...(match[1] ?? '').matchAll(/(\w+)\s*=\s*"([^"]*)"/g)];
    if (!matchers.every(([, label, value]) => rule.labels?.[label!] === value)) continue;
    if (match[2]) return 'range';
    found = 'instant';
  }
  return found;
}

/**
 * The recording rules of `groups` by stage: stage n reads only rules of stages before it.
 * Alerting rules are left out (promtool does not backfill them). Groups keep their names and
 * intervals, so each rule is evaluated at its own group's pace.
 */
export function backfillStages(groups: readonly GroupLike[]): Stage[] {
  const recording = groups.flatMap((group) => group.rules.filter((rule) => rule.record).map((rule) => ({ group, rule })));
  const all = groups.flatMap((group) => group.rules);
  const depth = new Map<RuleLike, number>();
  const depthOf = (rule: RuleLike, trail: readonly RuleLike[] = []): number => {
    const known = depth.get(rule);
    if (known !== undefined) return known;
    if (trail.includes(rule)) throw new Error(`recording rule ${rule.record} depends on itself`);
    const inputs = recording.filter((each) => each.rule !== rule && reads(rule, each.rule));
    const value = Math.max(-1, ...inputs.map((each) => depthOf(each.rule, [...trail, rule]))) + 1;
    depth.set(rule, value);
    return value;
  };
  const stages: Stage[] = [];
  for (const { group, rule } of recording) {
    const stage = depthOf(rule);
    while (stages.length <= stage) stages.push({ full: [], tail: [] });
    const wanted = all.some((reader) => reader !== rule && reads(reader, rule) === 'range') ? stages[stage]!.full : stages[stage]!.tail;
    let target = wanted.find((each) => each.name === group.name);
    if (!target) {
      target = { name: group.name, ...(group.interval ? { interval: group.interval } : {}), rules: [] };
      wanted.push(target);
    }
    (target.rules as RuleLike[]).push(rule);
  }
  return stages;
}

export interface RecordingBackfill extends Pick<RuleBackfill, 'start' | 'end' | 'timeoutMs'> {
  readonly groups: readonly GroupLike[];
  readonly server: ServerOptions;
  /** Seconds before `end` that rules nothing reads through a range get. */
  readonly tailSeconds: number;
  readonly onStage?: (stage: number, stages: number) => void;
}

/**
 * Backfills every recording rule of `groups` stage by stage into the server's data directory,
 * restarting the server in between, and resolves to the server running on the result.
 */
export async function backfillRecordingRules(options: RecordingBackfill): Promise<HistoryServer> {
  const stages = backfillStages(options.groups);
  let server = await startPrometheus(options.server);
  try {
    for (const [index, stage] of stages.entries()) {
      options.onStage?.(index + 1, stages.length);
      const output = path.join(options.server.workDir, `rule-blocks-${index}`);
      for (const [part, from] of [
        [stage.full, options.start],
        [stage.tail, options.end - options.tailSeconds],
      ] as const) {
        if (part.length === 0) continue;
        // One path for every stage: promtool offsets a group's evaluations by a hash of its name and
        // file, so the rules of one group stay on one schedule, as in Prometheus.
        const file = path.join(options.server.workDir, 'backfill.rules.yml');
        await writeFile(file, stringify({ groups: part }));
        await backfillRules({
          ruleFiles: [file],
          url: server.url,
          start: from,
          end: options.end,
          outputDir: output,
          timeoutMs: options.timeoutMs,
        });
      }
      await server.stop();
      await adoptBlocks(output, options.server.dataDir);
      server = await startPrometheus(options.server);
    }
    return server;
  } catch (error) {
    await server.stop();
    throw error;
  }
}
