// promtool's account of a failed file, in one line per failure: what failed (the alert or
// expression a test case checks, or the group and rule a rule file defines), where (the file's
// line, the case's time) and how, with label sets instead of promtool's indented dumps.
// Output this does not recognise is kept, one line per line, never dropped.

/** A line longer than this is cut: a finding is read at a terminal, the file holds the rest. */
const maxLine = 400;

const cut = (line: string): string => (line.length > maxLine ? `${line.slice(0, maxLine - 1)}…` : line);

/** `alertname: X, time: 10m, ` or `expr: "q", time: 10m, err: …`: a test case's header. */
const caseHeader = /^\s*(alertname: (?<alert>.*?)|expr: (?<expr>".*?")), time: (?<time>[^,]+),\s*(?:err: (?<err>.*))?$/;
/** `name: g,`: the name of the test group whose failed cases follow (promtool prints it for a named group). */
const groupHeader = /^\s*name: (?<name>.*),$/;
/** `file: 5:15: group "g", rule 1, "Name": message` */
const ruleProblem = /^(?<file>\S+): (?<line>\d+):\d+: group "(?<group>[^"]*)", rule \d+, "(?<rule>[^"]*)": (?<message>.*)$/;
/** `file: 10:5: message` */
const fileProblem = /^(?<file>\S+): (?<line>\d+):\d+: (?<message>.*)$/;

export interface PromtoolFailure {
  /** The file and line promtool names (a test file's failure may be in a rule file it loads). */
  readonly at?: { readonly file: string; readonly line: number };
  readonly text: string;
}

/** The failures of promtool's output for one file, one line of text each. */
export function promtoolFailures(output: string): PromtoolFailure[] {
  const lines = output.split('\n');
  const failures: PromtoolFailure[] = [];
  let group: string | undefined;
  let index = 0;
  while (index < lines.length) {
    const line = lines[index]!;
    const named = groupHeader.exec(line)?.groups;
    if (named && caseHeader.test(lines[index + 1] ?? '')) {
      group = named.name;
      index += 1;
      continue;
    }
    const header = caseHeader.exec(line);
    if (header?.groups) {
      const body: string[] = [];
      for (
        index += 1;
        index < lines.length && !caseHeader.test(lines[index]!) && !groupHeader.test(lines[index]!) && !isFrame(lines[index]!);
        index += 1
      )
        body.push(lines[index]!);
      const text = cut(testCaseFailure(header.groups, body));
      failures.push({ text: group === undefined ? text : `${text} (test group "${group}")` });
      group = undefined;
      continue;
    }
    index += 1;
    if (isFrame(line)) continue;
    const rule = ruleProblem.exec(line)?.groups;
    const problem = fileProblem.exec(line)?.groups;
    if (rule)
      failures.push({
        at: { file: rule.file!, line: Number(rule.line) },
        text: cut(`group "${rule.group}", rule "${rule.rule}": ${rule.message}`),
      });
    else if (problem) failures.push({ at: { file: problem.file!, line: Number(problem.line) }, text: cut(problem.message!) });
    else failures.push({ text: cut(line.trim()) });
  }
  return failures;
}

/** promtool's own framing, and blank lines: nothing a reader needs. */
function isFrame(line: string): boolean {
  const text = line.trim();
  return (
    text === '' || text === 'FAILED:' || text.startsWith('Unit Testing:') || text.startsWith('Checking ') || text.startsWith('SUCCESS')
  );
}

function testCaseFailure(header: Record<string, string | undefined>, body: readonly string[]): string {
  const subject = header.alert !== undefined ? `alert ${header.alert}` : `expr ${header.expr}`;
  const at = `${subject} at ${header.time!.trim()}`;
  if (header.err !== undefined) return `${at}: ${header.err.trim()}`;
  const text = body.join('\n');
  if (header.alert !== undefined) return `${at}: ${alertDifference(section(text, 'exp'), section(text, 'got'))}`;
  // promtool writes each side's samples on one line: `exp: {…} 2E+00, {…} 1E+00`.
  const side = (name: 'exp' | 'got'): string => new RegExp(`^\\s*${name}: (.*)$`, 'm').exec(text)?.[1]?.trim() || 'nil';
  return `${at}: expected ${side('exp')}, got ${side('got')}`;
}

/** The text of `exp:[…]` or `got:[…]` in an alert case's body. */
function section(text: string, name: 'exp' | 'got'): string {
  const start = text.search(new RegExp(`^\\s*${name}:\\[`, 'm'));
  if (start < 0) return '';
  const rest = text.slice(start);
  const end = rest.search(/\](,\s*)?$/m);
  return end < 0 ? rest : rest.slice(0, end);
}

interface FiredAlert {
  readonly labels: string;
  readonly annotations: string;
}

function alertsOf(section: string): FiredAlert[] {
  const labels = [...section.matchAll(/Labels:(\{.*\})/g)].map((match) => match[1]!);
  const annotations = [...section.matchAll(/Annotations:(\{.*\})/g)].map((match) => match[1]!);
  return labels.map((each, index) => ({ labels: each, annotations: annotations[index] ?? '{}' }));
}

/** What the expected and the fired alerts differ in: missing and unexpected label sets, or their annotations. */
function alertDifference(expSection: string, gotSection: string): string {
  const expected = alertsOf(expSection);
  const got = alertsOf(gotSection);
  const gotLabels = new Set(got.map((alert) => alert.labels));
  const expectedLabels = new Set(expected.map((alert) => alert.labels));
  const missing = expected.filter((alert) => !gotLabels.has(alert.labels));
  const unexpected = got.filter((alert) => !expectedLabels.has(alert.labels));
  const parts = [
    ...(missing.length > 0 ? [`did not fire ${missing.map((alert) => alert.labels).join(', ')}`] : []),
    ...(unexpected.length > 0 ? [`fired ${unexpected.map((alert) => alert.labels).join(', ')} unexpectedly`] : []),
  ];
  if (parts.length > 0) return `expected ${count(expected.length)}, got ${count(got.length)}: ${parts.join('; ')}`;
  const changed = expected.find((alert) => got.some((each) => each.labels === alert.labels && each.annotations !== alert.annotations));
  const actual = changed && got.find((each) => each.labels === changed.labels);
  return changed && actual
    ? `annotations of ${changed.labels}: expected ${changed.annotations}, got ${actual.annotations}`
    : `expected ${count(expected.length)}, got ${count(got.length)}`;
}

const count = (alerts: number): string => (alerts === 0 ? 'no alert' : alerts === 1 ? '1 alert' : `${alerts} alerts`);
