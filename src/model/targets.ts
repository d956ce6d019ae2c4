// Output targets beyond the plain files (`defineConfig({ targets })`): each one writes its own
// folder of generated/ from the same rules, Alertmanager configuration and dashboards.

/** A Kubernetes namespace or label value: DNS-1123 label (checked at load). */
export type KubernetesName = string;

/** The output targets `defineConfig({ targets })` enables (docs/guides/deploying.md). */
export interface Targets {
  /** `kubernetes/prometheusrules/<service>.yaml`: one `PrometheusRule` per service for prometheus-operator. */
  readonly prometheusOperator?: PrometheusOperatorTarget;
  /** `kubernetes/alertmanager/alertmanager-<name>.yaml`: the whole alertmanager.yml as the Secret kube-prometheus-stack reads. */
  readonly alertmanagerSecret?: AlertmanagerSecretTarget;
  /** `kubernetes/grafana-sidecar/`: one labelled ConfigMap per dashboard for Grafana's dashboard sidecar. */
  readonly grafanaSidecar?: GrafanaSidecarTarget;
  /** `kubernetes/grafana-operator/`: `GrafanaFolder` per team and `GrafanaDashboard` per dashboard for grafana-operator. */
  readonly grafanaOperator?: GrafanaOperatorTarget;
  /** `mimir/rules.yaml`: every rule group in one namespace, in mimirtool's format (Grafana Mimir and Cortex rulers). */
  readonly mimir?: MimirTarget;
  /** `openslo/<service>.yaml`: every SLO as OpenSLO v1 (a Service and its SLOs), for tools that read OpenSLO. */
  readonly openslo?: boolean;
}

/** Namespace and `ruleLabels` of the PrometheusRule objects. */
export interface PrometheusOperatorTarget {
  readonly namespace: KubernetesName;
  /** Labels the Prometheus resource's `ruleSelector` matches, e.g. `{ release: 'kube-prometheus-stack' }`. */
  readonly ruleLabels?: Readonly<Record<string, string>>;
  /** Also `kubernetes/servicemonitors/<job>.yaml`: a `ServiceMonitor` per scrape job (the same jobs as prometheus/scrape/; deploy one or the other). */
  readonly serviceMonitors?: ServiceMonitorOptions;
}

/** How the scrape jobs find their Kubernetes Services. */
export interface ServiceMonitorOptions {
  /** Labels the Prometheus resource's `serviceMonitorSelector` matches; default: `ruleLabels`. */
  readonly labels?: Readonly<Record<string, string>>;
  /** The label every Service carries with its job name as value; default `app.kubernetes.io/name`. */
  readonly serviceLabel?: string;
  /** The name of the Services' port that serves metrics; default `metrics`. */
  readonly port?: string;
  /** The namespaces the Services live in; default: any namespace. */
  readonly namespaces?: readonly KubernetesName[];
}

/** Namespace and Alertmanager name of the config Secret. */
export interface AlertmanagerSecretTarget {
  readonly namespace: KubernetesName;
  /** The Alertmanager resource's name: the Secret is `alertmanager-<name>`. */
  readonly name: KubernetesName;
}

/** Namespace and label of the dashboard ConfigMaps. */
export interface GrafanaSidecarTarget {
  readonly namespace: KubernetesName;
  /** The label the sidecar watches; default `grafana_dashboard`. */
  readonly label?: string;
  /** Its value; default `"1"`. */
  readonly labelValue?: string;
}

/** Namespace and `instanceSelector` of the GrafanaDashboard/GrafanaFolder objects. */
export interface GrafanaOperatorTarget {
  readonly namespace: KubernetesName;
  /** Selects the `Grafana` instances that import the dashboards. */
  readonly instanceSelector: { readonly matchLabels: Readonly<Record<string, string>> };
}

/** The ruler namespace of `mimir/rules.yaml`. */
export interface MimirTarget {
  /** The ruler namespace every group goes into. */
  readonly namespace: string;
}
