/** A number as promtool reads it, without binary noise such as 0.6600000000000001. */
export const num = (value: number): string =>
  // Whole numbers, the usual case, already print exactly (and toPrecision is slow).
  Number.isInteger(value) && Math.abs(value) < 1e12 ? String(value) : String(Number(value.toPrecision(12)));
