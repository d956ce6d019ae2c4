import type { InhibitRule, Route, TimeInterval } from '../compile/alertmanager/types.ts';
import type { CompiledPlaybook } from '../load/playbook-file.ts';
import type { FileSet } from '../output/fileset.ts';

// A generated tree as typed objects: what `diff`, `backtest` and `apply` read instead of
// parsing YAML and JSON themselves. Paths are relative to the tree (`prometheus/rules/api.rules.yml`);
// `sources` are the definition files a file's header names, relative to the project root.

export type Labels = Readonly<Record<string, string>>;

export interface GeneratedTree {
  /** Where the tree was read from, for messages: `origin/main (1a2b3c4)`, `working tree`, a directory. */
  readonly label: string;
  /** Every file of the tree, as read (tests, provisioning and other targets' folders included). */
  readonly files: FileSet;
  readonly ruleFiles: readonly RuleFile[];
  readonly alertmanager: AlertmanagerFile | undefined;
  readonly dashboards: readonly DashboardFile[];
  readonly playbooks: PlaybooksFile | undefined;
  /** Every object under kubernetes/ (the Kubernetes targets of `defineConfig({ targets })`), by file. */
  readonly kubernetes?: readonly KubernetesFile[];
  /** mimir/rules.yaml, when the mimir target is enabled. */
  readonly mimir?: MimirRulesFile;
}

export interface RuleFile {
  readonly path: string;
  readonly sources: readonly string[];
  readonly groups: readonly RuleGroup[];
}

export interface RuleGroup {
  readonly name: string;
  readonly interval?: string;
  readonly rules: readonly Rule[];
}

export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly keep_firing_for?: string;
  readonly labels: Labels;
  readonly annotations: Labels;
}

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels: Labels;
}

export type Rule = AlertingRule | RecordingRule;

export const isAlerting = (rule: Rule): rule is AlertingRule => 'alert' in rule;

/** A rule with the file and group it sits in. */
export interface Located<R extends Rule> {
  readonly rule: R;
  readonly file: RuleFile;
  readonly group: RuleGroup;
}

export interface AlertmanagerFile {
  readonly path: string;
  readonly sources: readonly string[];
  readonly config: AlertmanagerSettings;
}

/** alertmanager.yml with matchers parsed (legacy `match`/`match_re` included) and durations in their shortest spelling. */
export interface AlertmanagerSettings {
  readonly global: Readonly<Record<string, unknown>>;
  readonly route: Route;
  readonly inhibitRules: readonly InhibitRule[];
  readonly receivers: readonly ReceiverSettings[];
  /** `time_intervals` and the older top-level `mute_time_intervals`. */
  readonly timeIntervals: readonly TimeInterval[];
}

export interface ReceiverSettings {
  readonly name: string;
  /** One per item of every `<type>_configs` list, in file order. */
  readonly integrations: readonly Integration[];
}

export interface Integration {
  /** `pagerduty`, `slack`, `email`, `webhook`, `opsgenie`, …: the `<type>_configs` key. */
  readonly type: string;
  readonly settings: Readonly<Record<string, unknown>>;
}

export interface DashboardFile {
  readonly path: string;
  readonly uid: string;
  readonly title: string;
  /** The definition file of the service whose rule file shares the dashboard's name; empty for platform-wide dashboards. */
  readonly sources: readonly string[];
  /** Every panel but rows, collapsed rows' panels included, in file order. */
  readonly panels: readonly Panel[];
  /** The dashboard JSON as Grafana would load it. */
  readonly json: Readonly<Record<string, unknown>>;
}

export interface Panel {
  readonly id: number | undefined;
  readonly type: string;
  readonly title: string;
  /** The title of the row the panel sits under, if any. */
  readonly row: string | undefined;
  readonly targets: readonly PanelTarget[];
  /** The panel's JSON as written. */
  readonly json: Readonly<Record<string, unknown>>;
}

export interface PanelTarget {
  readonly refId: string;
  readonly expr: string;
}

export interface PlaybooksFile {
  readonly path: string;
  readonly playbooks: readonly CompiledPlaybook[];
}

export interface KubernetesFile {
  readonly path: string;
  readonly sources: readonly string[];
  readonly objects: readonly KubernetesObject[];
}

export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string | undefined;
  /** The whole object, as `kubectl apply` would send it. */
  readonly json: Readonly<Record<string, unknown>>;
}

/** A ruler namespace in mimirtool's format: a rule file with a `namespace`. */
export interface MimirRulesFile extends RuleFile {
  readonly namespace: string;
}
