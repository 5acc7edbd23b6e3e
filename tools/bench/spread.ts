/** Median, lowest and highest of a figure over a benchmark's rounds. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** The median (the mean of the middle two for an even count), min and max; zeros for none. */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { median: 0, min: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median: Math.round(median * 1_000) / 1_000, min: sorted[0], max: sorted[sorted.length - 1] };
}

export const ratioSpreadText = ({ median, min, max }: Spread, digits = 3): string => `median ${median.toFixed(digits)} (min ${min.toFixed(digits)}, max ${max.toFixed(digits)})`;
