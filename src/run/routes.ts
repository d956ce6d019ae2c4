import { describeAlert, describeTree } from '../route-evaluator/describe.ts';
import { inhibitingRules, matchRoutes } from '../route-evaluator/evaluate.ts';
import { alertmanagerConfig } from '../compile/alertmanager/index.ts';
import { loadPlatform } from '../load/load.ts';
import { defineCommand, orUsage } from './command.ts';

/** `label=value` arguments as labels, or the message for the first malformed one. */
export function parseLabelArgs(args: readonly string[]): Record<string, string> | string {
  const labels: Record<string, string> = {};
  for (const arg of args) {
    const match = /^([a-zA-Z_][a-zA-Z0-9_]*)=(.*)$/.exec(arg);
    if (!match) return `"${arg}" is not label=value`;
    labels[match[1]!] = match[2]!.replace(/^"(.*)"$/, '$1');
  }
  return labels;
}

/** `routes`: the routing tree, or where an alert with these labels goes and what could mute it. */
export async function routes(root: string, labels: Readonly<Record<string, string>>): Promise<string> {
  const config = alertmanagerConfig(await loadPlatform(root));
  if (Object.keys(labels).length === 0) return describeTree(config.route);
  return describeAlert(labels, matchRoutes(config.route, labels), inhibitingRules(config.inhibit_rules, labels));
}

export const routesCommand = defineCommand({
  name: 'routes',
  summary: 'the Alertmanager routing tree; with labels, where that alert goes and what could mute it',
  synopsis: '[label=value …]',
  details: 'With labels: the receivers and the routes that matched, and the inhibit rules that could mute the alert.',
  options: {},
  positionals: 'label=value …',
  async run({ positionals }, { root, out }) {
    out(await routes(root, orUsage(parseLabelArgs(positionals))));
    return 0;
  },
});
