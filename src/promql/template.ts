// Alert annotation templates: a small, validated subset of Go text/template as Prometheus
// uses it (template/template.go), rendered to the exact string Prometheus would produce so
// that generated promtool tests can state `exp_annotations`, which promtool compares exactly.

export type ValueFunction = 'humanize' | 'humanizePercentage' | 'humanizeDuration';

export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'label'; name: string }
  | { kind: 'value'; fn: ValueFunction }
  | { kind: 'printf'; decimals: number };

export interface ParsedTemplate {
  parts: TemplatePart[];
}

// Go's lexer treats only these as space inside an action.
const WS = '[ \\t\\r\\n]';
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const LABEL_REF = /^\$labels\.(.*)$/s;
const PIPED = new RegExp(`^\\$value${WS}*\\|${WS}*(humanize|humanizePercentage|humanizeDuration)$`);
const CALLED = new RegExp(`^(humanize|humanizePercentage|humanizeDuration)${WS}+\\$value$`);
const PRINTF = new RegExp(`^printf${WS}+"%\\.([0-6])f"${WS}+\\$value$`);
const CONTROL = /^(if|else|range|with|end|define|template|block|break|continue)\b/;

const SUPPORTED =
  'supported actions are {{ $labels.NAME }}, {{ $value | humanize }}, {{ $value | humanizePercentage }}, ' +
  '{{ $value | humanizeDuration }} (or {{ humanize $value }} etc.) and {{ printf "%.2f" $value }} (0 to 6 decimals)';

export function parseAlertTemplate(text: string): ParsedTemplate | { error: string } {
  const parts: TemplatePart[] = [];
  let pos = 0;
  while (pos < text.length) {
    const open = text.indexOf('{{', pos);
    if (open < 0) break;
    if (open > pos) parts.push({ kind: 'text', text: text.slice(pos, open) });
    const close = text.indexOf('}}', open + 2);
    if (close < 0) {
      return { error: `unclosed template action "${text.slice(open, open + 40)}": missing "}}"` };
    }
    const action = text.slice(open, close + 2);
    const part = parseAction(text.slice(open + 2, close).replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, ''));
    if (typeof part === 'string') return { error: `unsupported template action "${action}"${part}` };
    parts.push(part);
    pos = close + 2;
  }
  if (pos < text.length) parts.push({ kind: 'text', text: text.slice(pos) });
  return { parts };
}

/** One action's inner text → a part, or the explanation (": ...") for the error. */
function parseAction(inner: string): TemplatePart | string {
  const label = LABEL_REF.exec(inner);
  if (label) {
    const name = label[1] ?? '';
    return LABEL_NAME.test(name) ? { kind: 'label', name } : `: "${name}" is not a valid label name`;
  }
  const fn = (PIPED.exec(inner) ?? CALLED.exec(inner))?.[1];
  if (fn) return { kind: 'value', fn: fn as ValueFunction };
  const printf = PRINTF.exec(inner);
  if (printf) return { kind: 'printf', decimals: Number(printf[1]) };

  if (inner === '$value' || inner === '.Value') {
    return (
      ': print the value through humanize, humanizePercentage, humanizeDuration or printf "%.2f" ' +
      '(raw $value shows float noise such as 0.11000000000000001)'
    );
  }
  if (inner.startsWith('$externalLabels')) {
    // promtool has no external labels, so a test could not show what production renders.
    return ': external labels depend on the server configuration; write the value into the annotation instead';
  }
  if (inner.startsWith('printf')) return ': printf is supported only as printf "%.Nf" $value with N from 0 to 6';
  if (CONTROL.test(inner)) return `: control structures are not supported; ${SUPPORTED}`;
  return `: ${SUPPORTED}`;
}

/** Label names the template reads, in order of first use (each must exist on the alert). */
export function templateLabelRefs(parsed: ParsedTemplate): string[] {
  const names = parsed.parts.flatMap((p) => (p.kind === 'label' ? [p.name] : []));
  return [...new Set(names)];
}

/** Whether the rendered text depends on $value. */
export function printsValue(parsed: ParsedTemplate): boolean {
  return parsed.parts.some((p) => p.kind === 'value' || p.kind === 'printf');
}

/** Renders as Prometheus does for an alert with these labels and $value. */
export function renderAlertTemplate(parsed: ParsedTemplate, labels: Record<string, string>, value: number): string {
  return parsed.parts
    .map((p) => {
      switch (p.kind) {
        case 'text':
          return p.text;
        case 'label':
          // $labels is a map[string]string and Prometheus sets missingkey=zero: a missing label is "".
          return Object.hasOwn(labels, p.name) ? (labels[p.name] ?? '') : '';
        case 'value':
          return VALUE_FUNCTIONS[p.fn](value);
        case 'printf':
          return goFormatF(value, p.decimals);
        default:
          return p satisfies never;
      }
    })
    .join('');
}

// ---- Prometheus template functions (ported from prometheus/template/template.go) ----

const BIG_PREFIXES = ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
const SMALL_PREFIXES = ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y'];

/** Multiplies |v| < 1 up by 1000 through m u n … y (at most 8 steps), as Prometheus does. */
function scaleUp(v: number): [number, string] {
  let prefix = '';
  for (const p of SMALL_PREFIXES) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return [v, prefix];
}

export function humanize(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return goFormatG(v, 4);
  if (Math.abs(v) >= 1) {
    let prefix = '';
    for (const p of BIG_PREFIXES) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
    return goFormatG(v, 4) + prefix;
  }
  const [scaled, prefix] = scaleUp(v);
  return goFormatG(scaled, 4) + prefix;
}

