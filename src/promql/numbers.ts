// How exporters spell a float in a label value (a histogram's `le`): Prometheus 2.x stores the
// text as the client wrote it, so a bucket is only found again by matching every spelling of
// its number. Prometheus 3 normalises `le` at ingestion; the pattern matches its form too.

interface Decomposed {
  readonly sign: '' | '-';
  /** Significant digits, no trailing zeros: 0.25 → `25`. */
  readonly digits: string;
  /** Power of ten of the first digit: 0.25 → -1 (2.5e-1). */
  readonly exponent: number;
}

function decompose(value: number): Decomposed {
  if (!Number.isFinite(value)) throw new Error(`${value} is not a finite number`);
  // toExponential() without an argument gives the shortest digits that read back as the same double.
  const [mantissa, exponent] = Math.abs(value).toExponential().split('e') as [string, string];
  return { sign: value < 0 ? '-' : '', digits: mantissa.replace('.', ''), exponent: Number(exponent) };
}

/** The number as Go's `strconv.FormatFloat(v, 'g', -1, 64)` writes it (client_golang, Python): `0.25`, `5e-05`, `1e+06`. */
export function goFloat(value: number): string {
  const { sign, digits, exponent } = decompose(value);
  if (exponent < -4 || exponent >= 6) {
    const power = String(Math.abs(exponent)).padStart(2, '0');
    return `${sign}${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${exponent < 0 ? '-' : '+'}${power}`;
  }
  return `${sign}${fixed(digits, exponent)}`;
}

/** The number as Java's `Double.toString` writes it: `0.25`, `1.0`, `5.0E-5`, `1.0E7`. */
export function javaFloat(value: number): string {
  const { sign, digits, exponent } = decompose(value);
  if (exponent < -3 || exponent >= 7) return `${sign}${digits[0]}.${digits.slice(1) || '0'}E${exponent}`;
  const text = fixed(digits, exponent);
  return `${sign}${text.includes('.') ? text : `${text}.0`}`;
}

/** Positional notation without an exponent: `25`, `0.25`, `0.00005`. */
function fixed(digits: string, exponent: number): string {
  if (exponent < 0) return `0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return fraction ? `${whole}.${fraction}` : whole;
}

const patterns = new Map<number, string>();

/**
 * An RE2 pattern (anchored by Prometheus) of every usual spelling of the number: positional
 * with any trailing zeros (`0.25`, `0.250`, `.25`, `1`, `1.0`) and scientific with any mantissa
 * zeros, exponent padding and case (`2.5e-01`, `2.50E-1`, `5e-05`, `1e+00`). Spellings with the
 * mantissa's point elsewhere (`25e-2`) are not matched: no client library writes them.
 */
export function numberPattern(value: number): string {
  let pattern = patterns.get(value);
  if (pattern === undefined) {
    const { sign, digits, exponent } = decompose(value);
    // Digits after the point, then any zeros; none at all, or a point and zeros only.
    const fraction = (significant: string): string => (significant ? `\\.${significant}0*` : '(\\.0*)?');
    let positional: string;
    if (exponent < 0) positional = `0?\\.${'0'.repeat(-exponent - 1)}${digits}0*`;
    else {
      const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
      positional = `${whole}${fraction(digits.slice(exponent + 1))}`;
    }
    const power = exponent < 0 ? `-0*${-exponent}` : exponent > 0 ? `\\+?0*${exponent}` : '[+-]?0+';
    const scientific = `${digits[0]}${fraction(digits.slice(1))}[eE]${power}`;
    const negative = sign ? '-' : '';
    pattern = `${negative}${positional}|${negative}${scientific}`;
    patterns.set(value, pattern);
  }
  return pattern;
}
