import type { Duration } from './duration.ts';
import type { Severity } from './severity.ts';
import { made } from './made.ts';

/** Which alerts a playbook handles; every given field must match the alert's label. */
export interface PlaybookMatch {
  readonly alertname?: string;
  readonly service?: string;
  readonly severity?: Severity;
}

/** Executables are named by absolute path, so a changed PATH cannot swap in another program. */
export type AbsolutePath = `/${string}`;

/**
 * A header value read when the action runs, never written in definitions or generated files.
 * `prefix` is prepended as is, e.g. `'Bearer '`.
 */
export type SecretSource = ({ readonly env: string } | { readonly file: AbsolutePath }) & { readonly prefix?: string };

/** An HTTP action's method: `GET`, `POST`, `PUT`, `PATCH` or `DELETE`. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** An HTTP action's body. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * Calls an HTTP endpoint; succeeds on a 2xx answer. Network errors, timeouts, 429 and 5xx are
 * retried with exponential backoff (`backoff`, then twice that, …); other answers are final.
 */
export interface HttpAction {
  readonly kind: 'http';
  /** Unique within the playbook; names the action in the audit log and metrics. */
  readonly name: string;
  /** Default POST. */
  readonly method?: HttpMethod;
  /** `{{ $labels.<name> }}` is replaced by the percent-encoded label value. */
  readonly url: string;
  readonly headers?: Readonly<Record<string, SecretSource>>;
  /** Sent as JSON; `{{ $labels.<name> }}` inside strings is replaced by the label value. */
  readonly body?: JsonValue;
  /** Per attempt; default 10s. */
  readonly timeout?: Duration;
  /** Attempts after the first; default 2. */
  readonly retries?: number;
  /** Wait before the first retry, doubled for each further one; default 1s. */
  readonly backoff?: Duration;
}

/**
 * Runs a program without a shell. The alert's labels reach it only as environment variables
 * `MONFORGE_LABEL_<NAME>`, and only when every value passes a safe-charset check.
 */
export interface ExecAction<Exe extends AbsolutePath = AbsolutePath> {
  readonly kind: 'exec';
  readonly name: string;
  /** Program and arguments, passed as is (no templating); the program must be in `allowExec`. */
  readonly argv: readonly [Exe, ...string[]];
  /** Then SIGTERM; default 30s. */
  readonly timeout?: Duration;
  /** Grace between SIGTERM and SIGKILL; default 5s. */
  readonly killAfter?: Duration;
}

/** Does nothing but write `message` (templated like a URL, unencoded) to the log and the audit log. */
export interface LogAction {
  readonly kind: 'log';
  readonly name: string;
  readonly message: string;
}

/** An `http`, `exec` or `log` action. */
export type Action<Exe extends AbsolutePath = AbsolutePath> = HttpAction | ExecAction<Exe> | LogAction;

/**
 * The "latency improved" of docs/design.md: a PromQL condition, polled until it returns a non-empty result
 * (like an alerting rule's expression) or `within` passes. `{{ $labels.<name> }}` may appear
 * only inside double-quoted strings, where it is replaced by the escaped label value.
 */
export interface Verify {
  readonly query: string;
  /** Deadline after the last action; default 5m. */
  readonly within?: Duration;
  /** Poll interval; default 15s. */
  readonly interval?: Duration;
}

/** When an action fails or verification does not pass. */
export interface OnFailure<Exe extends AbsolutePath = AbsolutePath> {
  /** Run in order, each whatever the previous one's outcome. */
  readonly rollback?: readonly Action<Exe>[];
  /** Post a `RemediationFailed` alert with the original labels to Alertmanager (default true). */
  readonly escalate?: boolean;
}

/**
 * Automated remediation run by the webhook receiver when Alertmanager delivers a matching
 * firing alert: `actions` in order, then `verify`, and `onFailure` when either fails.
 */
export interface Playbook<Exe extends AbsolutePath = AbsolutePath> {
  readonly kind: 'playbook';
  /** Lower-case identifier. */
  readonly name: string;
  readonly description?: string;
  readonly match: PlaybookMatch;
  /** Programs exec actions may run; an exec of anything else does not compile. */
  readonly allowExec?: readonly Exe[];
  readonly actions: readonly [Action<Exe>, ...Action<Exe>[]];
  readonly verify?: Verify;
  readonly onFailure?: OnFailure<Exe>;
  /** Actions for the resolved notification; none by default (never re-run `actions` on resolve). */
  readonly onResolved?: readonly Action<Exe>[];
  /** Labels naming what the playbook acts on, for the cooldown; default `['service', 'instance']`. */
  readonly target?: readonly string[];
  /** No new run for the same target within this time after a run; default 15m. */
  readonly cooldown?: Duration;
  /** Across all targets; default 6. */
  readonly maxRunsPerHour?: number;
}

/** `NoInfer` on the actions: only `allowExec` decides which programs are allowed. */
type PlaybookOptions<Exe extends AbsolutePath> = Omit<Playbook<Exe>, 'kind' | 'actions' | 'onFailure' | 'onResolved'> & {
  readonly actions: readonly [Action<NoInfer<Exe>>, ...Action<NoInfer<Exe>>[]];
  readonly onFailure?: OnFailure<NoInfer<Exe>>;
  readonly onResolved?: readonly Action<NoInfer<Exe>>[];
};

/** A remediation playbook. */
export function definePlaybook<const Exe extends AbsolutePath = never>(options: PlaybookOptions<Exe>): Playbook<Exe> {
  return made({ kind: 'playbook', ...options });
}
