import { isTerminating, rational, toDecimal, toNumber, type Rational } from '../model/decimal.ts';

/** A PromQL number literal as an exact value: `0.999`, `1e-3`; undefined for anything else. */
export function decimalNumber(text: string): Rational | undefined {
  const trimmed = text.trim();
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return rational(trimmed);
  const value = Number(trimmed);
  return trimmed !== '' && Number.isFinite(value) ? rational(value) : undefined;
}

/** An exact value as a JSON number, without float noise where a finite decimal exists. */
export function jsonNumber(value: Rational): number {
  return isTerminating(value) ? Number(toDecimal(value)) : toNumber(value);
}
