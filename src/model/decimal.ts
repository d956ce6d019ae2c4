/**
 * Exact rational arithmetic for thresholds. Objectives are written in percent (99.9) and
 * burn-rate factors are products and quotients of them; doing that in binary floating point
 * prints thresholds like 0.0009999999999999432 (Sloth's well-known wart).
 */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function normalize(num: bigint, den: bigint): Rational {
  if (den === 0n) throw new Error('division by zero');
  const sign = den < 0n ? -1n : 1n;
  const divisor = gcd(num, den) || 1n;
  return { num: (sign * num) / divisor, den: (sign * den) / divisor };
}

/** Objectives, levels and window lengths are few and parsed again and again: each once. */
const parsed = new Map<number | string, Rational>();

/** Parses the decimal spelling of a JS number exactly as written (0.1 is 1/10, not its binary neighbour). */
export function rational(value: number | string): Rational {
  let result = parsed.get(value);
  if (result === undefined) {
    const text = typeof value === 'number' ? numberToPlainString(value) : value;
    const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
    if (!match) throw new Error(`not a plain decimal: ${text}`);
    const fraction = match[3] ?? '';
    const digits = BigInt(`${match[2]}${fraction}`);
    result = normalize(match[1] === '-' ? -digits : digits, 10n ** BigInt(fraction.length));
    parsed.set(value, result);
  }
  return result;
}

function numberToPlainString(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  const text = String(value);
  if (!/e/i.test(text)) return text;
  // 1e-7 → 0.0000001: expand the exponent form JS uses for very small or large numbers.
  const [mantissa = '', exponentText = '0'] = text.split(/e/i);
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const [whole = '', fraction = ''] = mantissa.replace('-', '').split('.');
  const digits = whole + fraction;
  const point = whole.length + exponent;
  const plain =
    point <= 0
      ? `0.${'0'.repeat(-point)}${digits}`
      : point >= digits.length
        ? digits + '0'.repeat(point - digits.length)
        : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (negative ? '-' : '') + plain;
}

export const add = (a: Rational, b: Rational): Rational => normalize(a.num * b.den + b.num * a.den, a.den * b.den);
export const sub = (a: Rational, b: Rational): Rational => normalize(a.num * b.den - b.num * a.den, a.den * b.den);
export const mul = (a: Rational, b: Rational): Rational => normalize(a.num * b.num, a.den * b.den);
export const div = (a: Rational, b: Rational): Rational => normalize(a.num * b.den, a.den * b.num);
export const compare = (a: Rational, b: Rational): number => {
  const diff = a.num * b.den - b.num * a.den;
  return diff === 0n ? 0 : diff < 0n ? -1 : 1;
};

/** True when the value has a finite decimal expansion (its denominator is 2^a·5^b). */
export function isTerminating(value: Rational): boolean {
  let den = value.den;
  while (den % 2n === 0n) den /= 2n;
  while (den % 5n === 0n) den /= 5n;
  return den === 1n;
}

/** Exact decimal text of a terminating rational: 9/625 → "0.0144". */
export function toDecimal(value: Rational): string {
  // den = 2^twos·5^fives, so num/den = num·2^(scale−twos)·5^(scale−fives) / 10^scale.
  let twos = 0;
  let fives = 0;
  let den = value.den;
  while (den % 2n === 0n) {
    den /= 2n;
    twos += 1;
  }
  while (den % 5n === 0n) {
    den /= 5n;
    fives += 1;
  }
  if (den !== 1n) throw new Error(`${value.num}/${value.den} has no finite decimal expansion`);
  const scale = Math.max(twos, fives);
  const num = (value.num < 0n ? -value.num : value.num) * 2n ** BigInt(scale - twos) * 5n ** BigInt(scale - fives);
  const digits = num.toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  return `${value.num < 0n ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/**
 * PromQL text for an exact value: a decimal when one exists, else an exact quotient of two
 * decimals (a 28d SLO's slow tier is 0.1 × 28d / 3d = 14/15 — no finite decimal).
 */
export function toPromqlNumber(value: Rational): string {
  if (isTerminating(value)) return toDecimal(value);
  return `(${value.num} / ${value.den})`;
}

export function toNumber(value: Rational): number {
  return Number(value.num) / Number(value.den);
}