export function humanizePercentage(v: number): string {
  return `${goFormatG(v * 100, 4)}%`;
}

export function humanizeDuration(v: number): string {
  if (!Number.isFinite(v)) return goFormatG(v, 4);
  if (v === 0) return `${goFormatG(v, 4)}s`;
  if (Math.abs(v) >= 1) {
    const sign = v < 0 ? '-' : '';
    v = Math.abs(v);
    // Go's int64(v); out of range it yields MinInt64 on amd64, which we mirror.
    const total = v < 2 ** 63 ? BigInt(Math.trunc(v)) : -(2n ** 63n);
    const seconds = total % 60n;
    const minutes = (total / 60n) % 60n;
    const hours = (total / 3600n) % 24n;
    const days = total / 86400n;
    if (days !== 0n) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0n) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0n) return `${sign}${minutes}m ${seconds}s`;
    return `${sign}${goFormatG(v, 4)}s`;
  }
  const [scaled, prefix] = scaleUp(v);
  return `${goFormatG(scaled, 4)}${prefix}s`;
}

const VALUE_FUNCTIONS: Record<ValueFunction, (v: number) => string> = {
  humanize,
  humanizePercentage,
  humanizeDuration,
};

// ---- Go fmt float formatting (strconv/ftoa.go) ----
// Built on the exact decimal expansion of the double, rounded half to even like Go.
// (JS toPrecision/toFixed round exact ties away from zero: 1234.5 → "1235", Go says "1234".)

/** Decimal digits without trailing zeros; value = 0.d1d2d3… × 10^dp. Zero is { digits: '', dp: 0 }. */
interface Decimal {
  digits: string;
  dp: number;
}

// One buffer read both ways, to get a double's bits without allocating on every call.
const float64 = new Float64Array(1);
const float64Bits = new BigUint64Array(float64.buffer);

/** 5^k for the exponents seen so far: generated tests format the same magnitudes over and over. */
const powersOfFive: bigint[] = [];

function powerOfFive(k: number): bigint {
  powersOfFive[k] ??= 5n ** BigInt(k);
  return powersOfFive[k];
}

function exactDecimal(v: number): Decimal {
  float64[0] = Math.abs(v);
  const bits = float64Bits[0]!;
  const biased = Number(bits >> 52n);
  const fraction = bits & ((1n << 52n) - 1n);
  if (biased === 0 && fraction === 0n) return { digits: '', dp: 0 };
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exp2 = (biased === 0 ? 1 : biased) - 1075;
  let s: string;
  let dp: number;
  if (exp2 >= 0) {
    s = (mantissa << BigInt(exp2)).toString();
    dp = s.length;
  } else {
    // m / 2^k = m·5^k / 10^k
    s = (mantissa * powerOfFive(-exp2)).toString();
    dp = s.length + exp2;
  }
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 48) end -= 1; // trailing zeros
  return { digits: s.slice(0, end), dp };
}

/** Keeps nd digits, rounding half to even (Go's decimal.Round; nd < 0 leaves d alone, as Go does). */
function round(d: Decimal, nd: number): Decimal {
  const { digits, dp } = d;
  if (nd < 0 || nd >= digits.length) return d;
  const next = digits.charCodeAt(nd) - 48;
  const halfway = next === 5 && nd + 1 === digits.length;
  const up = halfway ? nd > 0 && (digits.charCodeAt(nd - 1) - 48) % 2 === 1 : next >= 5;
  if (!up) return { digits: digits.slice(0, nd).replace(/0+$/, ''), dp };
  let i = nd - 1;
  while (i >= 0 && digits[i] === '9') i--;
  if (i < 0) return { digits: '1', dp: dp + 1 };
  return { digits: digits.slice(0, i) + String(digits.charCodeAt(i) - 47), dp };
}

function fmtF(d: Decimal, prec: number): string {
  let out = d.dp > 0 ? d.digits.slice(0, d.dp).padEnd(d.dp, '0') : '0';
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) out += d.digits[d.dp + i - 1] ?? '0';
  }
  return out;
}

function fmtE(d: Decimal, prec: number): string {
  let out = d.digits[0] ?? '0';
  if (prec > 0) out += `.${d.digits.slice(1, prec + 1).padEnd(prec, '0')}`;
  const exp = d.digits.length === 0 ? 0 : d.dp - 1;
  return `${out}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

function special(v: number): string | undefined {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return undefined;
}

function sign(v: number): string {
  return v < 0 || Object.is(v, -0) ? '-' : '';
}

/** Go's fmt.Sprintf("%.<precision>g", v). */
export function goFormatG(v: number, precision: number): string {
  const s = special(v);
  if (s !== undefined) return s;
  const prec = Math.max(precision, 1);
  const d = round(exactDecimal(v), prec);
  const nd = d.digits.length;
  let eprec = prec;
  if (eprec > nd && nd >= d.dp) eprec = nd;
  const exp = d.dp - 1;
  if (exp < -4 || exp >= eprec) return sign(v) + fmtE(d, Math.min(prec, nd) - 1);
  return sign(v) + fmtF(d, Math.max((prec > d.dp ? nd : prec) - d.dp, 0));
}

/** Go's fmt.Sprintf("%.<decimals>f", v). */
export function goFormatF(v: number, decimals: number): string {
  const s = special(v);
  if (s !== undefined) return s;
  const d = exactDecimal(v);
  return sign(v) + fmtF(round(d, d.dp + decimals), decimals);
}
