/** The q-quantile (0..1) of `values`, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

/** `12345.6` → `12,346`. */
export const grouped = (value: number): string => Math.round(value).toLocaleString('en-US');
